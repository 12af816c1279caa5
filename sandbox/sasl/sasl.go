// Package sasl implements the server side of the SASL mechanisms the sandbox
// offers to clients: PLAIN (RFC 4616), SCRAM-SHA-1 (RFC 5802) and
// SCRAM-SHA-256 (RFC 7677).
//
// The package deals in raw bytes: base64 and the XML of RFC 6120 §6.4 are the
// caller's job. A caller starts an Exchange when it receives <auth/>, feeds
// it every decoded client message and sends back what Step returns.
package sasl

// Mechanism is the name of a SASL mechanism as it appears in <mechanism/>.
type Mechanism string

// The mechanisms this package implements. Channel binding is not offered, so
// there are no -PLUS variants.
const (
	PLAIN       Mechanism = "PLAIN"
	SCRAMSHA1   Mechanism = "SCRAM-SHA-1"
	SCRAMSHA256 Mechanism = "SCRAM-SHA-256"
)

// Mechanisms returns the mechanism names in preference order, strongest
// first, ready for <mechanisms/>. Each call returns a fresh slice.
func Mechanisms() []string {
	return []string{string(SCRAMSHA256), string(SCRAMSHA1), string(PLAIN)}
}

// Credentials is how mechanisms look up users; the server implements it over
// its store. Both methods must be safe for concurrent use.
type Credentials interface {
	// Password returns the user's plain password. PLAIN compares it in
	// constant time.
	Password(username string) (string, bool)
	// SCRAMKeys returns the salted SCRAM keys of the user for mech
	// ("SCRAM-SHA-1" or "SCRAM-SHA-256"). Implementations compute them once
	// per password, with DeriveKeys, and keep them, so that a login costs
	// no PBKDF2.
	SCRAMKeys(username, mech string) (Keys, bool)
}

// PasswordChecker is an optional Credentials method: when the credentials
// implement it, PLAIN asks it to judge the presented password instead of
// comparing it with Password's. The sandbox's any-password mode uses it.
type PasswordChecker interface {
	CheckPassword(username, password string) bool
}

// Keys is what a server stores for SCRAM (RFC 5802 §3): the salt and
// iteration count given to the client, and the two keys derived from the
// salted password. The password itself cannot be recovered from them.
type Keys struct {
	Salt      []byte
	Iters     int
	StoredKey []byte
	ServerKey []byte
}

// step is one mechanism's server state machine. It receives every client
// message, the initial response included.
type step interface {
	next(in []byte) (out []byte, done bool, err error)
	// username is the authenticated user; it is valid once next returned
	// done.
	username() string
}

// Exchange is one authentication attempt. It is not safe for concurrent use
// and cannot be reused.
type Exchange struct {
	mech     step
	started  bool
	finished bool
	user     string
}

// Start begins one authentication exchange with mechanism mech for users of
// domain, the domain the server serves (needed to check authzids). An
// unknown mechanism gives ErrInvalidMechanism.
func Start(mech, domain string, creds Credentials) (*Exchange, error) {
	switch Mechanism(mech) {
	case PLAIN:
		return &Exchange{mech: newPlain(domain, creds)}, nil
	case SCRAMSHA1, SCRAMSHA256:
		return &Exchange{mech: newSCRAM(Mechanism(mech), domain, creds)}, nil
	}
	return nil, ErrInvalidMechanism
}

// Step consumes the client's next message and returns the server's next
// challenge, or done=true with the additional data for <success/> (SCRAM's
// server-final-message; nothing for PLAIN). The first call takes the initial
// response; nil there means the client sent none. Errors are *Failure values.
// After done or an error the exchange is over: every further Step fails
// with malformed-request.
func (e *Exchange) Step(in []byte) (out []byte, done bool, err error) {
	if e.finished {
		return nil, false, fail(ConditionMalformedRequest, "the exchange is already over")
	}
	if !e.started {
		e.started = true
		if in == nil {
			// RFC 4422 §5 and RFC 6120 §6.4.2: without an initial response
			// the server opens a client-first mechanism with an empty
			// challenge. A zero-length response ("=") is not nil.
			return []byte{}, false, nil
		}
	}
	out, done, err = e.mech.next(in)
	if err != nil || done {
		e.finished = true
	}
	if err == nil && done {
		e.user = e.mech.username()
	}
	return out, done, err
}

// Username returns the authenticated localpart, as the client sent it, once
// Step has returned done; before that, or after a failure, it is empty.
func (e *Exchange) Username() string {
	return e.user
}
