package c2s_test

import (
	"strings"
	"testing"

	"github.com/xmppsandbox/xmppsandbox/sandbox/sandboxtest"
)

func bindRequest(id, resource string) string {
	return `<iq type='set' id='` + id + `'><bind` + xmlnsBind + `><resource>` + resource + `</resource></bind></iq>`
}

const ping = `<ping xmlns='urn:xmpp:ping'/>`

func TestWaitForBind(t *testing.T) {
	runExchanges(t, authenticated, []exchange{
		{name: "bind", send: bindRequest("b1", "{res}"), want: `<iq type='result' id='b1'><bind` + xmlnsBind + `><jid>juliet@localhost/{res}</jid></bind></iq>`},
		{name: "bind without resource", send: `<iq type='set' id='b1'><bind` + xmlnsBind + `/></iq>`, want: `<iq type='result' id='b1'><bind` + xmlnsBind + `><jid/></bind></iq>`},
		// RFC 6120 §7.7.2.1: a resourcepart RFC 7622 refuses.
		{name: "resource with a control character", send: bindRequest("b1", "a&#9;b"), want: stanzaError("iq", "b1", "modify", "bad-request")},
		{name: "resource too long", send: bindRequest("b1", strings.Repeat("r", 1024)), want: stanzaError("iq", "b1", "modify", "bad-request")},
		// RFC 6120 §7.1: nothing but binding until a resource is bound.
		{name: "bind get", send: `<iq type='get' id='b1'><bind` + xmlnsBind + `/></iq>`, streamError: "not-authorized"},
		{name: "message", send: `<message to='romeo@localhost'><body>hi</body></message>`, streamError: "not-authorized"},
		{name: "presence", send: `<presence/>`, streamError: "not-authorized"},
		{name: "ping", send: `<iq type='get' id='p1' to='localhost'>` + ping + `</iq>`, streamError: "not-authorized"},
		{name: "auth again", send: `<auth` + xmlnsSASL + ` mechanism='PLAIN'>` + plain("juliet", "secret") + `</auth>`, streamError: "unsupported-stanza-type"},
		{name: "starttls", send: `<starttls` + xmlnsTLS + `/>`, streamError: "unsupported-stanza-type"},
		{name: "unknown element", send: `<foo xmlns='urn:example'/>`, streamError: "unsupported-stanza-type"},
	})
}

// TestWaitForSession checks the optional legacy session request (RFC
// 3921 §3, kept by RFC 6121 as optional): answered when sent, and any
// other stanza is simply the established session.
func TestWaitForSession(t *testing.T) {
	runExchanges(t, bound, []exchange{
		{name: "session", send: `<iq type='set' id='s1'><session` + xmlnsSession + `/></iq>`, want: `<iq type='result' id='s1'/>`},
		{name: "session to the server", send: `<iq type='set' id='s1' to='localhost'><session` + xmlnsSession + `/></iq>`, want: `<iq type='result' id='s1'/>`},
		{name: "ping instead", send: `<iq type='get' id='p1' to='localhost'>` + ping + `</iq>`, want: `<iq type='result' id='p1' from='localhost'/>`},
		{name: "forged from", send: `<message from='romeo@localhost' to='romeo@localhost'/>`, streamError: "invalid-from"},
		{name: "unknown element", send: `<foo xmlns='urn:example'/>`, streamError: "unsupported-stanza-type"},
	})
}

