package stanza

// Stanza error conditions of RFC 6120 §8.3.3, each with the error type
// the RFC gives it.
const (
	BadRequest            = "bad-request"
	Conflict              = "conflict"
	FeatureNotImplemented = "feature-not-implemented"
	Forbidden             = "forbidden"
	Gone                  = "gone"
	InternalServerError   = "internal-server-error"
	ItemNotFound          = "item-not-found"
	JIDMalformed          = "jid-malformed"
	NotAcceptable         = "not-acceptable"
	NotAllowed            = "not-allowed"
	NotAuthorized         = "not-authorized"
	PolicyViolation       = "policy-violation"
	RecipientUnavailable  = "recipient-unavailable"
	Redirect              = "redirect"
	RegistrationRequired  = "registration-required"
	RemoteServerNotFound  = "remote-server-not-found"
	RemoteServerTimeout   = "remote-server-timeout"
	ResourceConstraint    = "resource-constraint"
	ServiceUnavailable    = "service-unavailable"
	SubscriptionRequired  = "subscription-required"
	UndefinedCondition    = "undefined-condition"
	UnexpectedRequest     = "unexpected-request"
)

var errorTypes = map[string]string{
	BadRequest:            "modify",
	Conflict:              "cancel",
	FeatureNotImplemented: "cancel",
	Forbidden:             "auth",
	Gone:                  "cancel",
	InternalServerError:   "cancel",
	ItemNotFound:          "cancel",
	JIDMalformed:          "modify",
	NotAcceptable:         "modify",
	NotAllowed:            "cancel",
	NotAuthorized:         "auth",
	PolicyViolation:       "modify",
	RecipientUnavailable:  "wait",
	Redirect:              "modify",
	RegistrationRequired:  "auth",
	RemoteServerNotFound:  "cancel",
	RemoteServerTimeout:   "wait",
	ResourceConstraint:    "wait",
	ServiceUnavailable:    "cancel",
	SubscriptionRequired:  "auth",
	UndefinedCondition:    "cancel",
	UnexpectedRequest:     "wait",
}

// ErrorType returns the RFC 6120 §8.3.3 error type of a condition.
func ErrorType(condition string) string {
	if t, ok := errorTypes[condition]; ok {
		return t
	}
	return "cancel"
}

// ErrorReply builds the error stanza answering e (RFC 6120 §8.3): same
// kind and id, addresses swapped, type='error', and an <error/> with the
// condition and, when text is not empty, a human-readable text.
func (e *Element) ErrorReply(condition, text string) *Element {
	r := New(e.Name.Space, e.Name.Local, "id", e.ID(), "type", "error", "from", e.To(), "to", e.From())
	if e.Name.Local == IQ {
		// The request's payload helps the client match the error to what
		// it asked (RFC 6120 §8.3.1 allows including the original XML).
		if p := e.Payload(); p != nil {
			r.Append(p)
		}
	}
	return r.Append(NewError(condition, text))
}

// NewError builds an <error/> child for a stanza.
func NewError(condition, text string) *Element {
	el := New(NSClient, "error", "type", ErrorType(condition))
	el.Append(New(NSStanzas, condition))
	if text != "" {
		t := New(NSStanzas, "text")
		t.Attr = append(t.Attr, langEN)
		el.Append(t.AppendText(text))
	}
	return el
}
