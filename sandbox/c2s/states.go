package c2s

// State names a state of the session machine, as the seed names them.
type State uint8

// The states of a client session, in the order a login walks them.
const (
	// WaitForStream waits for the client's stream header (again after
	// each restart).
	WaitForStream State = iota
	// WaitForFeatureRequest waits for STARTTLS or SASL <auth/> on a
	// stream that has not negotiated TLS.
	WaitForFeatureRequest
	// WaitForAuth waits for SASL <auth/> once TLS is in place.
	WaitForAuth
	// WaitForSASLResponse waits for the client's answer to a challenge.
	WaitForSASLResponse
	// WaitForBind waits for resource binding after authentication.
	WaitForBind
	// WaitForSession accepts the legacy session request (RFC 3921),
	// advertised as optional; any other stanza moves on.
	WaitForSession
	// SessionEstablished routes stanzas.
	SessionEstablished
)

var stateNames = [...]string{
	"wait_for_stream", "wait_for_feature_request", "wait_for_auth",
	"wait_for_sasl_response", "wait_for_bind", "wait_for_session",
	"session_established",
}

func (s State) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return "unknown"
}
