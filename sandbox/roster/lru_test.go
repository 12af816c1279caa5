package roster

import (
	"context"
	"fmt"
	"testing"

	"mellium.im/xmpp/jid"

	"github.com/xmppsandbox/xmppsandbox/sandbox/router"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
	"github.com/xmppsandbox/xmppsandbox/sandbox/store"
)

// testService is a roster service on a new in-memory store holding
// users, each with password "x".
func testService(t *testing.T, maxCached int, users ...string) (*Service, *store.Store) {
	t.Helper()
	st, err := store.Open(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	for _, name := range users {
		if err := st.PutUser(context.Background(), store.User{Name: name, Password: "x"}); err != nil {
			t.Fatal(err)
		}
	}
	return &Service{Domain: "localhost", Store: st, Router: router.New("localhost"), MaxCached: maxCached}, st
}

type nopConn struct{}

func (nopConn) Send(*stanza.Element) {}
func (nopConn) Close(string, string) {}

// The cache keeps at most MaxCached rosters of offline users, never drops
// an online user's, and reads back from the store what it dropped.
func TestCacheBound(t *testing.T) {
	ctx := context.Background()
	s, st := testService(t, 3)
	r := s.Router
	for i := 0; i < 10; i++ {
		name := fmt.Sprintf("u%d", i)
		if err := st.PutUser(ctx, store.User{Name: name, Password: "x"}); err != nil {
			t.Fatal(err)
		}
	}
	r.Register(router.NewSession(jid.MustParse("u0@localhost/r"), nopConn{}))
	if _, err := s.Update("u0", "x@localhost", func(it *Item) bool { it.Sub = store.SubBoth; return true }); err != nil {
		t.Fatal(err)
	}
	for i := 1; i < 10; i++ {
		if _, _, err := s.Items(fmt.Sprintf("u%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(s.cache); n != 4 {
		t.Fatalf("cached %d rosters, want 4 (3 offline users' and the online one's)", n)
	}
	if _, ok := s.cache["u0"]; !ok {
		t.Fatal("the online user's roster was dropped")
	}
	if _, ok := s.cache["u9"]; !ok {
		t.Fatal("the latest roster was dropped")
	}
	if _, ok := s.Get("u0", "x@localhost"); !ok {
		t.Fatal("the online user's item is gone")
	}
	s.Forget("u0")
	if _, ok := s.Get("u0", "x@localhost"); !ok {
		t.Fatal("the item did not come back from the store")
	}
}

// With more users online than the bound, every online user's roster
// stays and offline users' are still bounded.
func TestCacheBoundManyOnline(t *testing.T) {
	ctx := context.Background()
	s, st := testService(t, 2)
	r := s.Router
	const online, offline = 20, 10
	for i := range online + offline {
		name := fmt.Sprintf("u%d", i)
		if err := st.PutUser(ctx, store.User{Name: name, Password: "x"}); err != nil {
			t.Fatal(err)
		}
		if i < online {
			r.Register(router.NewSession(jid.MustParse(name+"@localhost/r"), nopConn{}))
		}
		if _, _, err := s.Items(name); err != nil {
			t.Fatal(err)
		}
	}
	for i := range online {
		if _, ok := s.cache[fmt.Sprintf("u%d", i)]; !ok {
			t.Fatalf("online user u%d's roster was dropped", i)
		}
	}
	if n := len(s.cache); n != online+2 {
		t.Fatalf("cached %d rosters, want %d (every online user's and 2 offline)", n, online+2)
	}
}

// The cached subscription lists follow every change of an item.
func TestListsFollowChanges(t *testing.T) {
	s, _ := testService(t, 0, "u")
	set := func(sub uint8) {
		if _, err := s.UpdateQuietly("u", "x@localhost", func(it *Item) bool { it.Sub = sub; return true }); err != nil {
			t.Fatal(err)
		}
	}
	set(store.SubTo)
	if from, to := s.SubscriptionLists("u"); len(from) != 0 || len(to) != 1 || to[0].Bare != "x@localhost" {
		t.Fatalf("to: from %v, to %v", from, to)
	}
	set(store.SubBoth)
	if from, to := s.SubscriptionLists("u"); len(from) != 1 || len(to) != 1 {
		t.Fatalf("both: from %v, to %v", from, to)
	}
	if _, err := s.RemoveQuietly("u", "x@localhost"); err != nil {
		t.Fatal(err)
	}
	if from, to := s.SubscriptionLists("u"); len(from) != 0 || len(to) != 0 {
		t.Fatalf("removed: from %v, to %v", from, to)
	}
}
