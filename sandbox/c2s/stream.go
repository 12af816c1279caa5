package c2s

import (
	"strings"

	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stream"
)

const streamEnd = "</stream:stream>"

// header is the server's stream header (RFC 6120 §4.7).
func (s *session) header(to string) string {
	var b strings.Builder
	b.WriteString(`<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0' xml:lang='en' from='`)
	b.WriteString(escapeAttr(s.cfg.Domain))
	if s.id != "" {
		b.WriteString(`' id='` + s.id)
	}
	if to != "" {
		b.WriteString(`' to='`)
		b.WriteString(escapeAttr(to))
	}
	b.WriteString(`'>`)
	return b.String()
}

func escapeAttr(v string) string {
	el := stanza.New("", "x", "v", v)
	out := string(el.AppendXML(nil, ""))
	return out[len(`<x v="`) : len(out)-len(`"/>`)]
}

// streamError renders a stream error followed by the stream's end.
func streamError(condition, text string) []byte {
	el := stanza.New(stanza.NSStream, "error")
	el.Append(stanza.New(stanza.NSStreams, condition))
	if text != "" {
		t := stanza.New(stanza.NSStreams, "text")
		t.AppendText(text)
		el.Append(t)
	}
	return append(el.AppendXML(nil, stanza.NSClient), streamEnd...)
}

// waitForStream reads the client's header, answers with ours and offers
// the features of the state the session is in.
func (s *session) waitForStream() error {
	// Each stream gets its own id (RFC 6120 §4.7.3), even one that
	// fails before its header is read.
	s.id = newID()
	s.reader = stream.NewReader(s.br, s.cfg.MaxStanza)
	h, err := s.reader.Header()
	if err != nil {
		s.reader = nil
		return err
	}
	s.lang = h.Lang
	if err := s.writeRaw([]byte(s.header(h.From))); err != nil {
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
func (s *session) features() *stanza.Element {
	f := stanza.New(stanza.NSStream, "features")
	if s.user != "" {
		f.Append(stanza.New(stanza.NSBind, "bind"))
		f.Append(stanza.New(stanza.NSSession, "session").Append(stanza.New(stanza.NSSession, "optional")))
		f.Append(stanza.New(stanza.NSRosterVer, "ver"))
		f.Append(stanza.New(stanza.NSPreApproval, "sub"))
		return f
	}
	if !s.secure && s.cfg.TLS != nil {
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
