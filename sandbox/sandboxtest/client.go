package sandboxtest

import (
	"context"
	"crypto/tls"
	"encoding/xml"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"mellium.im/sasl"
	"mellium.im/xmlstream"
	"mellium.im/xmpp"
	"mellium.im/xmpp/jid"

	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stream"
)

// Timeout bounds every wait of a helper.
const Timeout = 5 * time.Second

// Login options.
type LoginOptions struct {
	Resource  string
	Mechanism sasl.Mechanism // default SCRAM-SHA-256
	NoTLS     bool
}

// Client is a logged-in mellium session whose incoming stanzas are
// collected for the test to wait on.
type Client struct {
	t       testing.TB
	Session *xmpp.Session
	JID     jid.JID

	mu      sync.Mutex
	got     []*stanza.Element
	arrived chan struct{}
	done    chan struct{} // closed when the stream ends
	doneErr error
	pings   int
	closing sync.Once
}

// Login connects user with password to srv, negotiating STARTTLS (unless
// NoTLS), SASL and resource binding with mellium.im/xmpp, and closes the
// session when the test ends.
func Login(t testing.TB, srv *Server, user, password string, o LoginOptions) *Client {
	t.Helper()
	c, err := Dial(srv, user, password, o)
	if err != nil {
		t.Fatalf("login %s: %v", user, err)
	}
	return wrap(t, c)
}

// Dial is Login that returns the negotiation error instead of failing.
func Dial(srv *Server, user, password string, o LoginOptions) (*xmpp.Session, error) {
	return DialAddr(srv.C2SAddr(), srv.Domain(), user, password, o)
}

// DialAddr negotiates a mellium session with a server at a c2s address
// serving domain, such as one running in another process.
func DialAddr(c2s, domain, user, password string, o LoginOptions) (*xmpp.Session, error) {
	if o.Mechanism.Name == "" {
		o.Mechanism = sasl.ScramSha256
	}
	addr, err := jid.New(user, domain, o.Resource)
	if err != nil {
		return nil, err
	}
	conn, err := net.DialTimeout("tcp", c2s, Timeout)
	if err != nil {
		return nil, err
	}
	features := []xmpp.StreamFeature{}
	if !o.NoTLS {
		features = append(features, xmpp.StartTLS(&tls.Config{ServerName: domain, InsecureSkipVerify: true}))
	}
	features = append(features, xmpp.SASL("", password, o.Mechanism), bindResource(o.Resource))
	// Deadlines go on the connection, not in a context: mellium applies a
	// context's deadline from a goroutine that can fire after the call
	// returned and leave the connection with a deadline in the past.
	conn.SetDeadline(time.Now().Add(Timeout))
	ctx := context.Background()
	var in lockedBuffer
	negotiate := xmpp.NewNegotiator(func(*xmpp.Session, *xmpp.StreamConfig) xmpp.StreamConfig {
		return xmpp.StreamConfig{Features: features, TeeIn: &in}
	})
	s, err := xmpp.NewSession(ctx, addr.Domain(), addr, conn, 0, negotiate)
	if err == nil {
		err = conn.SetDeadline(time.Time{})
	}
	if err != nil {
		conn.Close()
		// The library reports the failure's text; the test wants the
		// condition the server sent, so quote the server's last words.
		return nil, fmt.Errorf("%w (server sent: %s)", err, in.tail(300))
	}
	in.stop()
	return s, nil
}

// lockedBuffer records what the server sent during negotiation.
type lockedBuffer struct {
	mu      sync.Mutex
	b       []byte
	stopped bool
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.stopped {
		l.b = append(l.b, p...)
	}
	return len(p), nil
}

func (l *lockedBuffer) stop() {
	l.mu.Lock()
	l.stopped, l.b = true, nil
	l.mu.Unlock()
}

func (l *lockedBuffer) tail(n int) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.b) > n {
		return string(l.b[len(l.b)-n:])
	}
	return string(l.b)
}

func wrap(t testing.TB, s *xmpp.Session) *Client {
	c := &Client{t: t, Session: s, JID: s.LocalAddr(), arrived: make(chan struct{}, 1), done: make(chan struct{})}
	go func() { c.doneErr = s.Serve(xmpp.HandlerFunc(c.collect)); close(c.done) }()
	t.Cleanup(func() { c.Close() })
	return c
}

