package subscription

// Remove describes removing the item (iq set subscription='remove', RFC
// 6121 §2.5.2): which of unsubscribe and unsubscribed to send to the
// contact. Beyond the RFC's two rules (unsubscribe when the owner has To,
// unsubscribed when the contact has From) a pending request in either
// direction is withdrawn or denied too (RFC 6121 §3.3.1, §3.2.1), so that
// the contact's item does not keep waiting for an answer that can no
// longer come.
func Remove(s State) (sendUnsubscribe, sendUnsubscribed bool) {
	n := s.Normalize()
	return n.Sub.hasTo() || n.PendingOut, n.Sub.hasFrom() || n.PendingIn
}
