package subscription

import "testing"

// effect is a set of Outcome flags, so that a table row can state them in
// a few characters.
type effect uint8

const (
	fwd  effect = 1 << iota // Forward
	push                    // Push
	pres                    // SendPresence
	unav                    // SendUnavailable
	gone                    // ContactGone
)

// cell is one cell of an RFC 6121 Appendix A table, with states named as
// State.String names them.
type cell struct {
	from  string
	kind  Kind
	to    string
	fx    effect
	reply Reply
}

// want builds the Outcome the cell describes; Changed follows from the
// states.
func (c cell) want(t *testing.T) Outcome {
	from, to := stateNamed(t, c.from), stateNamed(t, c.to)
	return Outcome{
		New:             to,
		Changed:         to != from,
		Push:            c.fx&push != 0,
		Forward:         c.fx&fwd != 0,
		Reply:           c.reply,
		SendPresence:    c.fx&pres != 0,
		SendUnavailable: c.fx&unav != 0,
		ContactGone:     c.fx&gone != 0,
	}
}

// outCells is the owner's server handling what the owner sends: RFC 6121
// Appendix A.2 (§3.1.2, §3.1.5, §3.2.2, §3.3.2) with pre-approval from
// §3.4. Outbound subscribe and unsubscribe are routed in every state.
func outCells() []cell {
	return []cell{
		// A.2.1 subscribe.
		{"None", Subscribe, "None+PendingOut", fwd | push, NoReply},
		{"None+PendingOut", Subscribe, "None+PendingOut", fwd, NoReply},
		{"None+PendingIn", Subscribe, "None+PendingOut+PendingIn", fwd | push, NoReply},
		{"None+PendingOut+PendingIn", Subscribe, "None+PendingOut+PendingIn", fwd, NoReply},
		{"To", Subscribe, "To", fwd, NoReply},
		{"To+PendingIn", Subscribe, "To+PendingIn", fwd, NoReply},
		{"From", Subscribe, "From+PendingOut", fwd | push, NoReply},
		{"From+PendingOut", Subscribe, "From+PendingOut", fwd, NoReply},
		{"Both", Subscribe, "Both", fwd, NoReply},
		{"None+Approved", Subscribe, "None+PendingOut+Approved", fwd | push, NoReply},
		{"None+PendingOut+Approved", Subscribe, "None+PendingOut+Approved", fwd, NoReply},
		{"To+Approved", Subscribe, "To+Approved", fwd, NoReply},
		// A.2.2 unsubscribe.
		{"None", Unsubscribe, "None", fwd, NoReply},
		{"None+PendingOut", Unsubscribe, "None", fwd | push, NoReply},
		{"None+PendingIn", Unsubscribe, "None+PendingIn", fwd, NoReply},
		{"None+PendingOut+PendingIn", Unsubscribe, "None+PendingIn", fwd | push, NoReply},
		{"To", Unsubscribe, "None", fwd | push | gone, NoReply},
		{"To+PendingIn", Unsubscribe, "None+PendingIn", fwd | push | gone, NoReply},
		{"From", Unsubscribe, "From", fwd, NoReply},
		{"From+PendingOut", Unsubscribe, "From", fwd | push, NoReply},
		{"Both", Unsubscribe, "From", fwd | push | gone, NoReply},
		{"None+Approved", Unsubscribe, "None+Approved", fwd, NoReply},
		{"None+PendingOut+Approved", Unsubscribe, "None+Approved", fwd | push, NoReply},
		{"To+Approved", Unsubscribe, "None+Approved", fwd | push | gone, NoReply},
		// A.2.3 subscribed; without a pending request it pre-approves (§3.4.1).
		{"None", Subscribed, "None+Approved", push, NoReply},
		{"None+PendingOut", Subscribed, "None+PendingOut+Approved", push, NoReply},
		{"None+PendingIn", Subscribed, "From", fwd | push | pres, NoReply},
		{"None+PendingOut+PendingIn", Subscribed, "From+PendingOut", fwd | push | pres, NoReply},
		{"To", Subscribed, "To+Approved", push, NoReply},
		{"To+PendingIn", Subscribed, "Both", fwd | push | pres, NoReply},
		{"From", Subscribed, "From", 0, NoReply},
		{"From+PendingOut", Subscribed, "From+PendingOut", 0, NoReply},
		{"Both", Subscribed, "Both", 0, NoReply},
		{"None+Approved", Subscribed, "None+Approved", 0, NoReply},
		{"None+PendingOut+Approved", Subscribed, "None+PendingOut+Approved", 0, NoReply},
		{"To+Approved", Subscribed, "To+Approved", 0, NoReply},
		// A.2.4 unsubscribed; it also cancels a pre-approval (§3.4.1). Dropping
		// only a pending-in changes nothing the client was shown: no push.
		{"None", Unsubscribed, "None", 0, NoReply},
		{"None+PendingOut", Unsubscribed, "None+PendingOut", 0, NoReply},
		{"None+PendingIn", Unsubscribed, "None", fwd, NoReply},
		{"None+PendingOut+PendingIn", Unsubscribed, "None+PendingOut", fwd, NoReply},
		{"To", Unsubscribed, "To", 0, NoReply},
		{"To+PendingIn", Unsubscribed, "To", fwd, NoReply},
		{"From", Unsubscribed, "None", fwd | push | unav, NoReply},
		{"From+PendingOut", Unsubscribed, "None+PendingOut", fwd | push | unav, NoReply},
		{"Both", Unsubscribed, "To", fwd | push | unav, NoReply},
		{"None+Approved", Unsubscribed, "None", push, NoReply},
		{"None+PendingOut+Approved", Unsubscribed, "None+PendingOut", push, NoReply},
		{"To+Approved", Unsubscribed, "To", push, NoReply},
	}
}

