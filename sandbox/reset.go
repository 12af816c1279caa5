package sandbox

import (
	"context"
	"net/http"
	"time"

	"mellium.im/xmpp/jid"

	"github.com/xmppsandbox/xmppsandbox/sandbox/api"
	"github.com/xmppsandbox/xmppsandbox/sandbox/roster"
	"github.com/xmppsandbox/xmppsandbox/sandbox/store"
)

// resetWait bounds how long Reset waits for closed sessions to go.
const resetWait = 2 * time.Second

// Reset puts the server back to exactly the loaded fixtures: every
// runtime roster change, offline message, pending request, fault and
// feature toggle is dropped.
// Sessions are closed (stream error reset) unless keepSessions is true;
// then they stay, and their clients get the roster pushes that take their
// rosters back to the fixtures. A test suite calls it between tests.
func (s *Server) Reset(keepSessions bool) error {
	// A running simulation's users live in the store the reset clears.
	s.StopSimulation()
	s.fixMu.Lock()
	defer s.fixMu.Unlock()
	if !keepSessions {
		s.closeAllSessions("reset", "the sandbox was reset to its fixtures")
	}
	before := s.onlineRosters()
	ctx := context.Background()
	err := s.store.Update(ctx, func(tx *store.Tx) error {
		if err := tx.DeleteAllUsers(ctx); err != nil {
			return err
		}
		return writeFixtures(ctx, tx, s.fixtures)
	})
	if err != nil {
		return err
	}
	if err := s.users.reload(); err != nil {
		return err
	}
	s.roster.Forget()
	// Faults and toggles a test switched on are runtime changes too.
	s.faults.Reset()
	s.toggles.Reset()
	s.tellResetRosters(before)
	// The fixtures' virtual contacts come back online.
	s.syncVirtual()
	return nil
}

// closeAllSessions ends every session and waits, within resetWait, until
// the router has none left, so what follows starts from no one online.
func (s *Server) closeAllSessions(condition, text string) {
	for _, sess := range s.router.All() {
		sess.Conn.Close(condition, text)
	}
	deadline := time.Now().Add(resetWait)
	for len(s.router.All()) > 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
}

// onlineRosters keeps the rosters of users online now, to tell their
// clients what a reset changes.
func (s *Server) onlineRosters() map[string][]roster.Item {
	out := map[string][]roster.Item{}
	for _, sess := range s.router.All() {
		user := sess.JID.Localpart()
		if _, done := out[user]; !done {
			items, _, _ := s.roster.Items(user)
			out[user] = items
		}
	}
	return out
}

// tellResetRosters pushes, to the users who stayed online, every item the
// reset changed, added or removed.
func (s *Server) tellResetRosters(before map[string][]roster.Item) {
	for user, old := range before {
		after, ver, err := s.roster.Items(user)
		if err != nil {
			continue
		}
		was := map[string]roster.Item{}
		for _, it := range old {
			was[it.Contact] = it
		}
		for _, it := range after {
			prev, existed := was[it.Contact]
			delete(was, it.Contact)
			if !existed || !sameStored(prev, it) {
				s.presence.ItemChanged(user, mustJID(it.Contact), prev, it, existed, false, ver)
			}
		}
		for contact, it := range was {
			s.presence.ItemChanged(user, mustJID(contact), it, it, true, true, ver)
		}
	}
}

func mustJID(s string) jid.JID {
	j, _ := jid.Parse(s)
	return j
}

// resetRoutes adds POST /api/reset.
func (s *Server) resetRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /api/reset", func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			KeepSessions bool `json:"keep_sessions"`
		}
		if r.ContentLength != 0 {
			if err := api.Decode(r, &req); err != nil {
				api.WriteError(w, err)
				return
			}
		}
		start := time.Now()
		if err := s.Reset(req.KeepSessions); err != nil {
			api.WriteError(w, err)
			return
		}
		api.WriteJSON(w, http.StatusOK, map[string]any{"reset": true, "took_ms": time.Since(start).Milliseconds()})
	})
}