// Close ends the stream and waits for the server to close its side.
func (c *Client) Close() {
	c.closing.Do(func() {
		// No SetCloseDeadline: mellium's Serve reads that field
		// unguarded; the wait below bounds the close instead.
		c.Session.Close()
		select {
		case <-c.done:
		case <-time.After(Timeout):
		}
		c.Session.Conn().Close()
	})
}

// collect turns each incoming stanza into an element for the test. It
// answers roster pushes, as a client must (RFC 6121 §2.1.6).
func (c *Client) collect(r xmlstream.TokenReadEncoder, start *xml.StartElement) error {
	el, err := build(r, *start)
	if err != nil {
		return err
	}
	if el.Name.Local == stanza.IQ && (el.Type() == "get" || el.Type() == "set") {
		res := stanza.New(stanza.NSClient, stanza.IQ, "type", "result", "id", el.ID(), "to", el.From())
		if err := sendElement(r, res); err != nil {
			return err
		}
	}
	c.mu.Lock()
	c.got = append(c.got, el)
	c.mu.Unlock()
	select {
	case c.arrived <- struct{}{}:
	default:
	}
	return nil
}

// ReadElement reads the rest of the element start opened, from a mellium
// token stream, into a stanza.Element.
func ReadElement(r xml.TokenReader, start xml.StartElement) (*stanza.Element, error) {
	return build(r, start)
}

// WriteElement writes el to a mellium token stream.
func WriteElement(w xmlstream.TokenWriter, el *stanza.Element) error { return sendElement(w, el) }

// SendRaw sends raw XML (one stanza in jabber:client) on a session.
func SendRaw(s *xmpp.Session, rawXML string) error {
	el, err := stream.Parse(rawXML, 0)
	if err != nil {
		return err
	}
	return s.Send(context.Background(), xml.NewDecoder(strings.NewReader(el.String())))
}

// build reads the rest of the element start opened into a stanza.Element.
func build(r xml.TokenReader, start xml.StartElement) (*stanza.Element, error) {
	root := open(start)
	stack := []*stanza.Element{root}
	for len(stack) > 0 {
		tok, err := r.Token()
		if err != nil {
			if err == io.EOF {
				break
			}
			return nil, err
		}
		top := stack[len(stack)-1]
		switch t := tok.(type) {
		case xml.StartElement:
			child := open(t)
			top.Nodes = append(top.Nodes, child)
			stack = append(stack, child)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			top.AppendText(string(t))
		}
	}
	return root, nil
}

func open(t xml.StartElement) *stanza.Element {
	el := &stanza.Element{Name: t.Name}
	for _, a := range t.Attr {
		if a.Name.Space == "xmlns" || a.Name.Local == "xmlns" && a.Name.Space == "" {
			continue
		}
		if a.Name.Space == "xml" {
			a.Name.Space = stanza.NSXML
		}
		el.Attr = append(el.Attr, a)
	}
	return el
}

func sendElement(w xmlstream.TokenWriter, el *stanza.Element) error {
	d := xml.NewDecoder(strings.NewReader(el.String()))
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if start, ok := tok.(xml.StartElement); ok {
			// The encoder declares Name.Space itself; a kept xmlns
			// attribute would be written twice.
			start.Attr = dropNamespaceDecls(start.Attr)
			tok = start
		}
		if err := w.EncodeToken(tok); err != nil {
			return err
		}
	}
}

// Send writes raw XML (one or more stanzas in jabber:client) to the
// server through the client library.
func (c *Client) Send(rawXML string) {
	c.t.Helper()
	el, err := stream.Parse(rawXML, 0)
	if err != nil {
		c.t.Fatalf("bad stanza in test: %v", err)
	}
	d := xml.NewDecoder(strings.NewReader(el.String()))
	if err := c.Session.Send(context.Background(), d); err != nil {
		c.t.Fatalf("%s send: %v", c.JID, err)
	}
}

func dropNamespaceDecls(attrs []xml.Attr) []xml.Attr {
	out := attrs[:0:0]
	for _, a := range attrs {
		if a.Name.Space != "xmlns" && !(a.Name.Space == "" && a.Name.Local == "xmlns") {
			out = append(out, a)
		}
	}
	return out
}