// inCells is the owner's server handling what arrives for the owner: RFC
// 6121 Appendix A.3 (§3.1.3, §3.1.6, §3.2.3, §3.3.3) with pre-approval from
// §3.4.2. Forward here means delivery to the owner.
func inCells() []cell {
	return []cell{
		// A.3.1 subscribe; a new pending-in is not pushed (nothing visible
		// changes), a pre-approval grants From at once (§3.4.2).
		{"None", Subscribe, "None+PendingIn", fwd, NoReply},
		{"None+PendingOut", Subscribe, "None+PendingOut+PendingIn", fwd, NoReply},
		{"None+PendingIn", Subscribe, "None+PendingIn", 0, NoReply},
		{"None+PendingOut+PendingIn", Subscribe, "None+PendingOut+PendingIn", 0, NoReply},
		{"To", Subscribe, "To+PendingIn", fwd, NoReply},
		{"To+PendingIn", Subscribe, "To+PendingIn", 0, NoReply},
		{"From", Subscribe, "From", 0, ReplySubscribed},
		{"From+PendingOut", Subscribe, "From+PendingOut", 0, ReplySubscribed},
		{"Both", Subscribe, "Both", 0, ReplySubscribed},
		{"None+Approved", Subscribe, "From", push | pres, ReplySubscribed},
		{"None+PendingOut+Approved", Subscribe, "From+PendingOut", push | pres, ReplySubscribed},
		{"To+Approved", Subscribe, "Both", push | pres, ReplySubscribed},
		// A.3.2 unsubscribe; no automatic reply.
		{"None", Unsubscribe, "None", 0, NoReply},
		{"None+PendingOut", Unsubscribe, "None+PendingOut", 0, NoReply},
		{"None+PendingIn", Unsubscribe, "None", fwd, NoReply},
		{"None+PendingOut+PendingIn", Unsubscribe, "None+PendingOut", fwd, NoReply},
		{"To", Unsubscribe, "To", 0, NoReply},
		{"To+PendingIn", Unsubscribe, "To", fwd, NoReply},
		{"From", Unsubscribe, "None", fwd | push | unav, NoReply},
		{"From+PendingOut", Unsubscribe, "None+PendingOut", fwd | push | unav, NoReply},
		{"Both", Unsubscribe, "To", fwd | push | unav, NoReply},
		{"None+Approved", Unsubscribe, "None+Approved", 0, NoReply},
		{"None+PendingOut+Approved", Unsubscribe, "None+PendingOut+Approved", 0, NoReply},
		{"To+Approved", Unsubscribe, "To+Approved", 0, NoReply},
		// A.3.3 subscribed; ignored unless the owner asked.
		{"None", Subscribed, "None", 0, NoReply},
		{"None+PendingOut", Subscribed, "To", fwd | push, NoReply},
		{"None+PendingIn", Subscribed, "None+PendingIn", 0, NoReply},
		{"None+PendingOut+PendingIn", Subscribed, "To+PendingIn", fwd | push, NoReply},
		{"To", Subscribed, "To", 0, NoReply},
		{"To+PendingIn", Subscribed, "To+PendingIn", 0, NoReply},
		{"From", Subscribed, "From", 0, NoReply},
		{"From+PendingOut", Subscribed, "Both", fwd | push, NoReply},
		{"Both", Subscribed, "Both", 0, NoReply},
		{"None+Approved", Subscribed, "None+Approved", 0, NoReply},
		{"None+PendingOut+Approved", Subscribed, "To+Approved", fwd | push, NoReply},
		{"To+Approved", Subscribed, "To+Approved", 0, NoReply},
		// A.3.4 unsubscribed; the owner's pre-approval is untouched.
		{"None", Unsubscribed, "None", 0, NoReply},
		{"None+PendingOut", Unsubscribed, "None", fwd | push, NoReply},
		{"None+PendingIn", Unsubscribed, "None+PendingIn", 0, NoReply},
		{"None+PendingOut+PendingIn", Unsubscribed, "None+PendingIn", fwd | push, NoReply},
		{"To", Unsubscribed, "None", fwd | push | gone, NoReply},
		{"To+PendingIn", Unsubscribed, "None+PendingIn", fwd | push | gone, NoReply},
		{"From", Unsubscribed, "From", 0, NoReply},
		{"From+PendingOut", Unsubscribed, "From", fwd | push, NoReply},
		{"Both", Unsubscribed, "From", fwd | push | gone, NoReply},
		{"None+Approved", Unsubscribed, "None+Approved", 0, NoReply},
		{"None+PendingOut+Approved", Unsubscribed, "None+Approved", fwd | push, NoReply},
		{"To+Approved", Unsubscribed, "None+Approved", fwd | push | gone, NoReply},
	}
}

