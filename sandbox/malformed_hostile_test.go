package sandbox_test

import (
	"net"
	"strings"
	"testing"
	"time"

	"github.com/xmppsandbox/xmppsandbox/sandbox"
	"github.com/xmppsandbox/xmppsandbox/sandbox/sandboxtest"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stream"
)

func shortAuthTimeout(c *sandbox.Config) { c.AuthTimeout = 300 * time.Millisecond }

// truncatedStanza stops in the middle of a stanza and half-closes the
// connection: the server closes its side and routes nothing.
func truncatedStanza(t *testing.T, srv *sandboxtest.Server) {
	w := dialWire(t, srv, "")
	w.login("mallory", "mallory-pw", "evil")
	w.send(`<message to='bob@localhost/hb' id='cut'><body>half a sta`)
	w.conn.(*net.TCPConn).CloseWrite()
	w.expectHangUp()
}

// doctypeBeforeHeader puts the entity bomb in the prolog: the server
// still opens its stream to say restricted-xml (RFC 6120 §4.9.1.1).
func doctypeBeforeHeader(t *testing.T, srv *sandboxtest.Server) {
	w := dialWire(t, srv, "")
	w.send(`<?xml version='1.0'?>` + laughs + clientHead[len(`<?xml version='1.0'?>`):])
	w.header()
	w.expectStreamError(stream.RestrictedXML)
}

func stanzaBeforeBind(t *testing.T, srv *sandboxtest.Server) {
	w := dialWire(t, srv, "")
	w.open()
	w.send(`<auth xmlns='` + nsSASL + `' mechanism='PLAIN'>` + plainPayload("mallory", "mallory-pw") + `</auth>`)
	w.expect("success")
	w.open()
	w.send(`<message to='bob@localhost/hb'><body>unbound</body></message>`)
	w.expectStreamError(stream.NotAuthorized)
}

// deeplyNested sends itself a stanza nested twenty thousand deep, within
// the size limit: it must come back whole, not crash a recursive writer.
func deeplyNested(t *testing.T, srv *sandboxtest.Server) {
	w := dialWire(t, srv, "")
	w.login("mallory", "mallory-pw", "evil")
	w.send(`<message to='mallory@localhost/evil' id='deep'>` + nested(20000) + `</message>`)
	el := w.expect("message")
	depth := 0
	for e := el.FirstElement(); e != nil; e = e.FirstElement() {
		depth++
	}
	if el.ID() != "deep" || depth != 20000 {
		t.Fatalf("got message %q nested %d deep, want deep nested 20000", el.ID(), depth)
	}
}

// headerNeverCompletes opens a header and stops: the authentication
// timeout ends the stream with connection-timeout, not later.
func headerNeverCompletes(t *testing.T, srv *sandboxtest.Server) {
	w := dialWire(t, srv, "")
	start := time.Now()
	w.send(`<?xml version='1.0'?><stream:stream to='localhost' version='1.0' `)
	w.header()
	w.expectStreamError(stream.ConnectionTimeout)
	checkTimeout(t, time.Since(start))
}

// headerDripped sends a header one byte every 20ms: activity must not
// extend the authentication timeout.
func headerDripped(t *testing.T, srv *sandboxtest.Server) {
	w := dialWire(t, srv, "")
	stop := make(chan struct{})
	dripped := make(chan struct{})
	start := time.Now()
	go func() {
		defer close(dripped)
		w.sendSlowly(clientHead[:len(clientHead)-1]+strings.Repeat(" ", 1000), 20*time.Millisecond, stop)
	}()
	w.header()
	w.expectStreamError(stream.ConnectionTimeout)
	checkTimeout(t, time.Since(start))
	close(stop)
	<-dripped
}

// checkTimeout allows a little less than the 300ms: the server starts
// its clock when it accepts, which can come before the dial returns here.
func checkTimeout(t *testing.T, took time.Duration) {
	t.Helper()
	if took < 250*time.Millisecond || took > 2*time.Second {
		t.Fatalf("connection-timeout after %v, want it soon after the 300ms auth timeout", took)
	}
}

// endlessHeader sends a header that never ends its start tag: the size
// limit ends it while it is read.
func endlessHeader(t *testing.T, srv *sandboxtest.Server) {
	w := dialWire(t, srv, "")
	w.send(clientHead[:len(clientHead)-1] + ` x='`)
	chunk := strings.Repeat("y", 64<<10)
	for range (stream.DefaultMaxStanza >> 16) + 2 {
		w.conn.SetWriteDeadline(time.Now().Add(sandboxtest.Timeout))
		if _, err := w.conn.Write([]byte(chunk)); err != nil {
			break // the server already hung up
		}
	}
	w.header()
	w.expectStreamError(stream.PolicyViolation)
}
