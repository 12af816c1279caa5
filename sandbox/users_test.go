package sandbox

import (
	"context"
	"testing"

	"github.com/xmppsandbox/xmppsandbox/sandbox/store"
)

// TestUsersReadOnFirstNeed checks the directory against the store it
// reads lazily: misses, writes through put, deletions and a rewrite.
func TestUsersReadOnFirstNeed(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(store.MemoryPath)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.PutUser(ctx, store.User{Name: "a", Password: "pa"}); err != nil {
		t.Fatal(err)
	}
	u, _ := newUsers(st)
	if p, ok := u.Password("a"); !ok || p != "pa" {
		t.Fatalf("a: %q %v, want the stored password", p, ok)
	}
	if u.exists("b") {
		t.Fatal("b exists before it was stored")
	}
	if err := u.put(store.User{Name: "b", Password: "pb"}); err != nil {
		t.Fatal(err)
	}
	if !u.exists("b") || u.count() != 2 || len(u.all()) != 2 {
		t.Fatalf("after put: exists %v, count %d, all %v", u.exists("b"), u.count(), u.all())
	}
	st.DeleteUser(ctx, "a")
	u.forget("a")
	if u.exists("a") {
		t.Fatal("a still exists after forget")
	}
	st.PutUser(ctx, store.User{Name: "c", Password: "pc"})
	u.reload()
	if !u.exists("c") || u.exists("a") {
		t.Fatal("reload did not show the rewritten store")
	}
}

// TestUsersSCRAMKeysFollowPassword checks that keys derived before a
// reload are not used once the password changed.
func TestUsersSCRAMKeysFollowPassword(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(store.MemoryPath)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	st.PutUser(ctx, store.User{Name: "a", Password: "old"})
	u, _ := newUsers(st)
	before, ok := u.SCRAMKeys("a", "SCRAM-SHA-256")
	if !ok {
		t.Fatal("no keys for a")
	}
	st.PutUser(ctx, store.User{Name: "a", Password: "new"})
	u.reload()
	after, ok := u.SCRAMKeys("a", "SCRAM-SHA-256")
	if !ok || string(after.StoredKey) == string(before.StoredKey) {
		t.Fatal("keys of the old password were used for the new one")
	}
}
