package api

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/xmppsandbox/xmppsandbox/sandbox/trace"
)

// trace streams stanzas as server-sent events: those kept since the
// sequence number in ?since (when given), then new ones as they pass.
// ?jid keeps the events whose session, from or to involve that JID.
func (h handlers) trace(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		writeError(w, &Error{http.StatusInternalServerError, "streaming unsupported"})
		return
	}
	buf := h.b.Trace()
	events, last, cancel := buf.Subscribe(1024)
	defer cancel()
	filter := r.URL.Query().Get("jid")
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	if s := r.URL.Query().Get("since"); s != "" {
		since, err := strconv.ParseUint(s, 10, 64)
		if err == nil {
			for _, e := range buf.Since(since) {
				if e.Seq <= last && matches(e, filter) {
					send(w, e)
				}
			}
		}
	}
	fl.Flush()
	keepalive := time.NewTicker(15 * time.Second)
	defer keepalive.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case e := <-events:
			// A burst can overflow the subscription; what it skipped is
			// still in the ring, so fill the gap from there.
			missed := []trace.Event{e}
			if e.Seq > last+1 {
				missed = buf.Since(last)
			}
			for _, m := range missed {
				if m.Seq > last && m.Seq <= e.Seq && matches(m, filter) {
					send(w, m)
				}
				last = max(last, m.Seq)
			}
			last = max(last, e.Seq)
			fl.Flush()
		case <-keepalive.C:
			w.Write([]byte(": keepalive\n\n"))
			fl.Flush()
		}
	}
}

func send(w http.ResponseWriter, e trace.Event) {
	b, _ := json.Marshal(e)
	w.Write([]byte("data: "))
	w.Write(b)
	w.Write([]byte("\n\n"))
}

// matches reports whether e involves jid (a bare JID matches its
// resources; a name without @ matches that local user).
func matches(e trace.Event, jid string) bool {
	if jid == "" {
		return true
	}
	for _, a := range []string{e.Session, e.From, e.To} {
		if a == jid || strings.HasPrefix(a, jid+"/") || strings.HasPrefix(a, jid+"@") {
			return true
		}
	}
	return false
}
