package subscription

import "testing"

// pair holds two users' items for each other, for replaying conversations
// in which every stanza is delivered at once.
type pair struct {
	items [2]State
}

// stepResult records what one step did on each side.
type stepResult struct {
	actor, peer Outcome
}

// act has user actor send a subscription stanza of kind k to the other
// user: Out on the actor's item, then In on the other's item if the stanza
// is routed, then In on the actor's item for an automatic reply.
func (p *pair) act(actor int, k Kind) stepResult {
	peer := 1 - actor
	var r stepResult
	r.actor = Out(p.items[actor], k)
	p.items[actor] = r.actor.New
	if !r.actor.Forward {
		return r
	}
	r.peer = In(p.items[peer], k)
	p.items[peer] = r.peer.New
	p.reply(actor, r.peer.Reply)
	return r
}

// reply delivers an automatic reply to user to; a reply never causes
// another one.
func (p *pair) reply(to int, r Reply) {
	var o Outcome
	switch r {
	case ReplySubscribed:
		o = In(p.items[to], Subscribed)
	case ReplyUnsubscribed:
		o = In(p.items[to], Unsubscribed)
	default:
		return
	}
	p.items[to] = o.New
}

// remove has user actor delete the item (RFC 6121 §2.5.2): the item goes
// back to None and the stanzas Remove asks for reach the other user.
func (p *pair) remove(actor int) {
	peer := 1 - actor
	unsubscribe, unsubscribed := Remove(p.items[actor])
	p.items[actor] = State{}
	if unsubscribe {
		p.items[peer] = In(p.items[peer], Unsubscribe).New
	}
	if unsubscribed {
		p.items[peer] = In(p.items[peer], Unsubscribed).New
	}
}

// consistent returns "" when a and b, two users' items for each other, can
// both be true at once after every stanza between them was delivered, or
// else what is wrong. The invariant:
//   - both items are Valid;
//   - a has To exactly when b has From, and the other way round
//     (RFC 6121 §3: a subscription is one fact seen from two sides);
//   - a.PendingOut exactly when b.PendingIn, and the other way round: a
//     request is pending on both sides or on neither (a request is never
//     pending in a direction already subscribed, so no exception is needed
//     for From or Both);
//   - a pre-approval never coexists with a pending request from the
//     contact, since the request consumes it (RFC 6121 §3.4.2).
func consistent(a, b State) string {
	switch {
	case !a.Valid() || !b.Valid():
		return "invalid state"
	case a.ReceivesPresence() != b.SendsPresenceTo(), b.ReceivesPresence() != a.SendsPresenceTo():
		return "subscriptions disagree"
	case a.PendingOut != b.PendingIn, b.PendingOut != a.PendingIn:
		return "pending requests disagree"
	case a.Approved && a.PendingIn, b.Approved && b.PendingIn:
		return "pre-approval left beside a pending request"
	}
	return ""
}

// FuzzPair plays random conversations between two users, both starting at
// None, and checks after every step that the two items agree. Each input
// byte is one step: bit 0 picks the acting user, the rest picks one of the
// four kinds or a roster remove.
func FuzzPair(f *testing.F) {
	f.Add([]byte{0, 3, 1, 2})       // the seed's section 2 walk-through
	f.Add([]byte{2, 1, 6, 7})       // pre-approval used, then both cancel with unsubscribed
	f.Add([]byte{0, 1, 8, 3, 9, 4}) // crossing requests, removals on both sides
	f.Fuzz(func(t *testing.T, steps []byte) {
		var p pair
		for i, b := range steps {
			before := p.items
			playStep(t, &p, int(b&1), b>>1)
			if msg := consistent(p.items[0], p.items[1]); msg != "" {
				t.Fatalf("step %d (byte %d) from %v/%v: %s: %v/%v",
					i, b, before[0], before[1], msg, p.items[0], p.items[1])
			}
		}
	})
}

// playStep applies one decoded step and checks the properties every
// Outcome must have.
func playStep(t *testing.T, p *pair, actor int, op byte) {
	t.Helper()
	op %= 5
	if op == 4 {
		p.remove(actor)
		return
	}
	before := p.items
	r := p.act(actor, Kind(op))
	checkOutcome(t, before[actor], r.actor)
	if r.actor.Forward {
		checkOutcome(t, before[1-actor], r.peer)
	}
}

// checkOutcome fails when o contradicts its own definition for old.
func checkOutcome(t *testing.T, old State, o Outcome) {
	t.Helper()
	if o.Changed != (o.New != old) {
		t.Fatalf("%v → %v: Changed=%v", old, o.New, o.Changed)
	}
	if o.Push && !o.Changed {
		t.Fatalf("%v → %v: push without change", old, o.New)
	}
}
