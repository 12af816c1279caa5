// Package toggle switches optional server features on and off while the
// server runs, so a client's test suite can check how the client copes
// with a server that lacks one. A change applies to streams that start
// after it: a session keeps what its stream offered (see State).
package toggle

import (
	"fmt"
	"strings"
)

// Name names a feature that can be switched off.
type Name string

// The features a toggle switches. Every one is on until switched off.
const (
	// RosterVersioning is XEP-0237: the rosterver stream feature and the
	// ver attribute of roster results and pushes.
	RosterVersioning Name = "roster-versioning"
	// SASLPlain, SASLScramSHA1 and SASLScramSHA256 are the SASL
	// mechanisms offered in <mechanisms/> (RFC 6120 §6.4.1).
	SASLPlain       Name = "sasl-plain"
	SASLScramSHA1   Name = "sasl-scram-sha-1"
	SASLScramSHA256 Name = "sasl-scram-sha-256"
	// StartTLS is the offer of STARTTLS (RFC 6120 §5).
	StartTLS Name = "starttls"
	// Session is the legacy session establishment feature (RFC 3921 §3,
	// kept optional by RFC 6121 Appendix E).
	Session Name = "session"
	// PreApproval is subscription pre-approval (RFC 6121 §3.4).
	PreApproval Name = "pre-approval"
	// Disco, Ping and Version are XEP-0030, XEP-0199 and XEP-0092.
	Disco   Name = "disco"
	Ping    Name = "ping"
	Version Name = "version"
)

// Names returns every toggle in a stable order; the position of a name is
// its bit in State.
func Names() []Name {
	return []Name{
		RosterVersioning, SASLPlain, SASLScramSHA1, SASLScramSHA256,
		StartTLS, Session, PreApproval, Disco, Ping, Version,
	}
}

// Parse reads a toggle name, ignoring case, and names the valid ones when
// text is none of them.
func Parse(text string) (Name, error) {
	n := Name(strings.ToLower(strings.TrimSpace(text)))
	if _, ok := bit(n); ok {
		return n, nil
	}
	var all []string
	for _, n := range Names() {
		all = append(all, string(n))
	}
	return "", fmt.Errorf("unknown toggle %q: want one of %s", text, strings.Join(all, ", "))
}

// ForMechanism returns the toggle of a SASL mechanism name as it appears
// in <mechanism/>.
func ForMechanism(mech string) (Name, bool) {
	switch mech {
	case "PLAIN":
		return SASLPlain, true
	case "SCRAM-SHA-1":
		return SASLScramSHA1, true
	case "SCRAM-SHA-256":
		return SASLScramSHA256, true
	}
	return "", false
}

// bit returns the bit of n in a State.
func bit(n Name) (State, bool) {
	for i, m := range Names() {
		if m == n {
			return 1 << i, true
		}
	}
	return 0, false
}
