package offline_test

import (
	"context"
	"testing"
	"time"

	"mellium.im/xmpp/jid"

	"github.com/xmppsandbox/xmppsandbox/sandbox/offline"
	"github.com/xmppsandbox/xmppsandbox/sandbox/router"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
	"github.com/xmppsandbox/xmppsandbox/sandbox/store"
)

type collect struct{ got []*stanza.Element }

func (c *collect) Send(el *stanza.Element) { c.got = append(c.got, el) }
func (*collect) Close(string, string)      {}

// Messages stored before the module started and messages it kept itself
// both reach the next login, once; a login with none gets nothing.
func TestDeliverKnowsWhoHasMessages(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, u := range []string{"old", "new", "none"} {
		if err := st.PutUser(ctx, store.User{Name: u, Password: "x"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.PushOffline(ctx, "old", `<message xmlns="jabber:client" to="old@localhost"><body>1</body></message>`, time.Now()); err != nil {
		t.Fatal(err)
	}
	r := router.New("localhost")
	m := &offline.Module{Domain: "localhost", Store: st, Router: r}
	msg := stanza.New(stanza.NSClient, stanza.Message, "to", "new@localhost").Append(stanza.New(stanza.NSClient, "body").AppendText("2"))
	if p, _ := m.Keep(&router.Packet{To: jid.MustParse("new@localhost"), El: msg}); !p.Handled {
		t.Fatal("not kept")
	}
	for _, c := range []struct {
		user string
		want int
	}{{"old", 1}, {"new", 1}, {"none", 0}, {"old", 0}, {"new", 0}} {
		conn := &collect{}
		m.Deliver(router.NewSession(jid.MustParse(c.user+"@localhost/r"), conn))
		if len(conn.got) != c.want {
			t.Errorf("%s got %d messages, want %d", c.user, len(conn.got), c.want)
		}
	}
}
