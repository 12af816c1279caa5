// Package xclient is a minimal XMPP client for load generation and
// benchmarks: it logs in with as few allocations and round trips as the
// protocol allows, so that measuring a server measures the server. Tests
// of behaviour use a real client library instead.
package xclient

import (
	"bufio"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/xdg-go/scram"

	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stream"
)

// Options say how to log in.
type Options struct {
	// SCRAM keeps clients' salted passwords between logins (a client
	// computes them once, as a server does), so the load generator does
	// not spend its time on PBKDF2. Nil computes them at every login.
	SCRAM *SCRAMCache

	Domain    string
	Mechanism string // PLAIN (default), SCRAM-SHA-1 or SCRAM-SHA-256
	TLS       bool   // negotiate STARTTLS (certificate not verified)
	Resource  string
	Timeout   time.Duration
}

// Conn is a logged-in, bound client connection.
type Conn struct {
	net.Conn
	JID   string
	br    *bufio.Reader
	r     *stream.Reader
	w     *bufio.Writer
	under net.Conn // the connection br and w were made for
	sc    *Scanner
}

// Dial connects to addr and logs user in.
func Dial(addr, user, password string, o Options) (*Conn, error) {
	return dial(addr, user, o, func(nc net.Conn) *Conn { return &Conn{Conn: nc} }, func(c *Conn, o Options) error {
		return c.login(user, password, o)
	})
}

// dial connects to addr, wraps the connection with wrap and runs login on
// it, all within o.Timeout (10 s if zero).
func dial(addr, user string, o Options, wrap func(net.Conn) *Conn, login func(*Conn, Options) error) (*Conn, error) {
	if o.Timeout == 0 {
		o.Timeout = 10 * time.Second
	}
	nc, err := net.DialTimeout("tcp", addr, o.Timeout)
	if err != nil {
		return nil, err
	}
	nc.SetDeadline(time.Now().Add(o.Timeout))
	c := wrap(nc)
	if err := login(c, o); err != nil {
		nc.Close()
		return nil, fmt.Errorf("%s: %w", user, err)
	}
	nc.SetDeadline(time.Time{})
	return c, nil
}

func (c *Conn) login(user, password string, o Options) error {
	if err := c.restart(o.Domain); err != nil {
		return err
	}
	if o.TLS {
		if err := c.startTLS(o.Domain); err != nil {
			return err
		}
	}
	if err := c.auth(user, password, o); err != nil {
		return err
	}
	if err := c.restart(o.Domain); err != nil {
		return err
	}
	return c.bind(o.Resource)
}

// restart opens a stream and reads the features.
func (c *Conn) restart(domain string) error {
	// The buffers outlive a restart on the same connection: what the
	// reader holds already belongs to the new stream.
	if c.br == nil || c.under != c.Conn {
		c.br, c.w, c.under = bufio.NewReader(c.Conn), bufio.NewWriter(c.Conn), c.Conn
	}
	c.r = stream.NewReader(c.br, 0)
	c.w.WriteString(`<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0' to='` + domain + `'>`)
	if err := c.w.Flush(); err != nil {
		return err
	}
	if _, err := c.r.Header(); err != nil {
		return err
	}
	_, err := c.expect("features")
	return err
}

func (c *Conn) startTLS(domain string) error {
	if err := c.SendRaw(`<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>`); err != nil {
		return err
	}
	if _, err := c.expect("proceed"); err != nil {
		return err
	}
	c.Conn = tls.Client(c.Conn, &tls.Config{ServerName: domain, InsecureSkipVerify: true})
	return c.restart(domain)
}

func (c *Conn) auth(user, password string, o Options) error {
	mech := o.Mechanism
	if mech == "" || mech == "PLAIN" {
		payload := base64.StdEncoding.EncodeToString([]byte("\x00" + user + "\x00" + password))
		if err := c.SendRaw(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>` + payload + `</auth>`); err != nil {
			return err
		}
		_, err := c.expect("success")
		return err
	}
	return c.scram(user, password, mech, o.SCRAM)
}

func (c *Conn) scram(user, password, mech string, cache *SCRAMCache) error {
	client, err := cache.client(user, password, mech)
	if err != nil {
		return err
	}
	conv := client.NewConversation()
	first, err := conv.Step("")
	if err != nil {
		return err
	}
	c.SendRaw(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='` + mech + `'>` + b64(first) + `</auth>`)
	ch, err := c.expect("challenge")
	if err != nil {
		return err
	}
	final, err := conv.Step(unb64(ch.Content()))
	if err != nil {
		return err
	}
	c.SendRaw(`<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>` + b64(final) + `</response>`)
	ok, err := c.expect("success")
	if err != nil {
		return err
	}
	if _, err := conv.Step(unb64(ok.Content())); err != nil {
		return errors.New("the server's SCRAM signature does not verify")
	}
	return nil
}

func (c *Conn) bind(resource string) error {
	res := ""
	if resource != "" {
		res = "<resource>" + resource + "</resource>"
	}
	c.SendRaw(`<iq type='set' id='bind'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>` + res + `</bind></iq>`)
	el, err := c.expect("iq")
	if err != nil {
		return err
	}
	if el.Type() != "result" {
		return errors.New("bind refused: " + el.String())
	}
	c.JID = el.Child(stanza.NSBind, "bind").ChildText("jid")
	return nil
}

// expect reads the next element and checks its name; a stream error or a
// SASL failure becomes an error.
func (c *Conn) expect(local string) (*stanza.Element, error) {
	el, err := c.r.Next()
	if err != nil {
		return nil, err
	}
	if el.Name.Local != local {
		return nil, fmt.Errorf("expected <%s/>, got %s", local, el)
	}
	return el, nil
}

// SendRaw writes XML text and flushes it.
func (c *Conn) SendRaw(xml string) error {
	c.w.WriteString(xml)
	return c.w.Flush()
}

// Buffer queues XML text without flushing, to batch several stanzas.
func (c *Conn) Buffer(xml string) { c.w.WriteString(xml) }

// Flush sends what Buffer queued.
func (c *Conn) Flush() error { return c.w.Flush() }

// Next reads the next element from the server.
func (c *Conn) Next() (*stanza.Element, error) { return c.r.Next() }

// Close ends the stream and the connection.
func (c *Conn) Close() error {
	c.SendRaw("</stream:stream>")
	return c.Conn.Close()
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func unb64(s string) string {
	b, _ := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	return string(b)
}

// SCRAMCache holds one SCRAM client per user and mechanism; the library's
// client remembers derived keys across conversations.
type SCRAMCache struct {
	mu      sync.Mutex
	clients map[string]*scram.Client
}

func (s *SCRAMCache) client(user, password, mech string) (*scram.Client, error) {
	hash := scram.SHA1
	if mech == "SCRAM-SHA-256" {
		hash = scram.SHA256
	}
	if s == nil {
		return hash.NewClient(user, password, "")
	}
	key := mech + "\x00" + user + "\x00" + password
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.clients[key]; ok {
		return c, nil
	}
	c, err := hash.NewClient(user, password, "")
	if err != nil {
		return nil, err
	}
	if s.clients == nil {
		s.clients = map[string]*scram.Client{}
	}
	s.clients[key] = c
	return c, nil
}
