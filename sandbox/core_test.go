package sandbox_test

import (
	"strings"
	"testing"

	"mellium.im/sasl"

	"github.com/xmppsandbox/xmppsandbox/sandbox/sandboxtest"
)

const twoUsers = `
domain: localhost
users:
  mine:  {password: mine}
  admin: {password: admin}
`

func TestLoginEachMechanismOverSTARTTLS(t *testing.T) {
	srv := sandboxtest.Start(t, twoUsers)
	for _, mech := range []sasl.Mechanism{sasl.ScramSha256, sasl.ScramSha1, sasl.Plain} {
		t.Run(mech.Name, func(t *testing.T) {
			c := sandboxtest.Login(t, srv, "mine", "mine", sandboxtest.LoginOptions{Mechanism: mech})
			if !c.Session.ConnectionState().HandshakeComplete {
				t.Fatal("the session is not encrypted")
			}
			if got := c.JID.Bare().String(); got != "mine@localhost" {
				t.Fatalf("bound JID %q, want mine@localhost/…", c.JID)
			}
			c.Sync()
		})
	}
}

func TestWrongPasswordIsNotAuthorized(t *testing.T) {
	srv := sandboxtest.Start(t, twoUsers)
	for _, mech := range []sasl.Mechanism{sasl.ScramSha256, sasl.ScramSha1, sasl.Plain} {
		t.Run(mech.Name, func(t *testing.T) {
			for _, user := range []string{"mine", "nobody"} {
				s, err := sandboxtest.Dial(srv, user, "wrong", sandboxtest.LoginOptions{Mechanism: mech})
				if err == nil {
					s.Close()
					t.Fatalf("%s logged in with a wrong password", user)
				}
				if !strings.Contains(err.Error(), "not-authorized") {
					t.Fatalf("%s: error %q does not say not-authorized", user, err)
				}
			}
		})
	}
}

func TestTwoUsersExchangeMessages(t *testing.T) {
	srv := sandboxtest.Start(t, twoUsers)
	mine := sandboxtest.Login(t, srv, "mine", "mine", sandboxtest.LoginOptions{Resource: "laptop"})
	admin := sandboxtest.Login(t, srv, "admin", "admin", sandboxtest.LoginOptions{Resource: "desk"})
	mine.Send(`<message to='admin@localhost/desk' type='chat' id='m1'><body>hello admin</body></message>`)
	admin.Expect(`<message from='mine@localhost/laptop' to='admin@localhost/desk' type='chat' id='m1'><body>hello admin</body></message>`)
	admin.Send(`<message to='mine@localhost/laptop' type='chat' id='m2'><body>hello mine</body></message>`)
	mine.Expect(`<message from='admin@localhost/desk' type='chat' id='m2'><body>hello mine</body></message>`)
}

func TestOfflineMessageArrivesAtNextLogin(t *testing.T) {
	srv := sandboxtest.Start(t, twoUsers)
	mine := sandboxtest.Login(t, srv, "mine", "mine", sandboxtest.LoginOptions{Resource: "laptop"})
	mine.Send(`<message to='admin@localhost' type='chat' id='off1'><body>while you were out</body></message>`)
	mine.ExpectNothing() // stored, not bounced
	admin := sandboxtest.Login(t, srv, "admin", "admin", sandboxtest.LoginOptions{Resource: "desk"})
	admin.ExpectNothing() // not before initial presence
	admin.Send(`<presence/>`)
	admin.Expect(`<presence from='admin@localhost/desk'/>`)
	admin.Expect(`<message from='mine@localhost/laptop' type='chat' id='off1'><body>while you were out</body><delay xmlns='urn:xmpp:delay' from='localhost' stamp='{any}'/></message>`)
	admin.ExpectNothing()
}

func TestBareJIDMessageGoesToHighestPriority(t *testing.T) {
	srv := sandboxtest.Start(t, twoUsers)
	mine := sandboxtest.Login(t, srv, "mine", "mine", sandboxtest.LoginOptions{Resource: "laptop"})
	high := sandboxtest.Login(t, srv, "admin", "admin", sandboxtest.LoginOptions{Resource: "high"})
	low := sandboxtest.Login(t, srv, "admin", "admin", sandboxtest.LoginOptions{Resource: "low"})
	high.Send(`<presence><priority>5</priority></presence>`)
	high.Expect(`<presence from='admin@localhost/high'/>`)
	low.Send(`<presence><priority>1</priority></presence>`)
	low.Expect(`<presence from='admin@localhost/low'/>`)
	high.Expect(`<presence from='admin@localhost/low'><priority>1</priority></presence>`)
	mine.Send(`<message to='admin@localhost' type='chat' id='b1'><body>to the bare JID</body></message>`)
	high.Expect(`<message id='b1'><body>to the bare JID</body></message>`)
	low.ExpectNothing()
	// A full JID still reaches the lower resource.
	mine.Send(`<message to='admin@localhost/low' type='chat' id='f1'><body>to low</body></message>`)
	low.Expect(`<message id='f1'/>`)
	high.ExpectNothing()
}
