package c2s_test

import (
	"slices"
	"testing"

	"github.com/xmppsandbox/xmppsandbox/sandbox/sandboxtest"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
)

// TestWaitForStream checks what the server accepts as a client's stream
// header. Whatever is wrong, the server opens its own stream first and
// then sends the error (RFC 6120 §4.9.1.1).
func TestWaitForStream(t *testing.T) {
	const ns = ` xmlns='jabber:client'` + xmlnsStreams
	tests := []struct {
		name, header string
		streamError  string // "" when the server must offer its features
	}{
		{name: "to the served domain", header: headerTo("localhost")},
		{name: "domain in another case", header: headerTo("LocalHost")},
		{name: "no to", header: `<stream:stream version='1.0'` + ns + `>`},
		{name: "minor version above 1.0", header: `<stream:stream to='localhost' version='1.5'` + ns + `>`},
		// RFC 6120 §4.9.3.6.
		{name: "another domain", header: headerTo("example.org"), streamError: "host-unknown"},
		// RFC 6120 §4.7.5: no version means 0.9, which has no SASL.
		{name: "no version", header: `<stream:stream to='localhost'` + ns + `>`, streamError: "unsupported-version"},
		{name: "version 0.9", header: `<stream:stream to='localhost' version='0.9'` + ns + `>`, streamError: "unsupported-version"},
		{name: "version 11.0", header: `<stream:stream to='localhost' version='11.0'` + ns + `>`, streamError: "unsupported-version"},
		// RFC 6120 §4.8.
		{name: "wrong stream namespace", header: `<stream:stream to='localhost' version='1.0' xmlns='jabber:client' xmlns:stream='urn:wrong'>`, streamError: "invalid-namespace"},
		{name: "server content namespace", header: `<stream:stream to='localhost' version='1.0' xmlns='jabber:server'` + xmlnsStreams + `>`, streamError: "invalid-namespace"},
		{name: "stream prefix unbound", header: `<stream:stream to='localhost' version='1.0' xmlns='jabber:client'>`, streamError: "bad-namespace-prefix"},
		// RFC 6120 §11.
		{name: "comment before the header", header: `<!-- hi -->` + headerTo("localhost"), streamError: "restricted-xml"},
		{name: "doctype before the header", header: `<!DOCTYPE stream>` + headerTo("localhost"), streamError: "restricted-xml"},
		{name: "not XML at all", header: "GET / HTTP/1.1\r\n\r\n", streamError: "not-well-formed"},
		{name: "encoding other than UTF-8", header: `<?xml version='1.0' encoding='UTF-16'?>` + headerTo("localhost"), streamError: "unsupported-encoding"},
	}
	srv := sandboxtest.Start(t, fixtures)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := dialRaw(t, srv)
			c.sendHeader(tt.header)
			if h := c.readHeader(); h.From != "localhost" || h.Version != "1.0" || h.ID == "" {
				t.Fatalf("server header %+v, want from localhost, version 1.0 and an id", h)
			}
			if tt.streamError != "" {
				c.expectStreamError(tt.streamError)
				return
			}
			c.expect(`<stream:features` + xmlnsStreams + `/>`)
			c.closeCleanly()
		})
	}
}

// TestServerHeader checks the server's answer to a header (RFC 6120
// §4.7): from its domain, to the client's from, and a fresh id for each
// stream, restarts included.
func TestServerHeader(t *testing.T) {
	srv := sandboxtest.Start(t, fixtures)
	c := dialRaw(t, srv)
	c.sendHeader(`<stream:stream from='juliet@localhost' to='localhost' version='1.0' xmlns='jabber:client'` + xmlnsStreams + `>`)
	first := c.readHeader()
	want := "juliet@localhost"
	if first.From != "localhost" || first.To != want || first.Version != "1.0" || first.Lang == "" {
		t.Fatalf("server header %+v, want from localhost to %s, version 1.0 and a language", first, want)
	}
	c.next()
	c.startTLS()
	if c.Header.ID == "" || c.Header.ID == first.ID {
		t.Fatalf("stream id after STARTTLS %q, first %q: want a new one", c.Header.ID, first.ID)
	}
}

