package subscription

// Out is the seed's out_state_change plus routing: the owner's server
// handles a subscription stanza the owner sends to the contact (RFC 6121
// Appendix A.2). It is total: an invalid s is normalised first and an
// unknown k changes nothing.
func Out(s State, k Kind) Outcome {
	n := s.Normalize()
	var o Outcome
	switch k {
	case Subscribe:
		o = outSubscribe(n)
	case Unsubscribe:
		o = outUnsubscribe(n)
	case Subscribed:
		o = outSubscribed(n)
	case Unsubscribed:
		o = outUnsubscribed(n)
	default:
		o = Outcome{New: n}
	}
	return settle(s, o)
}

// outSubscribe asks the contact for a subscription. RFC 6121 §3.1.2 and
// A.2.1: the request is routed in every state, so that a contact whose
// server has lost track can answer again; it is pending only while the
// owner has no To yet.
func outSubscribe(n State) Outcome {
	if !n.Sub.hasTo() {
		n.PendingOut = true
	}
	return Outcome{New: n, Forward: true}
}

// outUnsubscribe ends the owner's subscription to the contact or withdraws
// the owner's request. RFC 6121 §3.3.2 and A.2.2: routed in every state.
func outUnsubscribe(n State) Outcome {
	n.Sub &^= To
	n.PendingOut = false
	return Outcome{New: n, Forward: true}
}

// outSubscribed approves the contact's request. RFC 6121 §3.1.5 and A.2.3:
// with a request pending it grants From and is routed; without one, and
// while the contact has no From, it is a pre-approval (RFC 6121 §3.4.1),
// kept by the server and not routed.
func outSubscribed(n State) Outcome {
	switch {
	case n.Sub.hasFrom():
		return Outcome{New: n}
	case n.PendingIn:
		n.Sub |= From
		n.PendingIn = false
		n.Approved = false
		return Outcome{New: n, Forward: true}
	}
	n.Approved = true
	return Outcome{New: n}
}

// outUnsubscribed denies a pending request or cancels the contact's
// subscription. RFC 6121 §3.2.2 and A.2.4: routed only when there is a
// request or a subscription to end; it always withdraws a pre-approval
// (RFC 6121 §3.4.1).
func outUnsubscribed(n State) Outcome {
	forward := n.PendingIn || n.Sub.hasFrom()
	n.Sub &^= From
	n.PendingIn = false
	n.Approved = false
	return Outcome{New: n, Forward: forward}
}
