// Package stream reads an XMPP stream (RFC 6120 §4) one stanza at a time:
// the seed's receiver and xml_stream. It enforces restricted XML (§11) and
// the stanza size limit, and reports violations as stream errors the c2s
// state machine sends before closing.
package stream

// Stream error conditions of RFC 6120 §4.9.3.
const (
	BadFormat           = "bad-format"
	BadNamespacePrefix  = "bad-namespace-prefix"
	Conflict            = "conflict"
	ConnectionTimeout   = "connection-timeout"
	HostUnknown         = "host-unknown"
	InternalServerError = "internal-server-error"
	InvalidFrom         = "invalid-from"
	InvalidNamespace    = "invalid-namespace"
	InvalidXML          = "invalid-xml"
	NotAuthorized       = "not-authorized"
	NotWellFormed       = "not-well-formed"
	PolicyViolation     = "policy-violation"
	Reset               = "reset"
	ResourceConstraint  = "resource-constraint"
	RestrictedXML       = "restricted-xml"
	SystemShutdown      = "system-shutdown"
	UndefinedCondition  = "undefined-condition"
	UnsupportedEncoding = "unsupported-encoding"
	UnsupportedFeature  = "unsupported-feature"
	UnsupportedStanza   = "unsupported-stanza-type"
	UnsupportedVersion  = "unsupported-version"
)

// Error is a stream-level error: the condition to send in <stream:error/>
// before the stream is closed.
type Error struct {
	Condition string
	Text      string
}

func (e *Error) Error() string {
	if e.Text == "" {
		return "stream error: " + e.Condition
	}
	return "stream error: " + e.Condition + ": " + e.Text
}

func errorf(condition, text string) *Error { return &Error{Condition: condition, Text: text} }
