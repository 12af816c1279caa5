package roster

import (
	"runtime"
	"slices"
	"testing"

	"github.com/xmppsandbox/xmppsandbox/sandbox/store"
)

func bares(cs []*Contact) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Bare)
	}
	return out
}

// The subscription lists follow the items' order and states, follow
// changes, and share the parsed contacts between rosters.
func TestSubscriptionListsShared(t *testing.T) {
	s, _ := testService(t, 0, "a", "b")
	set := func(owner, contact string, sub uint8) {
		t.Helper()
		if _, err := s.UpdateQuietly(owner, contact, func(it *Item) bool { it.Sub = sub; return true }); err != nil {
			t.Fatal(err)
		}
	}
	set("a", "z@localhost", store.SubBoth)
	set("a", "y@localhost", store.SubBoth)
	from, to := s.SubscriptionLists("a")
	if want := []string{"y@localhost", "z@localhost"}; !slices.Equal(bares(from), want) || !slices.Equal(bares(to), want) {
		t.Fatalf("lists %v %v, want %v both", bares(from), bares(to), want)
	}
	set("a", "x@localhost", store.SubFrom)
	set("a", "w@localhost", store.SubTo)
	set("a", "v@localhost", store.SubNone)
	from, to = s.SubscriptionLists("a")
	if want := []string{"x@localhost", "y@localhost", "z@localhost"}; !slices.Equal(bares(from), want) {
		t.Errorf("from %v, want %v", bares(from), want)
	}
	if want := []string{"w@localhost", "y@localhost", "z@localhost"}; !slices.Equal(bares(to), want) {
		t.Errorf("to %v, want %v", bares(to), want)
	}
	set("b", "Y@LocalHost", store.SubBoth) // normalised when parsed
	set("b", "z@localhost", store.SubBoth)
	bf, _ := s.SubscriptionLists("b")
	if got := bares(bf); !slices.Equal(got, []string{"y@localhost", "z@localhost"}) {
		t.Errorf("b's from %v", got)
	}
	if bf[1] != from[2] {
		t.Error("z@localhost parsed twice, not shared")
	}
	if _, err := s.Remove("a", "y@localhost"); err != nil {
		t.Fatal(err)
	}
	from, to = s.SubscriptionLists("a")
	if !slices.Equal(bares(from), []string{"x@localhost", "z@localhost"}) || !slices.Equal(bares(to), []string{"w@localhost", "z@localhost"}) {
		t.Errorf("after removal: %v %v", bares(from), bares(to))
	}
	s.Forget()
	from, _ = s.SubscriptionLists("a")
	if !slices.Equal(bares(from), []string{"x@localhost", "z@localhost"}) {
		t.Errorf("read back: %v", bares(from))
	}
}

// The shared contacts are held weakly: once no cached roster lists a
// contact, it can be collected, so a large store is not pinned.
func TestContactsNotPinned(t *testing.T) {
	s, _ := testService(t, 0, "p")
	const contact = "pinned-or-not@localhost"
	if _, err := s.UpdateQuietly("p", contact, func(it *Item) bool { it.Sub = store.SubBoth; return true }); err != nil {
		t.Fatal(err)
	}
	if from, _ := s.SubscriptionLists("p"); len(from) != 1 || lookupContact(contact) != from[0] {
		t.Fatalf("contact not interned: %v", from)
	}
	s.Forget()
	for range 10 {
		runtime.GC()
		if lookupContact(contact) == nil {
			return
		}
	}
	t.Error("a contact no roster lists is still held")
}
