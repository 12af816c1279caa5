package sandbox_test

import (
	"strings"
	"testing"

	"github.com/xmppsandbox/xmppsandbox/sandbox"
	"github.com/xmppsandbox/xmppsandbox/sandbox/sandboxtest"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stream"
)

// hostileCase is one misbehaving client. Each runs against its own
// server while alice and bob talk; afterwards their conversation must
// have gone on unharmed and the process must be back to its goroutines
// and heap from before.
type hostileCase struct {
	name string
	opts []func(*sandbox.Config)
	run  func(t *testing.T, srv *sandboxtest.Server)
}

func TestHostileClients(t *testing.T) {
	for _, tc := range hostileCases() {
		t.Run(tc.name, func(t *testing.T) {
			opts := append([]func(*sandbox.Config){smallTrace}, tc.opts...)
			srv := sandboxtest.Start(t, hostileUsers, opts...)
			hb := startHeartbeat(t, srv)
			base := measure()
			tc.run(t, srv)
			hb.check(t)
			awaitBaseline(t, base)
		})
	}
}

// smallTrace keeps the trace ring small, so that what it holds does not
// hide a leak from the heap check.
func smallTrace(c *sandbox.Config) { c.TraceSize = 64 }

func withConfig(edit func(c *sandbox.Config)) []func(*sandbox.Config) {
	return []func(*sandbox.Config){edit}
}

// refusedBeforeAuth sends text on a fresh stream and expects condition.
func refusedBeforeAuth(text, condition string) func(*testing.T, *sandboxtest.Server) {
	return func(t *testing.T, srv *sandboxtest.Server) {
		w := dialWire(t, srv, "")
		w.open()
		w.send(text)
		w.expectStreamError(condition)
	}
}

// refusedAfterLogin sends text from a bound session and expects
// condition.
func refusedAfterLogin(text, condition string) func(*testing.T, *sandboxtest.Server) {
	return func(t *testing.T, srv *sandboxtest.Server) {
		w := dialWire(t, srv, "")
		w.login("mallory", "mallory-pw", "evil")
		w.send(text)
		w.expectStreamError(condition)
	}
}

// hostileCases are the misbehaviours tried, each named.
func hostileCases() []hostileCase {
	big := `<message to='bob@localhost/hb'><body>` + strings.Repeat("A", 100<<10) + `</body></message>`
	max64K := withConfig(func(c *sandbox.Config) { c.MaxStanza = 64 << 10 })
	return []hostileCase{
		{"mismatched end tag", nil, refusedBeforeAuth(`<message><body>x</message>`, stream.NotWellFormed)},
		{"invalid UTF-8", nil, refusedAfterLogin("<message to='bob@localhost/hb'><body>\xff\xfe</body></message>", stream.NotWellFormed)},
		{"undeclared prefix", nil, refusedAfterLogin(`<x:message to='bob@localhost/hb'/>`, stream.NotWellFormed)},
		{"text between stanzas", nil, refusedAfterLogin(`hello <presence/>`, stream.BadFormat)},
		{"truncated stanza", nil, truncatedStanza},
		{"DOCTYPE with nested entities mid-stream", nil, refusedBeforeAuth(laughs+`<message>&lol3;</message>`, stream.RestrictedXML)},
		{"DOCTYPE with nested entities before the header", nil, doctypeBeforeHeader},
		{"oversized stanza before authentication", max64K, refusedBeforeAuth(big, stream.PolicyViolation)},
		{"oversized stanza after login", max64K, refusedAfterLogin(big, stream.PolicyViolation)},
		{"stanza before authentication", nil, refusedBeforeAuth(`<message to='bob@localhost/hb'><body>hi</body></message>`, stream.NotAuthorized)},
		{"stanza before bind", nil, stanzaBeforeBind},
		{"forged from", nil, refusedAfterLogin(`<message from='alice@localhost/hb' to='bob@localhost/hb' id='forged'><body>from alice, honest</body></message>`, stream.InvalidFrom)},
		{"deeply nested stanza", nil, deeplyNested},
		{"header never completes", withConfig(shortAuthTimeout), headerNeverCompletes},
		{"header dripped byte by byte", withConfig(shortAuthTimeout), headerDripped},
		{"endless header", nil, endlessHeader},
		{"client stops reading", withConfig(func(c *sandbox.Config) { c.MaxQueueBytes = 512 << 10 }), stopsReading},
		{"connection flood", nil, connectionFlood},
		{"stanza flood", withConfig(func(c *sandbox.Config) { c.RateLimit, c.RateBurst = 200, 20 }), stanzaFlood},
		{"repeated wrong passwords", nil, wrongPasswords},
	}
}
