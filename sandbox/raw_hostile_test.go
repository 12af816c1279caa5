package sandbox_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/xmppsandbox/xmppsandbox/sandbox/sandboxtest"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stream"
)

// hostileUsers are the accounts of the hostile-client tests: alice and bob
// keep a conversation going while mallory misbehaves.
const hostileUsers = `
domain: localhost
users:
  alice:   {password: alice-pw}
  bob:     {password: bob-pw}
  mallory: {password: mallory-pw}
`

const (
	nsSASL     = `urn:ietf:params:xml:ns:xmpp-sasl`
	nsBind     = `urn:ietf:params:xml:ns:xmpp-bind`
	nsStreams  = `urn:ietf:params:xml:ns:xmpp-streams`
	clientHead = `<?xml version='1.0'?><stream:stream to='localhost' version='1.0' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>`
)

// wire is a client connection written by hand, for input no client
// library would send.
type wire struct {
	t    testing.TB
	conn net.Conn
	r    *stream.Reader
}

// dialWire connects to the server's client port from the given local
// address ("" for any); the connection is closed when the test ends.
func dialWire(t testing.TB, srv *sandboxtest.Server, local string) *wire {
	t.Helper()
	d := net.Dialer{Timeout: sandboxtest.Timeout}
	if local != "" {
		d.LocalAddr = &net.TCPAddr{IP: net.ParseIP(local)}
	}
	conn, err := d.Dial("tcp", srv.C2SAddr())
	if err != nil {
		t.Fatal(err)
	}
	w := &wire{t: t, conn: conn, r: stream.NewReader(conn, 1<<20)}
	t.Cleanup(func() { conn.Close() })
	return w
}

// send writes text as it is.
func (w *wire) send(text string) {
	w.t.Helper()
	w.conn.SetWriteDeadline(time.Now().Add(sandboxtest.Timeout))
	if _, err := io.WriteString(w.conn, text); err != nil {
		w.t.Fatalf("send %.60q: %v", text, err)
	}
}

// open starts a stream and reads the server's header and features.
func (w *wire) open() *stanza.Element {
	w.t.Helper()
	w.r = stream.NewReader(w.conn, 1<<20)
	w.send(clientHead)
	w.header()
	return w.expect("features")
}

// header reads the server's stream header.
func (w *wire) header() {
	w.t.Helper()
	w.conn.SetReadDeadline(time.Now().Add(sandboxtest.Timeout))
	if _, err := w.r.Header(); err != nil {
		w.t.Fatalf("the server's stream header: %v", err)
	}
}

// next reads the server's next element.
func (w *wire) next() (*stanza.Element, error) {
	w.conn.SetReadDeadline(time.Now().Add(sandboxtest.Timeout))
	return w.r.Next()
}

// expect reads the next element and checks its local name.
func (w *wire) expect(local string) *stanza.Element {
	w.t.Helper()
	el, err := w.next()
	if err != nil {
		w.t.Fatalf("waiting for <%s/>: %v", local, err)
	}
	if el.Name.Local != local {
		w.t.Fatalf("server sent %s, want <%s/>", el, local)
	}
	return el
}

// login authenticates with PLAIN over plain TCP and binds resource.
func (w *wire) login(user, password, resource string) {
	w.t.Helper()
	w.open()
	w.send(`<auth xmlns='` + nsSASL + `' mechanism='PLAIN'>` + plainPayload(user, password) + `</auth>`)
	w.expect("success")
	w.open()
	w.send(`<iq type='set' id='bind'><bind xmlns='` + nsBind + `'><resource>` + resource + `</resource></bind></iq>`)
	if res := w.expect("iq"); res.Type() != "result" {
		w.t.Fatalf("bind refused: %s", res)
	}
}

func plainPayload(user, password string) string {
	return base64.StdEncoding.EncodeToString([]byte("\x00" + user + "\x00" + password))
}

