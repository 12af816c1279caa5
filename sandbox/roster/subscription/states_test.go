package subscription

import "testing"

// stateNames lists the nine states of RFC 6121 Appendix A.1 and the three
// pre-approved variants of RFC 6121 §3.4.
func stateNames() []string {
	return []string{
		"None", "None+PendingOut", "None+PendingIn", "None+PendingOut+PendingIn",
		"To", "To+PendingIn", "From", "From+PendingOut", "Both",
		"None+Approved", "None+PendingOut+Approved", "To+Approved",
	}
}

// allKinds lists the four subscription stanza types.
func allKinds() []Kind {
	return []Kind{Subscribe, Subscribed, Unsubscribe, Unsubscribed}
}

// everyState returns all combinations of a known Sub and the three flags,
// the valid and the invalid ones.
func everyState() []State {
	states := make([]State, 0, 32)
	for sub := None; sub <= Both; sub++ {
		for flags := range 8 {
			states = append(states, State{
				Sub:        sub,
				PendingOut: flags&1 != 0,
				PendingIn:  flags&2 != 0,
				Approved:   flags&4 != 0,
			})
		}
	}
	return states
}

// stateNamed returns the state whose String is name.
func stateNamed(t testing.TB, name string) State {
	t.Helper()
	for _, s := range everyState() {
		if s.String() == name {
			return s
		}
	}
	t.Fatalf("no state is named %q", name)
	return State{}
}
