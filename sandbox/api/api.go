// Package api is the sandbox's admin API: JSON over HTTP under /api/,
// used by the command line, the inspector page and tests. It knows the
// server only through the Backend interface.
package api

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/xmppsandbox/xmppsandbox/sandbox/trace"
)

// Backend is what the API needs of the server.
type Backend interface {
	Status() Status
	Users() []User
	Roster(user string) (Roster, error)
	AddContact(owner string, req AddContact) (Item, error)
	RemoveContact(owner, contact string) error
	Sessions() []Session
	Kick(jid string) (int, error)
	InjectPresence(req Presence) error
	InjectMessage(req Message) error
	InjectRaw(xml string) (int, error)
	Trace() *trace.Buffer
}

// Error is a failure with the HTTP status to answer it with.
type Error struct {
	Status int
	Msg    string
}

func (e *Error) Error() string { return e.Msg }

// BadRequest and NotFound build the two errors callers make most.
func BadRequest(msg string) error { return &Error{http.StatusBadRequest, msg} }

// NotFound reports something that does not exist.
func NotFound(msg string) error { return &Error{http.StatusNotFound, msg} }

// maxBody bounds request bodies; raw stanzas are the largest.
const maxBody = 1 << 20

// Handler returns the API's routes behind the guard g. Each of more adds
// the routes of a feature that keeps its handlers beside its own code
// (they use WriteJSON, WriteError and Decode).
func Handler(b Backend, g Guard, more ...func(*http.ServeMux)) http.Handler {
	mux := http.NewServeMux()
	for _, add := range more {
		add(mux)
	}
	h := handlers{b}
	mux.HandleFunc("GET /api/health", h.health)
	mux.HandleFunc("GET /api/status", h.status)
	mux.HandleFunc("GET /api/users", h.users)
	mux.HandleFunc("GET /api/rosters/{user}", h.roster)
	mux.HandleFunc("POST /api/rosters/{user}", h.addContact)
	mux.HandleFunc("DELETE /api/rosters/{user}/{contact}", h.removeContact)
	mux.HandleFunc("GET /api/sessions", h.sessions)
	mux.HandleFunc("POST /api/kick", h.kick)
	mux.HandleFunc("POST /api/inject/presence", h.injectPresence)
	mux.HandleFunc("POST /api/inject/message", h.injectMessage)
	mux.HandleFunc("POST /api/inject/raw", h.injectRaw)
	mux.HandleFunc("GET /api/trace", h.trace)
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, &Error{http.StatusNotFound, "no such endpoint: " + r.Method + " " + r.URL.Path})
	})
	return g.Wrap(mux)
}

type handlers struct{ b Backend }

// WriteJSON answers with status and v as JSON.
func WriteJSON(w http.ResponseWriter, status int, v any) { writeJSON(w, status, v) }

// WriteError answers with err: its status if it is an *Error, else 500.
func WriteError(w http.ResponseWriter, err error) { writeError(w, err) }

// Decode reads a JSON request body into v, refusing unknown fields.
func Decode(r *http.Request, v any) error { return decode(r, v) }

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

func writeError(w http.ResponseWriter, err error) {
	var e *Error
	if !errors.As(err, &e) {
		e = &Error{http.StatusInternalServerError, err.Error()}
	}
	writeJSON(w, e.Status, map[string]string{"error": e.Msg})
}

// decode reads a JSON body into v, refusing unknown fields so a typo is
// an error rather than a silently ignored option.
func decode(r *http.Request, v any) error {
	d := json.NewDecoder(io.LimitReader(r.Body, maxBody))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return BadRequest("invalid JSON body: " + err.Error())
	}
	return nil
}
