package subscription

import "strconv"

// Kind is the type of a presence subscription stanza.
type Kind uint8

// The four presence types that manage subscriptions (RFC 6121 §3).
const (
	Subscribe Kind = iota
	Subscribed
	Unsubscribe
	Unsubscribed
)

// String returns the presence type attribute value.
func (k Kind) String() string {
	switch k {
	case Subscribe:
		return "subscribe"
	case Subscribed:
		return "subscribed"
	case Unsubscribe:
		return "unsubscribe"
	case Unsubscribed:
		return "unsubscribed"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// ParseKind reads a presence type attribute value; it reports false for
// every type that does not manage subscriptions.
func ParseKind(t string) (Kind, bool) {
	switch t {
	case "subscribe":
		return Subscribe, true
	case "subscribed":
		return Subscribed, true
	case "unsubscribe":
		return Unsubscribe, true
	case "unsubscribed":
		return Unsubscribed, true
	}
	return Subscribe, false
}
