package fault

import (
	"testing"

	"mellium.im/xmpp/jid"

	"github.com/xmppsandbox/xmppsandbox/sandbox/router"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stream"
)

// sent builds the packet a session of mine@x would hand to the hook.
func sent(t *testing.T, xml, to string) *router.Packet {
	t.Helper()
	el, err := stream.Parse(xml, 0)
	if err != nil {
		t.Fatal(err)
	}
	from := jid.MustParse("mine@x/phone")
	el.Set("from", from.String())
	return &router.Packet{From: from, To: jid.MustParse(to), El: el, Sender: router.NewSession(from, &recordingConn{})}
}

func TestInterceptAnswersWithTheInjectedError(t *testing.T) {
	var r Registry
	r.Set("mine@x", Patch{IQError: &IQError{NS: "jabber:iq:roster", Condition: "remote-server-timeout"}})
	reply, handled := r.Intercept(sent(t, `<iq type='get' id='r1'><query xmlns='jabber:iq:roster'/></iq>`, "mine@x"), "x")
	if !handled || reply == nil {
		t.Fatalf("handled %v, reply %v", handled, reply)
	}
	e := reply.Child(stanza.NSClient, "error")
	if reply.Type() != "error" || reply.ID() != "r1" || reply.To() != "mine@x/phone" || e == nil ||
		e.Get("type") != "wait" || e.Child(stanza.NSStanzas, "remote-server-timeout") == nil {
		t.Fatalf("reply %s", reply)
	}
}

func TestInterceptLetsOtherStanzasThrough(t *testing.T) {
	var r Registry
	r.Set("mine@x", Patch{IQError: &IQError{NS: "jabber:iq:roster", Condition: "forbidden"}, NoPingReply: ptr(true)})
	tests := []struct{ name, xml, to string }{
		{"other namespace", `<iq type='get' id='1'><query xmlns='jabber:iq:version'/></iq>`, "x"},
		{"result", `<iq type='result' id='1'><query xmlns='jabber:iq:roster'/></iq>`, "mine@x"},
		{"message", `<message id='1'><body>hi</body></message>`, "other@x"},
		{"ping to a client", `<iq type='get' id='1'><ping xmlns='urn:xmpp:ping'/></iq>`, "other@x/desk"},
		{"ping to another server", `<iq type='get' id='1'><ping xmlns='urn:xmpp:ping'/></iq>`, "elsewhere.example"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if reply, handled := r.Intercept(sent(t, tt.xml, tt.to), "x"); handled || reply != nil {
				t.Fatalf("intercepted: %v %v", handled, reply)
			}
		})
	}
}

func TestInterceptSwallowsPingsToTheServer(t *testing.T) {
	var r Registry
	r.Set("mine@x/phone", Patch{NoPingReply: ptr(true)})
	for _, to := range []string{"x", "mine@x"} {
		reply, handled := r.Intercept(sent(t, `<iq type='get' id='p'><ping xmlns='urn:xmpp:ping'/></iq>`, to), "x")
		if !handled || reply != nil {
			t.Errorf("ping to %s: handled %v, reply %v", to, handled, reply)
		}
	}
	r.Clear("mine@x")
	if _, handled := r.Intercept(sent(t, `<iq type='get' id='p'><ping xmlns='urn:xmpp:ping'/></iq>`, "x"), "x"); handled {
		t.Error("a cleared fault still swallows pings")
	}
}