// TestFeatures checks what each stream offers (RFC 6120 §4.3.2): STARTTLS
// and SASL before TLS, SASL alone after it, then bind, the optional legacy
// session and no more SASL once authenticated.
func TestFeatures(t *testing.T) {
	srv := sandboxtest.Start(t, fixtures)
	c := dialRaw(t, srv)
	mechs := []string{"SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"}

	f := c.open()
	if f.Child(stanza.NSTLS, "starttls") == nil || !slices.Equal(mechanisms(f), mechs) {
		t.Fatalf("plain stream offers %s, want STARTTLS and %v", f, mechs)
	}
	f = c.startTLS()
	if f.Child(stanza.NSTLS, "starttls") != nil || !slices.Equal(mechanisms(f), mechs) {
		t.Fatalf("after STARTTLS the stream offers %s, want only %v", f, mechs)
	}
	f = c.authPlain("juliet", "secret")
	session := f.Child(stanza.NSSession, "session")
	if f.Child(stanza.NSBind, "bind") == nil || session == nil || session.Child(stanza.NSSession, "optional") == nil {
		t.Fatalf("after SASL the stream offers %s, want bind and an optional session", f)
	}
	if f.Child(stanza.NSSASL, "mechanisms") != nil || f.Child(stanza.NSTLS, "starttls") != nil {
		t.Fatalf("after SASL the stream still offers %s", f)
	}
}

// mechanisms lists the SASL mechanisms a features element offers, in
// order.
func mechanisms(features *stanza.Element) []string {
	m := features.Child(stanza.NSSASL, "mechanisms")
	if m == nil {
		return nil
	}
	var out []string
	for _, e := range m.Elements() {
		out = append(out, e.Content())
	}
	return out
}

func TestWaitForFeatureRequest(t *testing.T) {
	runExchanges(t, afterHeader, []exchange{
		{name: "starttls", send: `<starttls` + xmlnsTLS + `/>`, want: `<proceed` + xmlnsTLS + `/>`, restart: true},
		{name: "auth PLAIN", send: `<auth` + xmlnsSASL + ` mechanism='PLAIN'>` + plain("juliet", "secret") + `</auth>`, want: `<success` + xmlnsSASL + `/>`, restart: true},
		{name: "auth PLAIN without initial response", send: `<auth` + xmlnsSASL + ` mechanism='PLAIN'/>`, want: `<challenge` + xmlnsSASL + `/>`},
		{name: "auth SCRAM-SHA-256", send: `<auth` + xmlnsSASL + ` mechanism='SCRAM-SHA-256'>biwsbj1qdWxpZXQscj1yT3ByTkdmd0ViZVJXZ2JORWtxTw==</auth>`, want: `<challenge` + xmlnsSASL + `/>`},
		// RFC 6120 §6.5: failures leave the stream open for another try.
		{name: "unknown mechanism", send: `<auth` + xmlnsSASL + ` mechanism='DIGEST-MD5'/>`, want: failure("invalid-mechanism")},
		{name: "no mechanism", send: `<auth` + xmlnsSASL + `/>`, want: failure("invalid-mechanism")},
		{name: "bad base64", send: `<auth` + xmlnsSASL + ` mechanism='PLAIN'>not*base64!</auth>`, want: failure("incorrect-encoding")},
		{name: "wrong password", send: `<auth` + xmlnsSASL + ` mechanism='PLAIN'>` + plain("juliet", "wrong") + `</auth>`, want: failure("not-authorized")},
		{name: "unknown user", send: `<auth` + xmlnsSASL + ` mechanism='PLAIN'>` + plain("nobody", "secret") + `</auth>`, want: failure("not-authorized")},
		// RFC 6120 §4.9.3.12: no stanzas before authentication.
		{name: "message", send: `<message to='romeo@localhost'><body>hi</body></message>`, streamError: "not-authorized"},
		{name: "presence", send: `<presence/>`, streamError: "not-authorized"},
		{name: "iq", send: `<iq type='get' id='p1' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>`, streamError: "not-authorized"},
		{name: "bind", send: `<iq type='set' id='b1'><bind` + xmlnsBind + `/></iq>`, streamError: "not-authorized"},
		// RFC 6120 §4.9.3.24.
		{name: "unknown element", send: `<foo xmlns='urn:example'/>`, streamError: "unsupported-stanza-type"},
		{name: "message in another namespace", send: `<message xmlns='jabber:server'/>`, streamError: "unsupported-stanza-type"},
		{name: "SASL response without an exchange", send: `<response` + xmlnsSASL + `/>`, streamError: "unsupported-stanza-type"},
		{name: "SASL abort without an exchange", send: `<abort` + xmlnsSASL + `/>`, streamError: "unsupported-stanza-type"},
	})
}