// expectStreamError reads until a stream error arrives, skipping the
// stanzas queued before it, and checks its condition and that the server
// then ends the stream and closes the connection (RFC 6120 §4.9.1.1).
func (w *wire) expectStreamError(condition string) {
	w.t.Helper()
	for {
		el, err := w.next()
		if err != nil {
			w.t.Fatalf("waiting for a <%s/> stream error: %v", condition, err)
		}
		if el.Name.Space != stanza.NSStream || el.Name.Local != "error" {
			continue
		}
		if got := streamCondition(el); got != condition {
			w.t.Fatalf("stream error %s, want <%s/>", el, condition)
		}
		break
	}
	if _, err := w.next(); !errors.Is(err, stream.ErrClosed) {
		w.t.Fatalf("after the stream error: %v, want </stream:stream>", err)
	}
	w.expectHangUp()
}

func streamCondition(el *stanza.Element) string {
	for _, c := range el.Elements() {
		if c.Name.Space == nsStreams && c.Name.Local != "text" {
			return c.Name.Local
		}
	}
	return ""
}

// expectHangUp checks that the server closes the connection with nothing
// more to say.
func (w *wire) expectHangUp() {
	w.t.Helper()
	w.conn.SetReadDeadline(time.Now().Add(sandboxtest.Timeout))
	var b [256]byte
	n, err := w.conn.Read(b[:])
	var ne net.Error
	switch {
	case n > 0:
		w.t.Fatalf("server sent %q, want the connection closed", b[:n])
	case errors.As(err, &ne) && ne.Timeout():
		w.t.Fatal("the server kept the connection open")
	}
}

// sendSlowly writes text one byte at a time, every gap, until stop is
// closed or the server hangs up.
func (w *wire) sendSlowly(text string, gap time.Duration, stop <-chan struct{}) {
	tick := time.NewTicker(gap)
	defer tick.Stop()
	for i := 0; i < len(text); i++ {
		select {
		case <-stop:
			return
		case <-tick.C:
		}
		w.conn.SetWriteDeadline(time.Now().Add(sandboxtest.Timeout))
		if _, err := w.conn.Write([]byte{text[i]}); err != nil {
			return
		}
	}
}

// nested returns depth elements inside each other.
func nested(depth int) string {
	return strings.Repeat("<a>", depth) + strings.Repeat("</a>", depth)
}

// laughs is a DOCTYPE whose entities expand each other exponentially.
const laughs = `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">` +
	`<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">` +
	`<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>`

// drainToStreamError reads all the server sends until it hangs up,
// without parsing the bulk, and checks that it ends with a stream error
// of condition and the stream's end: the quick way through megabytes of
// queued stanzas. It returns how many bytes arrived.
func (w *wire) drainToStreamError(condition string) int {
	w.t.Helper()
	w.conn.SetReadDeadline(time.Now().Add(3 * sandboxtest.Timeout))
	total, tail := 0, []byte(nil)
	buf := make([]byte, 64<<10)
	for {
		n, err := w.conn.Read(buf)
		total += n
		tail = append(tail, buf[:n]...)
		if len(tail) > 8<<10 {
			tail = append(tail[:0], tail[len(tail)-4<<10:]...)
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			w.t.Fatalf("draining after %d bytes: %v", total, err)
		}
	}
	i := bytes.LastIndex(tail, []byte("<stream:error"))
	if i < 0 {
		w.t.Fatalf("the server hung up after %d bytes without a stream error: ...%q", total, tail[max(0, len(tail)-200):])
	}
	end := stream.NewReader(strings.NewReader(serverHead+string(tail[i:])), 0)
	if _, err := end.Header(); err != nil {
		w.t.Fatal(err)
	}
	el, err := end.Next()
	if err != nil || streamCondition(el) != condition {
		w.t.Fatalf("the stream ended with %s (%v), want a <%s/> stream error", el, err, condition)
	}
	if _, err := end.Next(); !errors.Is(err, stream.ErrClosed) {
		w.t.Fatalf("after the stream error: %v, want </stream:stream>", err)
	}
	return total
}

// serverHead declares what the server's stream header declares, for
// reading a piece of its stream.
const serverHead = `<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>`
