package presence_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"mellium.im/xmpp/jid"

	"github.com/xmppsandbox/xmppsandbox/sandbox/presence"
	"github.com/xmppsandbox/xmppsandbox/sandbox/roster"
	"github.com/xmppsandbox/xmppsandbox/sandbox/router"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
	"github.com/xmppsandbox/xmppsandbox/sandbox/store"
)

// sink serialises what it is sent, as a session's writer would.
type sink struct{ buf []byte }

func (s *sink) Send(el *stanza.Element) { s.buf = el.AppendXML(s.buf[:0], stanza.NSClient) }
func (s *sink) Close(string, string)    {}

// BenchmarkBroadcast measures the server's side of one presence change by
// a user with 1,000 online contacts at both: lists, routing and
// serialisation for every contact. B/delivered is the bytes allocated per
// delivered presence.
func BenchmarkBroadcast(b *testing.B) {
	const n = 1000
	ctx := context.Background()
	st, err := store.Open(":memory:")
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	r := router.New("localhost")
	r.UserExists = func(string) bool { return true }
	rs := &roster.Service{Domain: "localhost", Store: st, Router: r}
	m := &presence.Module{Domain: "localhost", Router: r, Roster: rs, Store: st, AutoAccept: func(string) bool { return false }}
	m.Hooks.SubscriptionLists.Add(50, func(l *presence.Lists) (*presence.Lists, bool) {
		l.From, l.To = rs.SubscriptionLists(l.Owner)
		return l, true
	})
	r.Hooks.PresenceIn.Add(50, m.Inbound)
	err = st.Update(ctx, func(tx *store.Tx) error {
		if err := tx.PutUser(ctx, store.User{Name: "hub", Password: "x"}); err != nil {
			return err
		}
		for i := 0; i < n; i++ {
			name := fmt.Sprintf("c%d", i)
			if err := tx.PutUser(ctx, store.User{Name: name, Password: "x"}); err != nil {
				return err
			}
			if _, err := tx.PutRosterItem(ctx, store.RosterItem{Owner: "hub", Contact: name + "@localhost", Sub: store.SubBoth}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < n; i++ {
		s := router.NewSession(jid.MustParse(fmt.Sprintf("c%d@localhost/r", i)), &sink{})
		r.Register(s)
		s.SetPresence(stanza.New(stanza.NSClient, stanza.Presence), 0)
	}
	hub := router.NewSession(jid.MustParse("hub@localhost/r"), &sink{})
	r.Register(hub)
	hub.SetPresence(stanza.New(stanza.NSClient, stanza.Presence), 0)
	shows := []string{"away", "chat", "dnd", "xa"}
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		el := stanza.New(stanza.NSClient, stanza.Presence, "from", hub.Full)
		el.Append(stanza.New(stanza.NSClient, "show").AppendText(shows[i%len(shows)]))
		m.UserSend(hub, &router.Packet{From: hub.JID, To: hub.JID.Bare(), El: el, Sender: hub})
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N*n), "B/delivered")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6, "ms/broadcast")
}
