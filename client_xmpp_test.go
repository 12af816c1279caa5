package main

import (
	"encoding/xml"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"mellium.im/xmlstream"
	"mellium.im/xmpp"
	"mellium.im/xmpp/jid"

	"github.com/xmppsandbox/xmppsandbox/sandbox/sandboxtest"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stream"
)

// waitTimeout bounds every wait for a stanza.
const waitTimeout = 10 * time.Second

// xmppClient is a mellium session logged in to a server running in
// another process, whose incoming stanzas are queued for the test.
type xmppClient struct {
	t       *testing.T
	session *xmpp.Session
	jid     jid.JID
	got     chan *stanza.Element
	ended   chan struct{} // closed when the stream ends
	endErr  error         // why it ended; read only after ended is closed
	ids     int
	once    sync.Once
}

// loginTo logs user in to the c2s listener at addr for domain, with
// STARTTLS, SCRAM-SHA-256 and a resource the server picks, and closes the
// session when the test ends.
func loginTo(t *testing.T, addr, domain, user, password string) *xmppClient {
	t.Helper()
	s, err := dialSession(addr, domain, user, password)
	if err != nil {
		t.Fatalf("login %s: %v", user, err)
	}
	c := &xmppClient{t: t, session: s, jid: s.LocalAddr(), got: make(chan *stanza.Element, 256), ended: make(chan struct{})}
	go func() {
		c.endErr = s.Serve(xmpp.HandlerFunc(c.collect))
		close(c.ended)
	}()
	t.Cleanup(c.close)
	return c
}

// dialSession negotiates a client session with mellium.im/xmpp over
// STARTTLS with SCRAM-SHA-256 and a resource the server picks.
func dialSession(addr, domain, user, password string) (*xmpp.Session, error) {
	return sandboxtest.DialAddr(addr, domain, user, password, sandboxtest.LoginOptions{})
}

// close ends the stream, waiting a bounded time for the server's end.
// The deadline is set on the connection: Session.SetCloseDeadline
// replaces a context that Serve reads without a lock, a data race.
func (c *xmppClient) close() {
	c.once.Do(func() {
		c.session.Conn().SetReadDeadline(time.Now().Add(waitTimeout))
		c.session.Close()
		select {
		case <-c.ended:
		case <-time.After(waitTimeout):
		}
		c.session.Conn().Close()
	})
}

// collect queues each incoming stanza, answering requests with an empty
// result as a client must answer roster pushes (RFC 6121 §2.1.6).
func (c *xmppClient) collect(r xmlstream.TokenReadEncoder, start *xml.StartElement) error {
	el, err := sandboxtest.ReadElement(r, *start)
	if err != nil {
		return err
	}
	if el.Name.Local == "iq" && (el.Type() == "get" || el.Type() == "set") {
		res := stanza.New(stanza.NSClient, "iq", "type", "result", "id", el.ID(), "to", el.From())
		if err := sandboxtest.WriteElement(r, res); err != nil {
			return err
		}
	}
	c.got <- el
	return nil
}

// send writes raw XML, one stanza in jabber:client.
func (c *xmppClient) send(raw string) {
	c.t.Helper()
	if err := sandboxtest.SendRaw(c.session, raw); err != nil {
		c.t.Fatalf("%s send: %v", c.jid, err)
	}
}

// await skips stanzas until one matches pattern (see sandboxtest.Match)
// and returns it, failing after waitTimeout.
func (c *xmppClient) await(pattern string) *stanza.Element {
	c.t.Helper()
	want, err := stream.Parse(pattern, 0)
	if err != nil {
		c.t.Fatalf("bad pattern %q: %v", pattern, err)
	}
	var seen []string
	deadline := time.After(waitTimeout)
	for {
		select {
		case el := <-c.got:
			if sandboxtest.Match(want, el) {
				return el
			}
			seen = append(seen, el.String())
		case <-c.ended:
			if len(c.got) > 0 {
				continue // what came before the end is still queued
			}
			c.t.Fatalf("%s: stream ended (%v) while waiting for %s; got:\n\t%s", c.jid, c.endErr, pattern, strings.Join(seen, "\n\t"))
		case <-deadline:
			c.t.Fatalf("%s never received %s; got:\n\t%s", c.jid, pattern, strings.Join(seen, "\n\t"))
		}
	}
}

// nextID returns a fresh stanza id.
func (c *xmppClient) nextID(prefix string) string {
	c.ids++
	return prefix + strconv.Itoa(c.ids)
}

// sync makes a ping round trip, so that whatever the server queued for
// this client before has arrived, and returns the stanzas that came
// before the answer.
func (c *xmppClient) sync() []*stanza.Element {
	c.t.Helper()
	id := c.nextID("sync")
	c.send(`<iq type='get' id='` + id + `' to='` + c.jid.Domainpart() + `'><ping xmlns='urn:xmpp:ping'/></iq>`)
	var before []*stanza.Element
	deadline := time.After(waitTimeout)
	for {
		select {
		case el := <-c.got:
			if el.Name.Local == "iq" && el.ID() == id {
				return before
			}
			before = append(before, el)
		case <-deadline:
			c.t.Fatalf("%s: no answer to ping %s", c.jid, id)
		}
	}
}

// expectNothing checks that nothing arrived since the last wait.
func (c *xmppClient) expectNothing() {
	c.t.Helper()
	if extra := c.sync(); len(extra) > 0 {
		var s []string
		for _, el := range extra {
			s = append(s, el.String())
		}
		c.t.Fatalf("%s received unexpected stanzas:\n\t%s", c.jid, strings.Join(s, "\n\t"))
	}
}

// fetchRoster requests the roster, which makes this resource an
// interested one that gets roster pushes (RFC 6121 §2.1.6).
func (c *xmppClient) fetchRoster() *stanza.Element {
	c.t.Helper()
	id := c.nextID("roster")
	c.send(`<iq type='get' id='` + id + `'><query xmlns='jabber:iq:roster'/></iq>`)
	return c.await(`<iq type='result' id='` + id + `'/>`)
}

// goOnline sends initial presence and waits for its reflection, so that
// the server delivers presence and messages to this resource.
func (c *xmppClient) goOnline() {
	c.t.Helper()
	c.send(`<presence/>`)
	c.await(`<presence from='` + c.jid.String() + `'/>`)
}

// waitEnded waits for the server to end the stream.
func (c *xmppClient) waitEnded() {
	c.t.Helper()
	select {
	case <-c.ended:
	case <-time.After(waitTimeout):
		c.t.Fatalf("%s: the stream did not end within %s", c.jid, waitTimeout)
	}
}
