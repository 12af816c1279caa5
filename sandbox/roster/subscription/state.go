package subscription

// State is one of RFC 6121's nine subscription states (Appendix A.1) plus
// the pre-approval flag (RFC 6121 §3.4).
type State struct {
	Sub Sub
	// PendingOut reports that the owner asked the contact to subscribe;
	// on the wire it is ask='subscribe' (RFC 6121 §2.1.2.2).
	PendingOut bool
	// PendingIn reports that the contact asked the owner; it is never
	// shown on the wire as ask.
	PendingIn bool
	// Approved reports that the owner pre-approved a request from the
	// contact (RFC 6121 §3.4); it is meaningful only while the contact has
	// neither From nor Both.
	Approved bool
}

// Valid reports whether s is one of the nine states of RFC 6121 Appendix
// A.1, with Approved set only where no From subscription exists yet. A
// pending request in a direction that is already subscribed (To+PendingOut,
// From+PendingIn, Both with either) is not a state.
func (s State) Valid() bool {
	switch {
	case s.Sub > Both:
		return false
	case s.Sub.hasTo() && s.PendingOut:
		return false
	case s.Sub.hasFrom() && (s.PendingIn || s.Approved):
		return false
	}
	return true
}

// Normalize maps a state that only bad stored data can produce onto the
// valid state it means: a request in a direction already subscribed is
// moot, a pre-approval is moot once From exists, and an unknown Sub reads
// as None.
func (s State) Normalize() State {
	if s.Sub > Both {
		s.Sub = None
	}
	if s.Sub.hasTo() {
		s.PendingOut = false
	}
	if s.Sub.hasFrom() {
		s.PendingIn = false
		s.Approved = false
	}
	return s
}

// String names the state as RFC 6121 Appendix A.1 does, for example
// "None+PendingOut", "To+PendingIn" or "Both", with "+Approved" appended
// for a pre-approval.
func (s State) String() string {
	var name string
	switch s.Sub {
	case None:
		name = "None"
	case To:
		name = "To"
	case From:
		name = "From"
	case Both:
		name = "Both"
	default:
		name = s.Sub.String()
	}
	if s.PendingOut {
		name += "+PendingOut"
	}
	if s.PendingIn {
		name += "+PendingIn"
	}
	if s.Approved {
		name += "+Approved"
	}
	return name
}

// Wire returns what a roster item shows: the subscription attribute value,
// whether ask='subscribe' is present and whether approved='true' is present
// (RFC 6121 §2.1.2). It describes the normalised state.
func (s State) Wire() (sub string, ask bool, approved bool) {
	n := s.Normalize()
	return n.Sub.String(), n.PendingOut, n.Approved
}

// Hidden reports whether the item exists only as a pending inbound request
// (None+PendingIn, not approved). Such items are neither pushed when they
// appear nor listed in roster results, as ejabberd does, because the
// request reaches the owner as a presence stanza instead.
func (s State) Hidden() bool {
	n := s.Normalize()
	return n == State{PendingIn: true}
}

// SendsPresenceTo reports whether the contact receives the owner's
// presence: From or Both.
func (s State) SendsPresenceTo() bool { return s.Sub <= Both && s.Sub.hasFrom() }

// ReceivesPresence reports whether the owner receives the contact's
// presence: To or Both.
func (s State) ReceivesPresence() bool { return s.Sub <= Both && s.Sub.hasTo() }

// sameOnWire reports whether a client shown a would see no difference in b.
func sameOnWire(a, b State) bool {
	a, b = a.Normalize(), b.Normalize()
	return a.Sub == b.Sub && a.PendingOut == b.PendingOut && a.Approved == b.Approved
}
