package sandbox

import (
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
	s.trace.Add(trace.Event{
		Time: t.Time, Dir: dir, Session: t.Session,
		Kind: el.Name.Local, Type: el.Type(), From: el.From(), To: el.To(),
		XML: el.String(),
	})
}
