package c2s

import (
	"strings"

	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stream"
	"github.com/xmppsandbox/xmppsandbox/sandbox/toggle"
)

// header is the server's stream header (RFC 6120 §4.7).
func (s *session) header(to string) string { return s.fr.open(s.cfg.Domain, s.id, to) }

func escapeAttr(v string) string {
	el := stanza.New("", "x", "v", v)
	out := string(el.AppendXML(nil, ""))
	return out[len(`<x v="`) : len(out)-len(`"/>`)]
}

// streamError builds a stream error (RFC 6120 §4.9).
func streamError(condition, text string) *stanza.Element {
	el := stanza.New(stanza.NSStream, "error")
	el.Append(stanza.New(stanza.NSStreams, condition))
	if text != "" {
		t := stanza.New(stanza.NSStreams, "text")
		t.AppendText(text)
		el.Append(t)
	}
	return el
}

// ending renders what closes the stream: the error, if any, then the end
// of the stream, as separate chunks so a framed transport can send each as
// its own message.
func (s *session) ending(errEl *stanza.Element) [][]byte {
	var chunks [][]byte
	if errEl != nil {
		chunks = append(chunks, s.fr.element(nil, errEl))
	}
	return append(chunks, []byte(s.fr.close()))
}

// tlsOffered reports whether this stream offers STARTTLS. A toggle cannot
// withdraw it where it is required: no client could authenticate.
func (s *session) tlsOffered() bool {
	return s.cfg.TLS != nil && (s.cfg.RequireTLS || s.offered.On(toggle.StartTLS))
}

// waitForStream reads the client's header, answers with ours and offers
// the features of the state the session is in.
func (s *session) waitForStream() error {
	// Each stream gets its own id (RFC 6120 §4.7.3), even one that
	// fails before its header is read.
	s.id = newID()
	if s.reader != nil && !s.inChanged {
		// After SASL: bytes a client pipelined behind <auth/> are kept.
		s.reader.Restart()
	} else {
		s.reader, s.inChanged = stream.NewReader(s.in, s.cfg.MaxStanza), false
	}
	h, err := s.reader.Header()
	if err != nil {
		s.reader = nil
		return err
	}
	s.lang = h.Lang
	if err := s.hold([]byte(s.header(h.From))); err != nil {
		return err
	}
	switch {
	case h.To != "" && !strings.EqualFold(h.To, s.cfg.Domain):
		return &stream.Error{Condition: stream.HostUnknown, Text: "this server serves " + s.cfg.Domain}
	case h.Version == "" || !strings.HasPrefix(h.Version, "1."):
		return &stream.Error{Condition: stream.UnsupportedVersion, Text: "XMPP 1.0 streams only"}
	}
	s.state = s.afterHeader()
	s.send(s.features())
	return nil
}

// afterHeader is the state a fresh stream starts in, which depends on how
// far negotiation got before the restart.
func (s *session) afterHeader() State {
	switch {
	case s.user != "":
		return WaitForBind
	case s.secure:
		return WaitForAuth
	}
	return WaitForFeatureRequest
}

// features lists what the client may negotiate next (RFC 6120 §4.3.2).
// Optional features follow the toggles in force now, which the session
// keeps as what it was offered.
func (s *session) features() *stanza.Element {
	s.offered = s.cfg.Toggles.State()
	f := stanza.New(stanza.NSStream, "features")
	if s.user != "" {
		f.Append(stanza.New(stanza.NSBind, "bind"))
		if s.offered.On(toggle.Session) {
			f.Append(stanza.New(stanza.NSSession, "session").Append(stanza.New(stanza.NSSession, "optional")))
		}
		if s.offered.On(toggle.RosterVersioning) {
			f.Append(stanza.New(stanza.NSRosterVer, "ver"))
		}
		if s.offered.On(toggle.PreApproval) {
			f.Append(stanza.New(stanza.NSPreApproval, "sub"))
		}
		return f
	}
	if !s.secure && s.tlsOffered() {
		tls := stanza.New(stanza.NSTLS, "starttls")
		if s.cfg.RequireTLS {
			tls.Append(stanza.New(stanza.NSTLS, "required"))
		}
		f.Append(tls)
	}
	if s.secure || !s.cfg.RequireTLS {
		mechs := stanza.New(stanza.NSSASL, "mechanisms")
		for _, m := range s.cfg.Mechanisms() {
			mechs.Append(stanza.New(stanza.NSSASL, "mechanism").AppendText(m))
		}
		f.Append(mechs)
	}
	return f
}