func TestSessionEstablished(t *testing.T) {
	runExchanges(t, established, []exchange{
		{name: "ping", send: `<iq type='get' id='p1' to='localhost'>` + ping + `</iq>`, want: `<iq type='result' id='p1' from='localhost' to='juliet@localhost/{res}'/>`},
		{name: "from own full JID", send: `<iq type='get' id='p1' from='juliet@localhost/{res}' to='localhost'>` + ping + `</iq>`, want: `<iq type='result' id='p1'/>`},
		{name: "from own bare JID", send: `<iq type='get' id='p1' from='juliet@localhost' to='localhost'>` + ping + `</iq>`, want: `<iq type='result' id='p1'/>`},
		// RFC 7622 §3.2.2 and §3.3.2: localpart and domainpart compare
		// case-insensitively, so this is still the client's own address.
		{name: "from own JID in another case", send: `<iq type='get' id='p1' from='JULIET@LocalHost/{res}' to='localhost'>` + ping + `</iq>`, want: `<iq type='result' id='p1'/>`},
		{name: "whitespace keepalive", send: " \n\t "},
		// RFC 6120 §8.1.2.1 and §4.9.3.9.
		{name: "from another user", send: `<message from='romeo@localhost' to='romeo@localhost'/>`, streamError: "invalid-from"},
		{name: "from own other resource", send: `<message from='juliet@localhost/other' to='romeo@localhost'/>`, streamError: "invalid-from"},
		{name: "from the server", send: `<iq type='get' id='p1' from='localhost' to='localhost'>` + ping + `</iq>`, streamError: "invalid-from"},
		// RFC 6120 §8.3.3.8.
		{name: "message to a malformed JID", send: `<message id='m1' to='@localhost'><body>hi</body></message>`, want: stanzaError("message", "m1", "modify", "jid-malformed")},
		{name: "iq to a malformed JID", send: `<iq type='get' id='i1' to='a@b@c'>` + ping + `</iq>`, want: stanzaError("iq", "i1", "modify", "jid-malformed")},
		{name: "presence to a malformed JID", send: `<presence to='@localhost'/>`},
		// RFC 6120 §8.2.3 and §8.3.3.19.
		{name: "iq with an unknown namespace", send: `<iq type='get' id='u1' to='localhost'><query xmlns='urn:example:unknown'/></iq>`, want: stanzaError("iq", "u1", "cancel", "service-unavailable")},
		{name: "iq without payload", send: `<iq type='get' id='e1' to='localhost'/>`, want: stanzaError("iq", "e1", "modify", "bad-request")},
		{name: "iq with two payloads", send: `<iq type='get' id='e2' to='localhost'>` + ping + ping + `</iq>`, want: stanzaError("iq", "e2", "modify", "bad-request")},
		{name: "iq of an unknown type", send: `<iq type='fetch' id='e3' to='localhost'>` + ping + `</iq>`, want: stanzaError("iq", "e3", "modify", "bad-request")},
		{name: "iq result to the server", send: `<iq type='result' id='r1' to='localhost'/>`},
		{name: "message to an unknown user", send: `<message id='m2' to='nobody@localhost'><body>hi</body></message>`, want: stanzaError("message", "m2", "cancel", "service-unavailable")},
		{name: "message to another domain", send: `<message id='m3' to='romeo@example.org'><body>hi</body></message>`, want: stanzaError("message", "m3", "cancel", "remote-server-not-found")},
		{name: "unknown element", send: `<foo xmlns='urn:example'/>`, streamError: "unsupported-stanza-type"},
		{name: "starttls", send: `<starttls` + xmlnsTLS + `/>`, streamError: "unsupported-stanza-type"},
		{name: "auth", send: `<auth` + xmlnsSASL + ` mechanism='PLAIN'/>`, streamError: "unsupported-stanza-type"},
	})
}

// TestBind checks resource binding (RFC 6120 §7.6): the resource the
// client asks for, or one the server makes up, and a second try after a
// refused one.
func TestBind(t *testing.T) {
	srv := sandboxtest.Start(t, fixtures)
	t.Run("chosen resource", func(t *testing.T) {
		c := authenticated(t, srv, "")
		if got := c.bind("balcony"); got != "juliet@localhost/balcony" {
			t.Fatalf("bound %q, want juliet@localhost/balcony", got)
		}
	})
	t.Run("server-generated resource", func(t *testing.T) {
		first, second := authenticated(t, srv, ""), authenticated(t, srv, "")
		a, b := first.bind(""), second.bind("")
		for _, full := range []string{a, b} {
			if res, ok := strings.CutPrefix(full, "juliet@localhost/"); !ok || res == "" {
				t.Fatalf("bound %q, want juliet@localhost/ and a resource", full)
			}
		}
		if a == b {
			t.Fatalf("two sessions were given the same resource %q", a)
		}
	})
	t.Run("retry after a refused resource", func(t *testing.T) {
		c := authenticated(t, srv, "")
		c.send(bindRequest("b1", "a&#9;b"))
		c.expect(stanzaError("iq", "b1", "modify", "bad-request"))
		if got := c.bind("garden"); got != "juliet@localhost/garden" {
			t.Fatalf("bound %q, want juliet@localhost/garden", got)
		}
	})
}

// TestConflictReplacesOldSession checks the server's resource conflict
// policy (RFC 6120 §7.7.2.2): a new session binding a resource in use
// takes it over, and the old one is closed with a conflict stream error.
func TestConflictReplacesOldSession(t *testing.T) {
	srv := sandboxtest.Start(t, fixtures)
	old, _ := login(t, srv, "juliet", "secret", "balcony")
	newer, full := login(t, srv, "juliet", "secret", "balcony")
	if full != "juliet@localhost/balcony" {
		t.Fatalf("second session bound %q", full)
	}
	old.expectStreamError("conflict")

	newer.send(`<iq type='get' id='p1' to='localhost'>` + ping + `</iq>`)
	newer.expect(`<iq type='result' id='p1' to='juliet@localhost/balcony'/>`)
	romeo, _ := login(t, srv, "romeo", "secret", "orchard")
	romeo.send(`<message to='juliet@localhost/balcony' id='m1'><body>it is the east</body></message>`)
	newer.expect(`<message from='romeo@localhost/orchard' id='m1'><body>it is the east</body></message>`)
}
