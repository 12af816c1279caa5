package c2s

import (
	"crypto/tls"

	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stream"
	"github.com/xmppsandbox/xmppsandbox/sandbox/toggle"
)

// handle feeds one top-level element to the current state.
func (s *session) handle(el *stanza.Element) error {
	switch s.state {
	case WaitForFeatureRequest, WaitForAuth:
		return s.waitForFeatureRequest(el)
	case WaitForSASLResponse:
		return s.waitForSASLResponse(el)
	case WaitForBind:
		return s.waitForBind(el)
	case WaitForSession:
		return s.waitForSession(el)
	default:
		return s.sessionEstablished(el)
	}
}

// waitForFeatureRequest accepts STARTTLS (before TLS only) and SASL
// <auth/>; RFC 6120 §6.4.1 lets nothing else through before
// authentication.
func (s *session) waitForFeatureRequest(el *stanza.Element) error {
	switch {
	case el.Name.Space == stanza.NSTLS && el.Name.Local == "starttls":
		return s.startTLS()
	case el.Name.Space == stanza.NSSASL && el.Name.Local == "auth":
		if s.cfg.RequireTLS && !s.secure {
			s.send(saslFailure("encryption-required", "negotiate STARTTLS first"))
			return &stream.Error{Condition: stream.PolicyViolation, Text: "TLS is required"}
		}
		return s.auth(el)
	case el.IsStanza():
		return &stream.Error{Condition: stream.NotAuthorized, Text: "authenticate before sending stanzas"}
	}
	return unsupported(el)
}

// startTLS upgrades the connection (RFC 6120 §5.4).
func (s *session) startTLS() error {
	if s.secure || !s.tlsOffered() {
		return &stream.Error{Condition: stream.PolicyViolation, Text: "STARTTLS is not offered here"}
	}
	s.hold([]byte(`<proceed xmlns='` + stanza.NSTLS + `'/>`))
	if err := s.flush(); err != nil {
		return err
	}
	tc := tls.Server(s.conn, s.cfg.TLS)
	if err := tc.Handshake(); err != nil {
		return err
	}
	s.conn, s.in, s.secure = tc, newSource(tc), true
	s.inChanged = true
	s.state = WaitForStream
	return nil
}

// waitForBind accepts only the bind request (RFC 6120 §7).
func (s *session) waitForBind(el *stanza.Element) error {
	if el.Name.Local == stanza.IQ && el.Name.Space == stanza.NSClient && el.Type() == "set" {
		if b := el.Child(stanza.NSBind, "bind"); b != nil {
			return s.bind(el, b)
		}
	}
	if el.IsStanza() {
		return &stream.Error{Condition: stream.NotAuthorized, Text: "bind a resource before sending stanzas"}
	}
	return unsupported(el)
}

// waitForSession answers the legacy session request, which RFC 6121 no
// longer needs but old clients still send; anything else is already the
// established session.
func (s *session) waitForSession(el *stanza.Element) error {
	s.state = SessionEstablished
	// Where the feature was not offered, the request is an ordinary iq
	// with no handler, as on a server without it.
	if s.offered.On(toggle.Session) && el.Name.Local == stanza.IQ && el.Type() == "set" && el.Child(stanza.NSSession, "session") != nil {
		s.send(stanza.New(stanza.NSClient, stanza.IQ, "type", "result", "id", el.ID()))
		return nil
	}
	return s.sessionEstablished(el)
}

// unsupported answers a top-level element that is no stanza and no
// negotiation element valid in the current state.
func unsupported(el *stanza.Element) error {
	return &stream.Error{Condition: stream.UnsupportedStanza, Text: "<" + el.Name.Local + " xmlns='" + el.Name.Space + "'/> is not allowed here"}
}
