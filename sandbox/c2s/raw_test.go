package c2s_test

import (
	"crypto/tls"
	"encoding/base64"
	"errors"
	"io"
	"net"
	"testing"
	"time"

	"github.com/xmppsandbox/xmppsandbox/sandbox/sandboxtest"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stream"
)

// Namespace declarations for hand-written XML.
const (
	xmlnsTLS     = ` xmlns='urn:ietf:params:xml:ns:xmpp-tls'`
	xmlnsSASL    = ` xmlns='urn:ietf:params:xml:ns:xmpp-sasl'`
	xmlnsBind    = ` xmlns='urn:ietf:params:xml:ns:xmpp-bind'`
	xmlnsSession = ` xmlns='urn:ietf:params:xml:ns:xmpp-session'`
	xmlnsStanzas = ` xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'`
	xmlnsStreams = ` xmlns:stream='http://etherx.jabber.org/streams'`
)

// rawClient is a client connection driven by hand: a test writes exact
// XML and reads the server's answers one element at a time, each read
// bounded by sandboxtest.Timeout.
type rawClient struct {
	t    testing.TB
	srv  *sandboxtest.Server
	conn net.Conn
	r    *stream.Reader
	// Header is the server's latest stream header.
	Header stream.Header
}

// dialRaw connects to the server's client port; the connection is closed
// when the test ends.
func dialRaw(t testing.TB, srv *sandboxtest.Server) *rawClient {
	t.Helper()
	conn, err := net.DialTimeout("tcp", srv.C2SAddr(), sandboxtest.Timeout)
	if err != nil {
		t.Fatal(err)
	}
	c := &rawClient{t: t, srv: srv, conn: conn}
	t.Cleanup(func() { c.conn.Close() })
	return c
}

// headerTo is a client stream header (RFC 6120 §4.7) to domain.
func headerTo(domain string) string {
	return `<?xml version='1.0'?><stream:stream to='` + domain + `' version='1.0' xml:lang='en' xmlns='jabber:client'` + xmlnsStreams + `>`
}

// send writes raw XML.
func (c *rawClient) send(xml string) {
	c.t.Helper()
	c.conn.SetWriteDeadline(time.Now().Add(sandboxtest.Timeout))
	if _, err := io.WriteString(c.conn, xml); err != nil {
		c.t.Fatalf("send %q: %v", xml, err)
	}
}

// sendHeader starts a new stream with the given header text; the
// server's answer is read with a fresh reader, as after every restart.
func (c *rawClient) sendHeader(header string) {
	c.t.Helper()
	c.r = stream.NewReader(c.conn, 0)
	c.send(header)
}

// listen reads the server's side of a stream the client has not opened:
// the server still sends its header before an error (RFC 6120 §4.9.1.1).
func (c *rawClient) listen() stream.Header {
	c.t.Helper()
	c.r = stream.NewReader(c.conn, 0)
	return c.readHeader()
}

// readHeader reads the server's stream header.
func (c *rawClient) readHeader() stream.Header {
	c.t.Helper()
	c.deadline()
	h, err := c.r.Header()
	if err != nil {
		c.t.Fatalf("reading the server's stream header: %v", err)
	}
	c.Header = h
	return h
}

// open starts a stream to the served domain and returns the features the
// server offers.
func (c *rawClient) open() *stanza.Element {
	c.t.Helper()
	c.sendHeader(headerTo(c.srv.Domain()))
	c.readHeader()
	return c.expect(`<stream:features` + xmlnsStreams + `/>`)
}

func (c *rawClient) deadline() {
	c.conn.SetReadDeadline(time.Now().Add(sandboxtest.Timeout))
}

// next returns the next element the server sent.
func (c *rawClient) next() *stanza.Element {
	c.t.Helper()
	c.deadline()
	el, err := c.r.Next()
	if err != nil {
		c.t.Fatalf("reading from the server: %v", err)
	}
	return el
}

// expect checks that the next element matches pattern (as
// sandboxtest.Match reads it) and returns it.
func (c *rawClient) expect(pattern string) *stanza.Element {
	c.t.Helper()
	want, err := stream.Parse(pattern, 0)
	if err != nil {
		c.t.Fatalf("bad pattern %q: %v", pattern, err)
	}
	got := c.next()
	if !sandboxtest.Match(want, got) {
		c.t.Fatalf("server sent\n\t%s\nwant\n\t%s", got, want)
	}
	return got
}

