package presence_test

import (
	"context"
	"fmt"
	"testing"

	"mellium.im/xmpp/jid"

	"github.com/xmppsandbox/xmppsandbox/sandbox/offline"
	"github.com/xmppsandbox/xmppsandbox/sandbox/presence"
	"github.com/xmppsandbox/xmppsandbox/sandbox/roster"
	"github.com/xmppsandbox/xmppsandbox/sandbox/router"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
	"github.com/xmppsandbox/xmppsandbox/sandbox/store"
)

// world is a user with contacts wired as the server wires presence,
// roster and offline storage; every onlineStep-th contact is online.
// With mutual, contacts have the user in their roster too.
type world struct {
	r *router.Router
	m *presence.Module
}

func newWorld(b *testing.B, owner string, contacts int, mutual bool, onlineStep int) *world {
	ctx := context.Background()
	st, err := store.Open(":memory:")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	r := router.New("localhost")
	r.UserExists = func(string) bool { return true }
	rs := &roster.Service{Domain: "localhost", Store: st, Router: r}
	m := &presence.Module{Domain: "localhost", Router: r, Roster: rs, Store: st, AutoAccept: func(string) bool { return false }}
	m.Hooks.SubscriptionLists.Add(50, func(l *presence.Lists) (*presence.Lists, bool) {
		l.From, l.To = rs.SubscriptionLists(l.Owner)
		return l, true
	})
	off := &offline.Module{Domain: "localhost", Store: st, Router: r}
	m.Hooks.Available.Add(50, off.Deliver)
	r.Hooks.PresenceIn.Add(50, m.Inbound)
	err = st.Update(ctx, func(tx *store.Tx) error {
		if err := tx.PutUser(ctx, store.User{Name: owner, Password: "x"}); err != nil {
			return err
		}
		for i := 0; i < contacts; i++ {
			if err := putContact(ctx, tx, owner, fmt.Sprintf("c%d", i), mutual); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < contacts; i += onlineStep {
		s := router.NewSession(jid.MustParse(fmt.Sprintf("c%d@localhost/r", i)), &sink{})
		r.Register(s)
		s.SetPresence(stanza.New(stanza.NSClient, stanza.Presence), 0)
	}
	return &world{r: r, m: m}
}

// putContact stores user c in owner's roster at both, and with mutual
// owner in c's.
func putContact(ctx context.Context, tx *store.Tx, owner, c string, mutual bool) error {
	if err := tx.PutUser(ctx, store.User{Name: c, Password: "x"}); err != nil {
		return err
	}
	if _, err := tx.PutRosterItem(ctx, store.RosterItem{Owner: owner, Contact: c + "@localhost", Sub: store.SubBoth}); err != nil {
		return err
	}
	if !mutual {
		return nil
	}
	_, err := tx.PutRosterItem(ctx, store.RosterItem{Owner: c, Contact: owner + "@localhost", Sub: store.SubBoth})
	return err
}

// login is one session's life as presence sees it: bind, initial
// presence (probes, broadcast, offline check), stream end.
func (w *world) login(me jid.JID) {
	s := router.NewSession(me, &sink{})
	w.r.Register(s)
	el := stanza.New(stanza.NSClient, stanza.Presence, "from", s.Full)
	w.m.UserSend(s, &router.Packet{From: s.JID, To: s.JID.Bare(), El: el, Sender: s})
	w.m.SessionClosed(s)
	w.r.Unregister(s)
}

// BenchmarkLoginPresence measures the server's side of a login's presence
// by a user with 20 contacts, 10 of them online: probes and their answers,
// the broadcast, the offline check and the unavailable at the end.
func BenchmarkLoginPresence(b *testing.B) {
	w := newWorld(b, "u", 20, true, 2)
	me := jid.MustParse("u@localhost/r")
	w.login(me)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w.login(me)
	}
}