// TestTransitions checks every cell of both RFC 6121 Appendix A tables.
func TestTransitions(t *testing.T) {
	directions := []struct {
		name  string
		apply func(State, Kind) Outcome
		cells []cell
	}{
		{"out", Out, outCells()},
		{"in", In, inCells()},
	}
	for _, d := range directions {
		t.Run(d.name+"/complete", func(t *testing.T) {
			assertComplete(t, d.cells)
		})
		for _, c := range d.cells {
			t.Run(d.name+"/"+c.from+"/"+c.kind.String(), func(t *testing.T) {
				got, want := d.apply(stateNamed(t, c.from), c.kind), c.want(t)
				if got != want {
					t.Errorf("got  %+v\nwant %+v", got, want)
				}
			})
		}
	}
}

// assertComplete fails unless cells hold exactly one row for every named
// state and kind.
func assertComplete(t *testing.T, cells []cell) {
	t.Helper()
	type key struct {
		state string
		kind  Kind
	}
	seen := make(map[key]int, len(cells))
	for _, c := range cells {
		seen[key{c.from, c.kind}]++
	}
	for _, s := range stateNames() {
		for _, k := range allKinds() {
			if n := seen[key{s, k}]; n != 1 {
				t.Errorf("%s/%v: %d rows, want 1", s, k, n)
			}
		}
	}
	if want := len(stateNames()) * len(allKinds()); len(cells) != want {
		t.Errorf("%d rows, want %d", len(cells), want)
	}
}