func TestWaitForAuth(t *testing.T) {
	runExchanges(t, afterTLS, []exchange{
		{name: "auth PLAIN", send: `<auth` + xmlnsSASL + ` mechanism='PLAIN'>` + plain("juliet", "secret") + `</auth>`, want: `<success` + xmlnsSASL + `/>`, restart: true},
		{name: "unknown mechanism", send: `<auth` + xmlnsSASL + ` mechanism='X-OAUTH2'/>`, want: failure("invalid-mechanism")},
		{name: "bad base64", send: `<auth` + xmlnsSASL + ` mechanism='PLAIN'>====</auth>`, want: failure("incorrect-encoding")},
		{name: "starttls twice", send: `<starttls` + xmlnsTLS + `/>`, streamError: "policy-violation"},
		{name: "message", send: `<message to='romeo@localhost'/>`, streamError: "not-authorized"},
		{name: "unknown element", send: `<foo xmlns='urn:example'/>`, streamError: "unsupported-stanza-type"},
	})
}

func TestWaitForSASLResponse(t *testing.T) {
	runExchanges(t, midSASL, []exchange{
		{name: "response", send: `<response` + xmlnsSASL + `>` + plain("juliet", "secret") + `</response>`, want: `<success` + xmlnsSASL + `/>`, restart: true},
		{name: "wrong password", send: `<response` + xmlnsSASL + `>` + plain("juliet", "wrong") + `</response>`, want: failure("not-authorized")},
		// RFC 6120 §6.4.4.
		{name: "abort", send: `<abort` + xmlnsSASL + `/>`, want: failure("aborted")},
		{name: "bad base64", send: `<response` + xmlnsSASL + `>%%%</response>`, want: failure("incorrect-encoding")},
		{name: "message", send: `<message to='romeo@localhost'/>`, streamError: "not-authorized"},
		{name: "auth again", send: `<auth` + xmlnsSASL + ` mechanism='PLAIN'/>`, streamError: "unsupported-stanza-type"},
		{name: "starttls", send: `<starttls` + xmlnsTLS + `/>`, streamError: "unsupported-stanza-type"},
		{name: "unknown element", send: `<foo xmlns='urn:example'/>`, streamError: "unsupported-stanza-type"},
	})
}

// TestSASLFailuresAreLimited checks that a stream may retry SASL (RFC
// 6120 §6.4.5) but is closed with policy-violation at the fifth failure,
// whatever each failure was.
func TestSASLFailuresAreLimited(t *testing.T) {
	srv := sandboxtest.Start(t, fixtures)
	attempts := []struct{ send, condition string }{
		{`<auth` + xmlnsSASL + ` mechanism='DIGEST-MD5'/>`, "invalid-mechanism"},
		{`<auth` + xmlnsSASL + ` mechanism='PLAIN'>!</auth>`, "incorrect-encoding"},
		{`<auth` + xmlnsSASL + ` mechanism='PLAIN'>` + plain("juliet", "wrong") + `</auth>`, "not-authorized"},
		{`<auth` + xmlnsSASL + ` mechanism='PLAIN'/><abort` + xmlnsSASL + `/>`, "aborted"},
	}
	t.Run("four failures, then success", func(t *testing.T) {
		c := afterHeader(t, srv, "")
		for _, a := range attempts {
			c.send(a.send)
			if a.condition == "aborted" {
				c.expect(`<challenge` + xmlnsSASL + `/>`)
			}
			c.expect(failure(a.condition))
		}
		c.authPlain("juliet", "secret")
	})
	t.Run("five failures", func(t *testing.T) {
		c := afterHeader(t, srv, "")
		for range 4 {
			c.send(`<auth` + xmlnsSASL + ` mechanism='PLAIN'>` + plain("juliet", "wrong") + `</auth>`)
			c.expect(failure("not-authorized"))
		}
		c.send(`<auth` + xmlnsSASL + ` mechanism='PLAIN'>` + plain("juliet", "wrong") + `</auth>`)
		c.expect(failure("not-authorized"))
		c.expectStreamError("policy-violation")
	})
}
