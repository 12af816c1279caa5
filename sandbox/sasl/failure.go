package sasl

// The SASL failure conditions this package reports, as defined in
// RFC 6120 §6.5. Encryption-required and the others are not produced here:
// they depend on the stream, which is the caller's business.
const (
	// ConditionInvalidAuthzid is RFC 6120 §6.5.6: the authzid is not the
	// authenticated user's own bare JID.
	ConditionInvalidAuthzid = "invalid-authzid"
	// ConditionInvalidMechanism is RFC 6120 §6.5.7: the mechanism was not
	// offered.
	ConditionInvalidMechanism = "invalid-mechanism"
	// ConditionMalformedRequest is RFC 6120 §6.5.8: the client's message
	// does not follow the mechanism's syntax.
	ConditionMalformedRequest = "malformed-request"
	// ConditionNotAuthorized is RFC 6120 §6.5.10: wrong credentials. It
	// never says whether the user or the password was wrong.
	ConditionNotAuthorized = "not-authorized"
)

// Failure is why an exchange failed: Condition is the RFC 6120 §6.5 element
// name to put in <failure/>, Text an optional human-readable explanation for
// the <text/> child.
type Failure struct {
	Condition string
	Text      string
}

// ErrInvalidMechanism is returned by Start and DeriveKeys for a mechanism
// this package does not implement.
var ErrInvalidMechanism error = &Failure{Condition: ConditionInvalidMechanism}

// Error returns the condition followed by the text, if any.
func (f *Failure) Error() string {
	if f.Text == "" {
		return "sasl: " + f.Condition
	}
	return "sasl: " + f.Condition + ": " + f.Text
}

// Is reports whether target is a *Failure with the same Condition, so that
// errors.Is(err, ErrInvalidMechanism) holds whatever the Text.
func (f *Failure) Is(target error) bool {
	t, ok := target.(*Failure)
	return ok && t.Condition == f.Condition
}

// fail builds a *Failure; a helper so call sites stay on one line.
func fail(condition, text string) *Failure {
	return &Failure{Condition: condition, Text: text}
}

// notAuthorized is the single failure for every credential mismatch, so
// that unknown users and wrong passwords look exactly alike.
func notAuthorized() *Failure {
	return fail(ConditionNotAuthorized, "authentication failed")
}
