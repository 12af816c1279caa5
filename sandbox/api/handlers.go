package api

import (
	"io"
	"net/http"
)

func (h handlers) health(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (h handlers) status(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, h.b.Status())
}

func (h handlers) users(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, h.b.Users())
}

func (h handlers) roster(w http.ResponseWriter, r *http.Request) {
	ro, err := h.b.Roster(r.PathValue("user"))
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, ro)
}

func (h handlers) addContact(w http.ResponseWriter, r *http.Request) {
	var req AddContact
	if err := decode(r, &req); err != nil {
		writeError(w, err)
		return
	}
	it, err := h.b.AddContact(r.PathValue("user"), req)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, it)
}

func (h handlers) removeContact(w http.ResponseWriter, r *http.Request) {
	if err := h.b.RemoveContact(r.PathValue("user"), r.PathValue("contact")); err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]bool{"removed": true})
}

func (h handlers) sessions(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, h.b.Sessions())
}

func (h handlers) kick(w http.ResponseWriter, r *http.Request) {
	var req Kick
	if err := decode(r, &req); err != nil {
		writeError(w, err)
		return
	}
	n, err := h.b.Kick(req.JID)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]int{"kicked": n})
}

func (h handlers) injectPresence(w http.ResponseWriter, r *http.Request) {
	var req Presence
	if err := decode(r, &req); err != nil {
		writeError(w, err)
		return
	}
	routed(w, 1, h.b.InjectPresence(req))
}

func (h handlers) injectMessage(w http.ResponseWriter, r *http.Request) {
	var req Message
	if err := decode(r, &req); err != nil {
		writeError(w, err)
		return
	}
	routed(w, 1, h.b.InjectMessage(req))
}

func (h handlers) injectRaw(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil || len(body) > maxBody {
		writeError(w, BadRequest("the body is unreadable or larger than 1 MiB"))
		return
	}
	n, err := h.b.InjectRaw(string(body))
	routed(w, n, err)
}

func routed(w http.ResponseWriter, n int, err error) {
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]int{"routed": n})
}
