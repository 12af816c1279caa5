package subscription

// Outcome says what the server must do for one subscription stanza; a
// separate layer performs it.
type Outcome struct {
	// New is the item's state after the stanza.
	New State
	// Changed reports that New differs from the old state, so the item
	// must be stored.
	Changed bool
	// Push reports that a roster push of the item must go to the owner's
	// interested resources. It is set exactly when what a client sees of
	// the item (Wire) changes; so a Hidden item is not pushed when it
	// appears, but is pushed when it takes away an ask the client was
	// shown.
	Push bool
	// Forward means, outbound: route the stanza to the contact; inbound:
	// deliver it to the owner's available resources.
	Forward bool
	// Reply is, inbound only, an automatic answer the owner's server sends
	// back to the contact.
	Reply Reply
	// SendPresence asks for the owner's current available presence (every
	// available resource) to be sent to the contact, because the contact
	// has just gained From.
	SendPresence bool
	// SendUnavailable asks for unavailable presence from the owner's
	// available resources to be sent to the contact, because the contact
	// has just lost From.
	SendUnavailable bool
	// ContactGone asks for the owner's resources to receive unavailable
	// presence for the contact's resources, because the owner has just
	// lost To.
	ContactGone bool
}

// Reply is an automatic answer the owner's server sends to the contact.
type Reply uint8

// The automatic answers.
const (
	NoReply Reply = iota
	ReplySubscribed
	ReplyUnsubscribed
)

// String returns the presence type of the answer, or "" for NoReply.
func (r Reply) String() string {
	switch r {
	case ReplySubscribed:
		return "subscribed"
	case ReplyUnsubscribed:
		return "unsubscribed"
	}
	return ""
}

// settle fills in Changed, Push and the presence side effects of o, which
// all follow from comparing o.New with old: whichever stanza grants or ends
// a subscription, the presence consequences are the same (RFC 6121 §3.1.5,
// §3.2.2, §3.3.2, §3.4.2).
func settle(old State, o Outcome) Outcome {
	before := old.Normalize()
	o.Changed = o.New != old
	o.Push = !sameOnWire(before, o.New)
	o.SendPresence = gainedFrom(before, o.New)
	o.SendUnavailable = lostFrom(before, o.New)
	o.ContactGone = lostTo(before, o.New)
	return o
}

// lostTo reports whether the owner stopped receiving the contact's presence.
func lostTo(before, after State) bool {
	return before.Sub.hasTo() && !after.Sub.hasTo()
}

// lostFrom reports whether the contact stopped receiving the owner's
// presence.
func lostFrom(before, after State) bool {
	return before.Sub.hasFrom() && !after.Sub.hasFrom()
}

// gainedFrom reports whether the contact started receiving the owner's
// presence.
func gainedFrom(before, after State) bool {
	return !before.Sub.hasFrom() && after.Sub.hasFrom()
}
