package store

import (
	"context"
	"fmt"
	"slices"
	"testing"
)

// bulkSample is a fixture-like load: users with rosters of contacts,
// enough rows for full and short chunks.
func bulkSample(users, contacts int) ([]User, []RosterItem) {
	var us []User
	var items []RosterItem
	for i := range users {
		name := fmt.Sprintf("u%03d", i)
		us = append(us, User{Name: name, Password: name, AutoAccept: i%2 == 0, Fixture: true})
		for j := range contacts {
			items = append(items, RosterItem{Owner: name, Contact: fmt.Sprintf("c%03d@x", j), Name: "n", Groups: []string{"g", ""}, Sub: SubBoth, PendingIn: j%3 == 0})
		}
	}
	return us, items
}

// TestBulkWritesAsOneRowAtATime compares the bulk writes with PutUser and
// PutRosterItem, over rows that exist already too.
func TestBulkWritesAsOneRowAtATime(t *testing.T) {
	ctx := context.Background()
	us, items := bulkSample(70, 3)
	bulk, single := openT(t, MemoryPath), openT(t, MemoryPath)
	for range 2 {
		err := bulk.Update(ctx, func(tx *Tx) error {
			if err := tx.PutUsers(ctx, us); err != nil {
				return err
			}
			return tx.PutRosterItems(ctx, items)
		})
		if err != nil {
			t.Fatal(err)
		}
		err = single.Update(ctx, func(tx *Tx) error { return putOneByOne(ctx, tx, us, items) })
		if err != nil {
			t.Fatal(err)
		}
	}
	assertSameStores(t, bulk, single, us)
}

func assertSameStores(t *testing.T, a, b *Store, us []User) {
	t.Helper()
	ctx := context.Background()
	ua, _ := a.Users(ctx)
	ub, _ := b.Users(ctx)
	if !slices.Equal(ua, ub) || len(ua) != len(us) {
		t.Fatalf("users differ:\n%v\n%v", ua, ub)
	}
	for _, u := range us {
		ra, va, err := a.Roster(ctx, u.Name)
		rb, vb, _ := b.Roster(ctx, u.Name)
		if err != nil || va != vb || fmt.Sprint(ra) != fmt.Sprint(rb) {
			t.Fatalf("roster of %s: %v v%d, want %v v%d (%v)", u.Name, ra, va, rb, vb, err)
		}
	}
}

func TestPutRosterItemsRefusesBadGroup(t *testing.T) {
	s := openT(t, MemoryPath)
	mustPutUsers(t, s, "a")
	ctx := context.Background()
	err := s.Update(ctx, func(tx *Tx) error {
		return tx.PutRosterItems(ctx, []RosterItem{{Owner: "a", Contact: "b@x", Groups: []string{"a\x1fb"}}})
	})
	if err == nil {
		t.Fatal("a group with U+001F was stored")
	}
}

// BenchmarkFixtureWrite writes 500 users with 20 contacts each, in bulk
// and one row at a time, for the ratio between them.
func BenchmarkFixtureWrite(b *testing.B) {
	ctx := context.Background()
	us, items := bulkSample(500, 20)
	write := map[string]func(tx *Tx) error{
		"bulk": func(tx *Tx) error {
			if err := tx.PutUsers(ctx, us); err != nil {
				return err
			}
			return tx.PutRosterItems(ctx, items)
		},
		"single": func(tx *Tx) error { return putOneByOne(ctx, tx, us, items) },
	}
	for _, name := range []string{"single", "bulk"} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				s, err := Open(MemoryPath)
				if err != nil {
					b.Fatal(err)
				}
				if err := s.Update(ctx, write[name]); err != nil {
					b.Fatal(err)
				}
				s.Close()
			}
		})
	}
}

// putOneByOne writes users and roster items a statement each, the way the
// bulk writes are checked against.
func putOneByOne(ctx context.Context, tx *Tx, us []User, items []RosterItem) error {
	for _, u := range us {
		if err := tx.PutUser(ctx, u); err != nil {
			return err
		}
	}
	for _, it := range items {
		if _, err := tx.PutRosterItem(ctx, it); err != nil {
			return err
		}
	}
	return nil
}
