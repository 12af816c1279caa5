package sandbox

import (
	"strings"

	"github.com/xmppsandbox/xmppsandbox/sandbox/c2s"
	"github.com/xmppsandbox/xmppsandbox/sandbox/trace"
)

// record keeps a stanza crossing a client connection in the trace, with
// SASL payloads redacted so passwords never reach it.
func (s *Server) record(t c2s.Trace) {
	el := redact(t.El)
	dir := "out"
	if t.In {
		dir = "in"
	}
	from := el.From()
	if t.In && from == "" && strings.Contains(t.Session, "@") {
		// The server stamps from after tracing what the client wrote;
		// the session is who sent it.
		from = t.Session
	}
	e := trace.Event{
		Time: t.Time, Dir: dir, Session: t.Session,
		Kind: el.Name.Local, Type: el.Type(), From: from, To: el.To(),
	}
	if t.Wire != nil && el == t.El {
		s.trace.AddWire(e, t.Wire)
		return
	}
	e.XML = el.String()
	s.trace.Add(e)
}
