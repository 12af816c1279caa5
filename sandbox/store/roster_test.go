package store

import (
	"context"
	"slices"
	"testing"
)

func TestRosterItemRoundTrip(t *testing.T) {
	tests := []RosterItem{
		{Contact: "admin@localhost", Name: "Admin", Groups: []string{"Friends"}, Sub: SubBoth},
		{Contact: "a@b", Groups: []string{"Z", "A", "M"}, Sub: SubTo, PendingIn: true},
		{Contact: "c@d", Groups: []string{""}, Sub: SubFrom, PendingOut: true, Approved: true},
		{Contact: "e@f", Groups: []string{"", "x", ""}},
		{Contact: "g@h", Name: "Ünïcödé ✓", Groups: []string{"a,b", "c\nd"}},
		{Contact: "remote.example"},
	}
	eachBackend(t, func(t *testing.T, s *Store) {
		mustPutUsers(t, s, "mine")
		for _, want := range tests {
			t.Run(want.Contact, func(t *testing.T) {
				ctx := context.Background()
				want.Owner = "mine"
				if _, err := s.PutRosterItem(ctx, want); err != nil {
					t.Fatal(err)
				}
				got, ok, err := s.RosterItem(ctx, "mine", want.Contact)
				if !ok || err != nil {
					t.Fatalf("RosterItem: ok %v err %v", ok, err)
				}
				assertItem(t, got, want)
			})
		}
	})
}

func TestRosterSortedByContact(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		mustPutUsers(t, s, "mine")
		contacts := []string{"zed@x", "Bob@x", "admin@x", "bob@x"}
		for _, c := range contacts {
			if _, err := s.PutRosterItem(ctx, RosterItem{Owner: "mine", Contact: c}); err != nil {
				t.Fatal(err)
			}
		}
		items, ver, err := s.Roster(ctx, "mine")
		if err != nil || ver != int64(len(contacts)) {
			t.Fatalf("Roster: ver %d err %v", ver, err)
		}
		var got []string
		for _, it := range items {
			got = append(got, it.Contact)
			if it.Owner != "mine" {
				t.Errorf("item %s has owner %q", it.Contact, it.Owner)
			}
		}
		want := slices.Sorted(slices.Values(contacts))
		if !slices.Equal(got, want) {
			t.Fatalf("contacts %v, want %v", got, want)
		}
	})
}

func TestRosterVersionBumps(t *testing.T) {
	s := openT(t, MemoryPath)
	ctx := context.Background()
	mustPutUsers(t, s, "mine", "other")
	item := RosterItem{Owner: "mine", Contact: "a@x"}
	steps := []struct {
		name string
		do   func() (int64, error)
		want int64
	}{
		{"nothing yet", func() (int64, error) { return s.RosterVersion(ctx, "mine") }, 0},
		{"first put", func() (int64, error) { return s.PutRosterItem(ctx, item) }, 1},
		{"same put again", func() (int64, error) { return s.PutRosterItem(ctx, item) }, 2},
		{"other owner", func() (int64, error) { return s.PutRosterItem(ctx, RosterItem{Owner: "other", Contact: "a@x"}) }, 1},
		{"delete absent", func() (int64, error) { return s.DeleteRosterItem(ctx, "mine", "nobody@x") }, 2},
		{"delete present", func() (int64, error) { return s.DeleteRosterItem(ctx, "mine", "a@x") }, 3},
		{"delete again", func() (int64, error) { return s.DeleteRosterItem(ctx, "mine", "a@x") }, 3},
		{"read", func() (int64, error) { return s.RosterVersion(ctx, "mine") }, 3},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			got, err := st.do()
			if err != nil || got != st.want {
				t.Fatalf("version %d, err %v; want %d", got, err, st.want)
			}
		})
	}
	if _, ok, _ := s.RosterItem(ctx, "mine", "a@x"); ok {
		t.Fatal("deleted item still present")
	}
}

func TestPutRosterItemRejects(t *testing.T) {
	tests := []struct {
		name string
		item RosterItem
	}{
		{"unknown owner", RosterItem{Owner: "nobody", Contact: "a@x"}},
		{"empty contact", RosterItem{Owner: "mine"}},
		{"bad subscription", RosterItem{Owner: "mine", Contact: "a@x", Sub: 4}},
		{"separator in group", RosterItem{Owner: "mine", Contact: "a@x", Groups: []string{"a\x1fb"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := openT(t, MemoryPath)
			ctx := context.Background()
			mustPutUsers(t, s, "mine")
			if _, err := s.PutRosterItem(ctx, tc.item); err == nil {
				t.Fatal("PutRosterItem succeeded")
			}
			if ver, _ := s.RosterVersion(ctx, tc.item.Owner); ver != 0 {
				t.Fatalf("a failed put bumped the version to %d", ver)
			}
		})
	}
}

func TestRosterInsideUpdate(t *testing.T) {
	s := openT(t, MemoryPath)
	ctx := context.Background()
	err := s.Update(ctx, func(tx *Tx) error {
		mustPutUsersTx(t, tx, "mine")
		for _, c := range []string{"b@x", "a@x"} {
			if _, err := tx.PutRosterItem(ctx, RosterItem{Owner: "mine", Contact: c}); err != nil {
				return err
			}
		}
		items, ver, err := tx.Roster(ctx, "mine")
		if err != nil || len(items) != 2 || ver != 2 {
			t.Errorf("inside the transaction: %d items, ver %d, err %v", len(items), ver, err)
		}
		_, err = tx.DeleteRosterItem(ctx, "mine", "a@x")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	items, ver, err := s.Roster(ctx, "mine")
	if err != nil || len(items) != 1 || ver != 3 {
		t.Fatalf("after commit: %v ver %d err %v", items, ver, err)
	}
}

// assertItem compares two roster items field by field.
func assertItem(t *testing.T, got, want RosterItem) {
	t.Helper()
	same := got.Owner == want.Owner && got.Contact == want.Contact && got.Name == want.Name &&
		slices.Equal(got.Groups, want.Groups) && got.Sub == want.Sub &&
		got.PendingOut == want.PendingOut && got.PendingIn == want.PendingIn && got.Approved == want.Approved
	if !same {
		t.Fatalf("got %+v, want %+v", got, want)
	}
}

func TestRosterVersionInsideUpdate(t *testing.T) {
	tests := []struct {
		name    string
		fail    bool
		wantVer int64
	}{
		{"commit keeps every bump", false, 4},
		{"rollback keeps none", true, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := openT(t, MemoryPath)
			ctx := context.Background()
			mustPutUsers(t, s, "mine")
			if _, err := s.PutRosterItem(ctx, RosterItem{Owner: "mine", Contact: "a@x"}); err != nil {
				t.Fatal(err)
			}
			s.Update(ctx, func(tx *Tx) error {
				for i, c := range []string{"b@x", "c@x", "d@x"} {
					ver, err := tx.PutRosterItem(ctx, RosterItem{Owner: "mine", Contact: c})
					if err != nil || ver != int64(i+2) {
						t.Errorf("put %s: ver %d err %v, want %d", c, ver, err, i+2)
					}
				}
				if ver, _ := tx.RosterVersion(ctx, "mine"); ver != 4 {
					t.Errorf("RosterVersion inside: %d, want 4", ver)
				}
				if tc.fail {
					return context.Canceled
				}
				return nil
			})
			if ver, err := s.RosterVersion(ctx, "mine"); ver != tc.wantVer || err != nil {
				t.Fatalf("version after Update: %d, %v; want %d", ver, err, tc.wantVer)
			}
		})
	}
}
