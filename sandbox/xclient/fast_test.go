package xclient

import (
	"strings"
	"testing"

	"github.com/xmppsandbox/xmppsandbox/sandbox/sandboxtest"
)

const users = `
domain: localhost
users:
  mine:  {password: mine}
  mine1: {password: mine1}
rosters:
  mine:
    - {jid: mine1@localhost, subscription: both}
`

func TestDialFast(t *testing.T) {
	srv := sandboxtest.Start(t, users)
	c, err := DialFast(srv.C2SAddr(), "mine", "mine", Options{Domain: srv.Domain(), Resource: "r"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if c.JID != "mine@localhost/r" {
		t.Fatalf("JID = %q, want mine@localhost/r", c.JID)
	}
	// The connection goes on with raw framing: a ping answered by the server.
	c.Writer().WriteString("<iq type='get' id='p1'><ping xmlns='urn:xmpp:ping'/></iq>")
	if err := c.Writer().Flush(); err != nil {
		t.Fatal(err)
	}
	el, err := c.Scanner().Next()
	if err != nil {
		t.Fatal(err)
	}
	if !Is(el, "iq") || string(Attr(el, "id")) != "p1" || string(Attr(el, "type")) != "result" {
		t.Fatalf("ping answered with %s", el)
	}
}

func TestDialFastRefusals(t *testing.T) {
	srv := sandboxtest.Start(t, users)
	tests := []struct {
		name, user, password, domain, want string
	}{
		{"wrong password", "mine", "nope", srv.Domain(), "expected <success/>, got <failure"},
		{"unknown user", "nobody", "nobody", srv.Domain(), "expected <success/>"},
		{"unknown domain", "mine", "mine", "elsewhere.example", "host-unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := DialFast(srv.C2SAddr(), tt.user, tt.password, Options{Domain: tt.domain})
			if err == nil {
				c.Close()
				t.Fatal("logged in")
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), tt.user+": ") {
				t.Fatalf("error %q, want it to name %s and say %q", err, tt.user, tt.want)
			}
		})
	}
}

func TestRosterGetThenAvailable(t *testing.T) {
	srv := sandboxtest.Start(t, users)
	c, err := Dial(srv.C2SAddr(), "mine", "mine", Options{Domain: srv.Domain(), Resource: "r"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	roster, err := c.RosterGet()
	if err != nil {
		t.Fatal(err)
	}
	if roster.Items != 1 {
		t.Fatalf("%d roster items, want 1", roster.Items)
	}
	if err := c.Available(); err != nil {
		t.Fatal(err)
	}
	// Initial presence comes back to the session itself (RFC 6121 §4.2.2).
	el, err := c.Next()
	if err != nil {
		t.Fatal(err)
	}
	if el.Name.Local != "presence" || el.From() != "mine@localhost/r" {
		t.Fatalf("got %s, want the session's own presence", el)
	}
}
