package subscription

import "testing"

// wireForm is what a roster push of s shows, in the seed's words.
func wireForm(s State) string {
	sub, ask, approved := s.Wire()
	if ask {
		sub += " ask=subscribe"
	}
	if approved {
		sub += " approved"
	}
	return sub
}

// TestSeedTrace replays the seed's "add buddy" walk-through between
// lihengz (user 0) and admin (user 1), checking each out_state_change and
// in_state_change result and the pushes each side gets.
func TestSeedTrace(t *testing.T) {
	const lihengz, admin = 0, 1
	steps := []struct {
		name              string
		actor             int
		kind              Kind
		actorNew, peerNew string
		actorPush         string // wire form pushed to the actor, "" for none
		peerPush          string // wire form pushed to the peer, "" for none
		grants            bool   // the actor's presence goes to the peer
	}{
		{"lihengz subscribes", lihengz, Subscribe, "None+PendingOut", "None+PendingIn", "none ask=subscribe", "", false},
		{"admin approves", admin, Subscribed, "From", "To", "from", "to", true},
		{"admin subscribes back", admin, Subscribe, "From+PendingOut", "To+PendingIn", "from ask=subscribe", "", false},
		{"lihengz approves", lihengz, Subscribed, "Both", "Both", "both", "both", true},
	}
	var p pair
	for i, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			r := p.act(s.actor, s.kind)
			if !r.actor.Forward || !r.peer.Forward {
				t.Fatalf("step %d: not routed and delivered: %+v", i, r)
			}
			if got := r.actor.New.String(); got != s.actorNew {
				t.Errorf("actor: %s, want %s", got, s.actorNew)
			}
			if got := r.peer.New.String(); got != s.peerNew {
				t.Errorf("peer: %s, want %s", got, s.peerNew)
			}
			if r.actor.SendPresence != s.grants {
				t.Errorf("actor SendPresence=%v, want %v", r.actor.SendPresence, s.grants)
			}
			checkPush(t, "actor", r.actor, s.actorPush)
			checkPush(t, "peer", r.peer, s.peerPush)
		})
	}
}

// checkPush fails unless o pushes exactly the wire form want ("" for no
// push).
func checkPush(t *testing.T, who string, o Outcome, want string) {
	t.Helper()
	got := ""
	if o.Push {
		got = wireForm(o.New)
	}
	if got != want {
		t.Errorf("%s push %q, want %q", who, got, want)
	}
}
