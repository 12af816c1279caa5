package subscription

import "strconv"

// Sub is the subscription part of a roster item. Its values are bit sets:
// To and From are single bits and Both is their union.
type Sub uint8

// The four values of the roster item's subscription attribute
// (RFC 6121 §2.1.2.5).
const (
	None Sub = iota
	To
	From
	Both
)

// String returns the subscription attribute value: "none", "to", "from" or
// "both".
func (s Sub) String() string {
	switch s {
	case None:
		return "none"
	case To:
		return "to"
	case From:
		return "from"
	case Both:
		return "both"
	}
	return "Sub(" + strconv.Itoa(int(s)) + ")"
}

// ParseSub reads a subscription attribute value; "remove" is not a state and
// is rejected.
func ParseSub(s string) (Sub, bool) {
	switch s {
	case "none":
		return None, true
	case "to":
		return To, true
	case "from":
		return From, true
	case "both":
		return Both, true
	}
	return None, false
}

// hasTo reports whether the owner is subscribed to the contact's presence.
func (s Sub) hasTo() bool { return s&To != 0 }

// hasFrom reports whether the contact is subscribed to the owner's presence.
func (s Sub) hasFrom() bool { return s&From != 0 }
