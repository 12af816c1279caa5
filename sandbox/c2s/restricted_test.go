package c2s_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/xmppsandbox/xmppsandbox/sandbox"
	"github.com/xmppsandbox/xmppsandbox/sandbox/sandboxtest"
)

// TestRestrictedXMLEndsOnlyThatStream sends XML that RFC 6120 §11 forbids
// on a logged-in stream: that stream gets the right stream error and is
// closed, while two other sessions go on exchanging messages.
func TestRestrictedXMLEndsOnlyThatStream(t *testing.T) {
	const maxStanza = 4096
	srv := sandboxtest.Start(t, fixtures, func(c *sandbox.Config) { c.MaxStanza = maxStanza })
	juliet := sandboxtest.Login(t, srv, "juliet", "secret", sandboxtest.LoginOptions{Resource: "balcony"})
	romeo := sandboxtest.Login(t, srv, "romeo", "secret", sandboxtest.LoginOptions{Resource: "orchard"})
	toRomeo := `<message to='romeo@localhost/orchard' id='x'><body>`
	tests := []struct{ name, send, condition string }{
		{"doctype", `<!DOCTYPE message>`, "restricted-xml"},
		{"DTD with an entity", `<!DOCTYPE message [<!ENTITY x 'y'>]><message>&x;</message>`, "restricted-xml"},
		{"entity declaration", `<!ENTITY x 'y'>`, "restricted-xml"},
		{"billion laughs", billionLaughs() + `<lolz>&lol9;</lolz>`, "restricted-xml"},
		{"comment", `<!-- hello -->`, "restricted-xml"},
		{"comment in a stanza", toRomeo + `a<!-- hello -->b</body></message>`, "restricted-xml"},
		{"processing instruction", `<?php echo 1; ?>`, "restricted-xml"},
		{"processing instruction in a stanza", toRomeo + `<?x y?></body></message>`, "restricted-xml"},
		{"oversized stanza", toRomeo + strings.Repeat("a", maxStanza) + `</body></message>`, "policy-violation"},
		{"mismatched tags", toRomeo + `</message>`, "not-well-formed"},
		{"undefined entity", toRomeo + `&lol;</body></message>`, "not-well-formed"},
		{"invalid UTF-8", toRomeo + "\xff\xfe</body></message>", "not-well-formed"},
		{"control character", toRomeo + "\x01</body></message>", "not-well-formed"},
		{"unbound prefix", `<x:message to='romeo@localhost/orchard'/>`, "not-well-formed"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := login(t, srv, "mercutio", "secret", "r"+strconv.Itoa(i))
			c.send(tt.send)
			c.expectStreamError(tt.condition)
		})
		roundTrip(juliet, romeo, "after "+tt.name)
	}
}

// TestStanzaAtSizeLimitIsDelivered checks the other side of the limit: a
// stanza of exactly the limit is routed.
func TestStanzaAtSizeLimitIsDelivered(t *testing.T) {
	const maxStanza = 4096
	srv := sandboxtest.Start(t, fixtures, func(c *sandbox.Config) { c.MaxStanza = maxStanza })
	romeo := sandboxtest.Login(t, srv, "romeo", "secret", sandboxtest.LoginOptions{Resource: "orchard"})
	c, _ := login(t, srv, "mercutio", "secret", "r")
	const open, close = `<message to='romeo@localhost/orchard' id='big'><body>`, `</body></message>`
	body := strings.Repeat("a", maxStanza-len(open)-len(close))
	c.send(open + body + close)
	romeo.Expect(`<message id='big'><body>` + body + `</body></message>`)
}

// roundTrip checks that juliet and romeo still reach each other.
func roundTrip(juliet, romeo *sandboxtest.Client, text string) {
	juliet.Send(`<message to='romeo@localhost/orchard' type='chat'><body>` + text + `</body></message>`)
	romeo.Expect(`<message from='juliet@localhost/balcony' type='chat'><body>` + text + `</body></message>`)
	romeo.Send(`<message to='juliet@localhost/balcony' type='chat'><body>re: ` + text + `</body></message>`)
	juliet.Expect(`<message from='romeo@localhost/orchard' type='chat'><body>re: ` + text + `</body></message>`)
}

// billionLaughs is the entity expansion attack: ten nested entities that
// would expand to a billion "lol"s.
func billionLaughs() string {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE lolz [<!ENTITY lol "lol">`)
	prev := "lol"
	for i := 1; i <= 9; i++ {
		name := "lol" + strconv.Itoa(i)
		b.WriteString(`<!ENTITY ` + name + ` "` + strings.Repeat("&"+prev+";", 10) + `">`)
		prev = name
	}
	b.WriteString(`]>`)
	return b.String()
}
