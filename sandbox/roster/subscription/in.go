package subscription

// In is the seed's in_state_change plus delivery: the owner's server
// handles a subscription stanza that arrives for the owner from the contact
// (RFC 6121 Appendix A.3). It is total: an invalid s is normalised first
// and an unknown k changes nothing.
func In(s State, k Kind) Outcome {
	n := s.Normalize()
	var o Outcome
	switch k {
	case Subscribe:
		o = inSubscribe(n)
	case Subscribed:
		o = inSubscribed(n)
	case Unsubscribe:
		o = inUnsubscribe(n)
	case Unsubscribed:
		o = inUnsubscribed(n)
	default:
		o = Outcome{New: n}
	}
	return settle(s, o)
}

// inSubscribe records the contact's request. RFC 6121 §3.1.3 and A.3.1: a
// contact that already has From gets an automatic subscribed and the owner
// is not bothered; a pre-approved contact is granted From at once without
// delivery (RFC 6121 §3.4.2); a request already pending is not delivered
// again.
func inSubscribe(n State) Outcome {
	switch {
	case n.Sub.hasFrom():
		return Outcome{New: n, Reply: ReplySubscribed}
	case n.Approved:
		n.Sub |= From
		n.PendingIn = false
		n.Approved = false
		return Outcome{New: n, Reply: ReplySubscribed}
	case n.PendingIn:
		return Outcome{New: n}
	}
	n.PendingIn = true
	return Outcome{New: n, Forward: true}
}

// inSubscribed records the contact's approval. RFC 6121 §3.1.6 and A.3.3:
// it counts only when the owner asked; otherwise it is ignored, so that a
// contact cannot force its presence on the owner.
func inSubscribed(n State) Outcome {
	if !n.PendingOut {
		return Outcome{New: n}
	}
	n.Sub |= To
	n.PendingOut = false
	return Outcome{New: n, Forward: true}
}

// inUnsubscribe records that the contact ended its subscription to the
// owner or withdrew its request. RFC 6121 §3.3.3 and A.3.2: delivered only
// when there was something to end. No automatic reply is sent; the RFC
// does not ask for one.
func inUnsubscribe(n State) Outcome {
	if !n.PendingIn && !n.Sub.hasFrom() {
		return Outcome{New: n}
	}
	n.Sub &^= From
	n.PendingIn = false
	return Outcome{New: n, Forward: true}
}

// inUnsubscribed records that the contact denied the owner's request or
// cancelled the owner's subscription. RFC 6121 §3.2.3 and A.3.4: delivered
// only when there was something to end. The owner's own pre-approval is
// left alone.
func inUnsubscribed(n State) Outcome {
	if !n.PendingOut && !n.Sub.hasTo() {
		return Outcome{New: n}
	}
	n.Sub &^= To
	n.PendingOut = false
	return Outcome{New: n, Forward: true}
}