// expectStreamError checks that the next element is a stream error with
// condition and that the server then ends the stream and closes the
// connection (RFC 6120 §4.9.1.1).
func (c *rawClient) expectStreamError(condition string) {
	c.t.Helper()
	el := c.next()
	cond := el.FirstElement()
	if el.Name.Space != stanza.NSStream || el.Name.Local != "error" || cond == nil ||
		cond.Name.Space != stanza.NSStreams || cond.Name.Local != condition {
		c.t.Fatalf("server sent\n\t%s\nwant a <%s/> stream error", el, condition)
	}
	c.expectClosed()
}

// expectClosed checks that the server sends </stream:stream> next, and
// nothing after it but the end of the connection.
func (c *rawClient) expectClosed() {
	c.t.Helper()
	c.deadline()
	if el, err := c.r.Next(); err != stream.ErrClosed {
		c.t.Fatalf("server sent %v (error %v), want </stream:stream>", el, err)
	}
	c.deadline()
	var b [64]byte
	n, err := c.conn.Read(b[:])
	var ne net.Error
	switch {
	case n > 0:
		c.t.Fatalf("server sent %q after </stream:stream>", b[:n])
	case errors.As(err, &ne) && ne.Timeout():
		c.t.Fatal("the server ended the stream but kept the connection open")
	case err == nil:
		c.t.Fatal("empty read instead of the end of the connection")
	}
}

// closeCleanly ends the stream from the client side and checks that the
// server ends its side without complaint: proof that the stream was
// still in good standing.
func (c *rawClient) closeCleanly() {
	c.t.Helper()
	c.send(`</stream:stream>`)
	c.expectClosed()
}

// startTLS negotiates STARTTLS (RFC 6120 §5.4) and opens the new stream.
func (c *rawClient) startTLS() *stanza.Element {
	c.t.Helper()
	c.upgradeTLS()
	return c.open()
}

// upgradeTLS asks for STARTTLS and makes the TLS handshake, leaving the
// new stream to be opened.
func (c *rawClient) upgradeTLS() {
	c.t.Helper()
	c.send(`<starttls` + xmlnsTLS + `/>`)
	c.expect(`<proceed` + xmlnsTLS + `/>`)
	tc := tls.Client(c.conn, &tls.Config{ServerName: c.srv.Domain(), InsecureSkipVerify: true})
	tc.SetDeadline(time.Now().Add(sandboxtest.Timeout))
	if err := tc.Handshake(); err != nil {
		c.t.Fatalf("TLS handshake: %v", err)
	}
	tc.SetDeadline(time.Time{})
	c.conn = tc
}

// plain is the base64 PLAIN message (RFC 4616) for user and password.
func plain(user, password string) string {
	return base64.StdEncoding.EncodeToString([]byte("\x00" + user + "\x00" + password))
}

// authPlain authenticates with SASL PLAIN and restarts the stream
// (RFC 6120 §6.4.6), returning the post-authentication features.
func (c *rawClient) authPlain(user, password string) *stanza.Element {
	c.t.Helper()
	c.send(`<auth` + xmlnsSASL + ` mechanism='PLAIN'>` + plain(user, password) + `</auth>`)
	c.expect(`<success` + xmlnsSASL + `/>`)
	return c.open()
}

// bind binds resource ("" lets the server choose) and returns the full
// JID the server assigned (RFC 6120 §7).
func (c *rawClient) bind(resource string) string {
	c.t.Helper()
	req := `<iq type='set' id='bind1'><bind` + xmlnsBind + `/></iq>`
	if resource != "" {
		req = `<iq type='set' id='bind1'><bind` + xmlnsBind + `><resource>` + resource + `</resource></bind></iq>`
	}
	c.send(req)
	res := c.expect(`<iq type='result' id='bind1'><bind` + xmlnsBind + `><jid/></bind></iq>`)
	return res.Child(stanza.NSBind, "bind").ChildText("jid")
}

// login dials, authenticates user with PLAIN over plain TCP and binds
// resource: a session ready for stanzas.
func login(t testing.TB, srv *sandboxtest.Server, user, password, resource string) (*rawClient, string) {
	t.Helper()
	c := dialRaw(t, srv)
	c.open()
	c.authPlain(user, password)
	return c, c.bind(resource)
}
