package sandbox

import (
	"context"
	"errors"
	"net/http"

	"github.com/xmppsandbox/xmppsandbox/sandbox/api"
	"github.com/xmppsandbox/xmppsandbox/sandbox/expect"
	"github.com/xmppsandbox/xmppsandbox/sandbox/trace"
)

// Expect waits until a stanza matching f crosses a client connection, and
// returns its trace event. Events already kept with a sequence number
// above since count too, so a test notes TraceSeq, acts, then waits with
// that number and cannot miss a stanza that passed in between; 0 takes
// every kept event, expect.Now only those still to come. When ctx ends
// first, the error is an *expect.NoMatchError listing the closest events.
func (s *Server) Expect(ctx context.Context, f expect.Filter, since uint64) (trace.Event, error) {
	m, err := expect.Compile(f, s.domain)
	if err != nil {
		return trace.Event{}, err
	}
	return expect.Wait(ctx, s.trace, m, since)
}

// TraceSeq returns the sequence number of the newest traced stanza (0
// before any), for a later Expect to start after.
func (s *Server) TraceSeq() uint64 { return s.trace.Last() }

// expectRoutes adds GET /api/expect, which blocks until a matching
// stanza passes or its timeout elapses, and GET /api/trace/seq.
func (s *Server) expectRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/expect", s.serveExpect)
	mux.HandleFunc("GET /api/trace/seq", func(w http.ResponseWriter, r *http.Request) {
		api.WriteJSON(w, http.StatusOK, map[string]uint64{"seq": s.TraceSeq()})
	})
}

// noMatch is the answer to a wait that timed out.
type noMatch struct {
	Error   string             `json:"error"`
	Closest []expect.Candidate `json:"closest"`
}

// serveExpect answers 200 with the matching event, or 408 (the wait's
// own timeout, not the client's) with the closest candidates.
func (s *Server) serveExpect(w http.ResponseWriter, r *http.Request) {
	req, err := expect.ParseQuery(r.URL.Query())
	if err != nil {
		api.WriteError(w, api.BadRequest(err.Error()))
		return
	}
	m, err := expect.Compile(req.Filter, s.domain)
	if err != nil {
		api.WriteError(w, api.BadRequest(err.Error()))
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), req.Timeout)
	defer cancel()
	e, err := expect.Wait(ctx, s.trace, m, req.Since)
	var nm *expect.NoMatchError
	switch {
	case err == nil:
		api.WriteJSON(w, http.StatusOK, e)
	case errors.As(err, &nm):
		nm.Waited = req.Timeout
		answer := noMatch{Error: nm.Error(), Closest: nm.Closest}
		if answer.Closest == nil {
			answer.Closest = []expect.Candidate{}
		}
		api.WriteJSON(w, http.StatusRequestTimeout, answer)
	default:
		api.WriteError(w, err)
	}
}
