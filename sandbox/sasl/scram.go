package sasl

import (
	"github.com/xdg-go/scram"
)

// maxSCRAMMessage bounds each SCRAM client message. Real ones are well under
// 300 bytes; the bound keeps a hostile client from making the server split
// and copy megabytes.
const maxSCRAMMessage = 4096

// scramStep is the server side of SCRAM (RFC 5802, RFC 7677) over
// github.com/xdg-go/scram: client-first, server-first, client-final,
// server-final.
type scramStep struct {
	conv   *scram.ServerConversation
	domain string
	// known is whether the user exists; an unknown user runs the exchange
	// on decoy keys and must never succeed.
	known         bool
	answeredFirst bool
}

// newSCRAM starts a SCRAM exchange; mech is SCRAMSHA1 or SCRAMSHA256.
func newSCRAM(mech Mechanism, domain string, creds Credentials) *scramStep {
	s := &scramStep{domain: domain}
	hashGen := scram.SHA1
	if mech == SCRAMSHA256 {
		hashGen = scram.SHA256
	}
	server, _ := hashGen.NewServer(s.lookup(mech, creds)) // It never fails.
	s.conv = server.NewConversation()
	return s
}

// lookup adapts Credentials to the library, handing out decoy keys for an
// unknown user so that the exchange does not end early.
func (s *scramStep) lookup(mech Mechanism, creds Credentials) scram.CredentialLookup {
	return func(username string) (scram.StoredCredentials, error) {
		keys, ok := creds.SCRAMKeys(username, string(mech))
		s.known = ok
		if !ok {
			keys = decoyKeys(mech, s.domain, username)
		}
		return scram.StoredCredentials{
			KeyFactors: scram.KeyFactors{Salt: string(keys.Salt), Iters: keys.Iters},
			StoredKey:  keys.StoredKey,
			ServerKey:  keys.ServerKey,
		}, nil
	}
}

// username is the name from the client-first-message, with RFC 5802 §5.1's
// "=2C" and "=3D" already decoded by the library.
func (s *scramStep) username() string { return s.conv.Username() }

// next routes the client's message to the step the exchange is at.
func (s *scramStep) next(in []byte) ([]byte, bool, error) {
	if len(in) > maxSCRAMMessage {
		return nil, false, fail(ConditionMalformedRequest, "SCRAM: message too long")
	}
	if !s.answeredFirst {
		s.answeredFirst = true
		out, err := s.first(in)
		return out, false, err
	}
	return s.final(in)
}

// first answers the client-first-message with the server-first-message.
func (s *scramStep) first(in []byte) ([]byte, error) {
	if err := checkClientFirst(in); err != nil {
		return nil, err
	}
	out, err := s.conv.Step(string(in))
	if err != nil {
		return nil, fail(ConditionMalformedRequest, "SCRAM: "+err.Error())
	}
	if s.conv.Username() == "" {
		return nil, fail(ConditionMalformedRequest, "SCRAM: empty username")
	}
	if err := checkAuthzid(s.conv.AuthzID(), s.conv.Username(), s.domain); err != nil {
		return nil, err
	}
	return []byte(out), nil
}

// final checks the client-final-message and, if the proof holds, returns
// the server-final-message.
func (s *scramStep) final(in []byte) ([]byte, bool, error) {
	out, err := s.conv.Step(string(in))
	switch {
	case err == nil && s.known:
		return []byte(out), true, nil
	case err == nil || out == scram.ErrInvalidProof:
		return nil, false, notAuthorized()
	}
	// RFC 5802 §5.1 has the client echo the nonce and, in "c", the gs2
	// header; a mismatch there, or a proof of the wrong size, is a broken
	// message rather than a wrong password.
	return nil, false, fail(ConditionMalformedRequest, "SCRAM: "+err.Error())
}
