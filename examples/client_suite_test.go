// Package examples shows how the test suite of an XMPP client can use
// the sandbox: one server for the suite, reset between tests, stanzas
// injected on behalf of contacts, and waits for what the client answers.
package examples

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"strings"
	"testing"
	"time"

	"mellium.im/xmlstream"
	"mellium.im/xmpp"
	"mellium.im/xmpp/jid"
	"mellium.im/xmpp/stanza"

	"github.com/xmppsandbox/xmppsandbox/sandbox/expect"
	"github.com/xmppsandbox/xmppsandbox/sandbox/sandboxtest"
)

// fixtures declare the account the client under test logs in to, mine,
// and the contact who asks to see its presence, mine1.
const fixtures = `
domain: localhost
users:
  mine:  {password: mine}
  mine1: {password: mine1}
`

// waitTimeout bounds every wait of the suite.
const waitTimeout = 5 * time.Second

// TestSubscriptionFlow checks, end to end, how the client handles a
// contact asking to subscribe to its presence (RFC 6121 §3.1): it must
// answer, and the server's roster must end as the answer says.
func TestSubscriptionFlow(t *testing.T) {
	srv := sandboxtest.Start(t, fixtures)
	tests := []struct {
		name         string
		approve      bool   // what the user of the client decides
		askedOffline bool   // the request waits on the server for the client to log in
		answer       string // the presence type the client must send
	}{
		{"approves a request", true, false, "subscribed"},
		{"denies a request", false, false, "unsubscribed"},
		{"approves a request made while offline", true, true, "subscribed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Every test starts from the fixtures, with no one online.
			if err := srv.Reset(false); err != nil {
				t.Fatal(err)
			}
			// Note where the trace is before acting: the waits below then
			// see everything that follows, even what passed before they began.
			seq := srv.TraceSeq()
			if tt.askedOffline {
				injectSubscribe(t, srv)
			}
			startClient(t, srv, tt.approve)
			waitFor(t, srv, expect.Filter{Dir: "in", From: "mine", Kind: "presence", Type: "available"}, seq)
			if !tt.askedOffline {
				injectSubscribe(t, srv)
			}
			waitFor(t, srv, expect.Filter{Dir: "in", From: "mine", To: "mine1", Kind: "presence", Type: tt.answer}, seq)
			// mine1 now receives mine's presence exactly when the user
			// approved: the item's subscription is from (RFC 6121 §3.1.5).
			sub := rosterSubscription(t, srv, "mine", "mine1@localhost")
			if granted := sub == "from" || sub == "both"; granted != tt.approve {
				t.Errorf("mine's roster item for mine1 has subscription %q after the client answered %s", sub, tt.answer)
			}
		})
	}
}

// waitFor fails the test unless a stanza matching f passes after seq; the
// failure lists the stanzas that came closest.
func waitFor(t *testing.T, srv *sandboxtest.Server, f expect.Filter, seq uint64) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	if _, err := srv.Expect(ctx, f, seq); err != nil {
		t.Fatalf("waiting for %+v: %v%s", f, err, closest(err))
	}
}

// closest lists the near misses of a failed wait, one a line.
func closest(err error) string {
	nm, ok := err.(*expect.NoMatchError)
	if !ok {
		return ""
	}
	var b strings.Builder
	for _, c := range nm.Closest {
		b.WriteString("\n\t" + strings.Join(c.Missed, "; ") + ": " + c.XML)
	}
	return b.String()
}

// injectSubscribe has mine1 ask to subscribe to mine's presence, through
// the admin API, as a suite in any language would.
func injectSubscribe(t *testing.T, srv *sandboxtest.Server) {
	t.Helper()
	body := `{"from":"mine1","to":"mine","type":"subscribe"}`
	res, err := http.Post("http://"+srv.HTTPAddr()+"/api/inject/presence", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("inject presence: %s", res.Status)
	}
}

// rosterSubscription returns the subscription of owner's roster item for
// contact, as the server keeps it, or "" when there is no such item.
func rosterSubscription(t *testing.T, srv *sandboxtest.Server, owner, contact string) string {
	t.Helper()
	res, err := http.Get("http://" + srv.HTTPAddr() + "/api/rosters/" + owner)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var roster struct {
		Items []struct{ JID, Subscription string }
	}
	if err := json.NewDecoder(res.Body).Decode(&roster); err != nil {
		t.Fatal(err)
	}
	for _, it := range roster.Items {
		if it.JID == contact {
			return it.Subscription
		}
	}
	return ""
}

// startClient runs the client under test as mine until the test ends. In
// a real suite this is your client; here a few lines of mellium.im/xmpp
// stand in for it: it fetches its roster, goes online, acknowledges
// roster pushes and answers subscription requests as its user decides.
func startClient(t *testing.T, srv *sandboxtest.Server, approve bool) {
	t.Helper()
	session, err := sandboxtest.Dial(srv, "mine", "mine", sandboxtest.LoginOptions{Resource: "suite"})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		session.Serve(xmpp.HandlerFunc(func(r xmlstream.TokenReadEncoder, start *xml.StartElement) error {
			return handle(r, start, approve)
		}))
	}()
	t.Cleanup(func() {
		session.Close()
		select {
		case <-done:
		case <-time.After(waitTimeout):
		}
		session.Conn().Close()
	})
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	rosterGet := stanza.IQ{ID: "roster1", Type: stanza.GetIQ}.Wrap(xmlstream.Wrap(nil, xml.StartElement{Name: xml.Name{Space: "jabber:iq:roster", Local: "query"}}))
	for _, s := range []xml.TokenReader{rosterGet, stanza.Presence{}.Wrap(nil)} {
		if err := session.Send(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
}

// handle is the stand-in client's reaction to one incoming stanza.
func handle(r xmlstream.TokenReadEncoder, start *xml.StartElement, approve bool) error {
	typ := attr(start, "type")
	switch {
	case start.Name.Local == "presence" && typ == "subscribe":
		from, err := jid.Parse(attr(start, "from"))
		if err != nil {
			return err
		}
		answer := stanza.UnsubscribedPresence
		if approve {
			answer = stanza.SubscribedPresence
		}
		_, err = xmlstream.Copy(r, stanza.Presence{To: from.Bare(), Type: answer}.Wrap(nil))
		return err
	case start.Name.Local == "iq" && typ == "set":
		// A roster push; a client acknowledges it (RFC 6121 §2.1.6).
		iq, err := stanza.NewIQ(*start)
		if err != nil {
			return err
		}
		_, err = xmlstream.Copy(r, iq.Result(nil))
		return err
	}
	return nil
}

// attr returns the value of an unqualified attribute of start.
func attr(start *xml.StartElement, name string) string {
	for _, a := range start.Attr {
		if a.Name.Local == name && a.Name.Space == "" {
			return a.Value
		}
	}
	return ""
}
