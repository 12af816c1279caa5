package subscription

import "testing"

func TestSubText(t *testing.T) {
	for _, sub := range []Sub{None, To, From, Both} {
		t.Run(sub.String(), func(t *testing.T) {
			got, ok := ParseSub(sub.String())
			if !ok || got != sub {
				t.Errorf("ParseSub(%q) = %v, %v", sub.String(), got, ok)
			}
		})
	}
	for _, bad := range []string{"", "remove", "None", "both ", "ask"} {
		if _, ok := ParseSub(bad); ok {
			t.Errorf("ParseSub(%q) accepted", bad)
		}
	}
	if got := Sub(9).String(); got != "Sub(9)" {
		t.Errorf("Sub(9).String() = %q", got)
	}
}

func TestKindText(t *testing.T) {
	for _, k := range allKinds() {
		t.Run(k.String(), func(t *testing.T) {
			got, ok := ParseKind(k.String())
			if !ok || got != k {
				t.Errorf("ParseKind(%q) = %v, %v", k.String(), got, ok)
			}
		})
	}
	for _, bad := range []string{"", "probe", "unavailable", "error", "Subscribe"} {
		if _, ok := ParseKind(bad); ok {
			t.Errorf("ParseKind(%q) accepted", bad)
		}
	}
}

func TestValid(t *testing.T) {
	valid := make(map[State]bool)
	for _, name := range stateNames() {
		valid[stateNamed(t, name)] = true
	}
	// RFC 6121 §3.4 allows a pre-approval beside any state without From;
	// a pending-in beside it cannot arise but is not contradictory.
	valid[stateNamed(t, "None+PendingIn+Approved")] = true
	valid[stateNamed(t, "None+PendingOut+PendingIn+Approved")] = true
	valid[stateNamed(t, "To+PendingIn+Approved")] = true
	for _, s := range everyState() {
		t.Run(s.String(), func(t *testing.T) {
			if got := s.Valid(); got != valid[s] {
				t.Errorf("Valid() = %v, want %v", got, valid[s])
			}
			n := s.Normalize()
			if !n.Valid() {
				t.Errorf("Normalize() = %v, not valid", n)
			}
			if s.Valid() && n != s {
				t.Errorf("Normalize() changed a valid state to %v", n)
			}
		})
	}
	if (State{Sub: 7}).Valid() {
		t.Error("unknown Sub reported valid")
	}
}

func TestNormalize(t *testing.T) {
	cases := []struct{ in, want string }{
		{"To+PendingOut", "To"},
		{"From+PendingIn", "From"},
		{"From+Approved", "From"},
		{"Both+PendingOut+PendingIn+Approved", "Both"},
		{"To+PendingOut+PendingIn", "To+PendingIn"},
		{"From+PendingOut+PendingIn", "From+PendingOut"},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			if got := stateNamed(t, c.in).Normalize().String(); got != c.want {
				t.Errorf("got %s, want %s", got, c.want)
			}
		})
	}
	if got := (State{Sub: 200, PendingIn: true}).Normalize(); got != (State{PendingIn: true}) {
		t.Errorf("unknown Sub normalised to %v", got)
	}
}

func TestWireAndPresence(t *testing.T) {
	cases := []struct {
		state              string
		sub                string
		ask, approved      bool
		hidden             bool
		sends, receives    bool
		unsubscribe, unsub bool // what Remove sends
	}{
		{"None", "none", false, false, false, false, false, false, false},
		{"None+PendingOut", "none", true, false, false, false, false, true, false},
		{"None+PendingIn", "none", false, false, true, false, false, false, true},
		{"None+PendingOut+PendingIn", "none", true, false, false, false, false, true, true},
		{"To", "to", false, false, false, false, true, true, false},
		{"To+PendingIn", "to", false, false, false, false, true, true, true},
		{"From", "from", false, false, false, true, false, false, true},
		{"From+PendingOut", "from", true, false, false, true, false, true, true},
		{"Both", "both", false, false, false, true, true, true, true},
		{"None+Approved", "none", false, true, false, false, false, false, false},
		{"None+PendingOut+Approved", "none", true, true, false, false, false, true, false},
		{"To+Approved", "to", false, true, false, false, true, true, false},
		{"None+PendingIn+Approved", "none", false, true, false, false, false, false, true},
		{"To+PendingOut", "to", false, false, false, false, true, true, false},
	}
	for _, c := range cases {
		t.Run(c.state, func(t *testing.T) {
			s := stateNamed(t, c.state)
			sub, ask, approved := s.Wire()
			if sub != c.sub || ask != c.ask || approved != c.approved {
				t.Errorf("Wire() = %q, %v, %v", sub, ask, approved)
			}
			if s.Hidden() != c.hidden {
				t.Errorf("Hidden() = %v", s.Hidden())
			}
			if s.SendsPresenceTo() != c.sends || s.ReceivesPresence() != c.receives {
				t.Errorf("SendsPresenceTo() = %v, ReceivesPresence() = %v", s.SendsPresenceTo(), s.ReceivesPresence())
			}
			if u, ud := Remove(s); u != c.unsubscribe || ud != c.unsub {
				t.Errorf("Remove() = %v, %v", u, ud)
			}
		})
	}
}

// TestTotal runs Out and In on every flag combination, unknown Sub and
// Kind values included, and checks that each Outcome keeps its own
// definitions.
func TestTotal(t *testing.T) {
	states := append(everyState(), State{Sub: 4}, State{Sub: 255, PendingOut: true, Approved: true})
	kinds := append(allKinds(), Kind(4), Kind(255))
	for _, s := range states {
		for _, k := range kinds {
			for _, apply := range []func(State, Kind) Outcome{Out, In} {
				o := apply(s, k)
				if !o.New.Valid() {
					t.Errorf("%v/%v: new state %v not valid", s, k, o.New)
				}
				checkOutcome(t, s, o)
			}
		}
	}
	if o := Out(State{Sub: To, PendingOut: true}, Kind(9)); o.New != (State{Sub: To}) || !o.Changed || o.Push || o.Forward {
		t.Errorf("unknown kind on bad data: %+v", o)
	}
}

func TestReplyText(t *testing.T) {
	for r, want := range map[Reply]string{NoReply: "", ReplySubscribed: "subscribed", ReplyUnsubscribed: "unsubscribed"} {
		if got := r.String(); got != want {
			t.Errorf("Reply(%d).String() = %q, want %q", r, got, want)
		}
	}
}
