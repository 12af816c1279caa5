package store

import (
	"bytes"
	"context"
	"testing"
	"time"
)

func TestUsers(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		in := []User{
			{Name: "mine1", Password: "p1", AutoAccept: true, Fixture: true},
			{Name: "admin", Password: "p2"},
			{Name: "mine", Password: "p3", Fixture: true},
		}
		for _, u := range in {
			if err := s.PutUser(ctx, u); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.Users(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := []User{in[1], in[2], in[0]}
		if len(got) != len(want) {
			t.Fatalf("Users() = %v, want %v", got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("Users()[%d] = %+v, want %+v", i, got[i], want[i])
			}
		}
		if n, err := s.CountUsers(ctx); n != 3 || err != nil {
			t.Errorf("CountUsers() = %d, %v; want 3", n, err)
		}
	})
}

func TestUserLookup(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		want := User{Name: "alice", Password: "secret", AutoAccept: true}
		if err := s.PutUser(ctx, want); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name   string
			wantOK bool
		}{{"alice", true}, {"bob", false}, {"Alice", false}}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				u, ok, err := s.User(ctx, tc.name)
				if err != nil || ok != tc.wantOK {
					t.Fatalf("User(%q): ok %v err %v, want ok %v", tc.name, ok, err, tc.wantOK)
				}
				if ok && u != want {
					t.Fatalf("User(%q) = %+v, want %+v", tc.name, u, want)
				}
			})
		}
	})
}

func TestPutUserUpdates(t *testing.T) {
	s := openT(t, MemoryPath)
	ctx := context.Background()
	mustPutUsers(t, s, "alice")
	updated := User{Name: "alice", Password: "alice", AutoAccept: true, Fixture: true}
	if err := s.PutUser(ctx, updated); err != nil {
		t.Fatal(err)
	}
	if u, _, _ := s.User(ctx, "alice"); u != updated {
		t.Fatalf("after update: %+v, want %+v", u, updated)
	}
	if n, _ := s.CountUsers(ctx); n != 1 {
		t.Fatalf("%d users after an update, want 1", n)
	}
}

func TestSCRAMKeys(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		mustPutUsers(t, s, "alice")
		sha1 := SCRAMKeys{Salt: []byte("salt1"), Iters: 4096, StoredKey: []byte{1, 2}, ServerKey: []byte{3, 4}}
		sha256 := SCRAMKeys{Salt: []byte("salt2"), Iters: 8192, StoredKey: []byte{5}, ServerKey: []byte{6}}
		if _, ok, err := s.SCRAM(ctx, "alice", "SCRAM-SHA-1"); ok || err != nil {
			t.Fatalf("keys before any were stored: ok %v err %v", ok, err)
		}
		for mech, k := range map[string]SCRAMKeys{"SCRAM-SHA-1": sha1, "SCRAM-SHA-256": sha256} {
			if err := s.PutSCRAM(ctx, "alice", mech, k); err != nil {
				t.Fatal(err)
			}
		}
		replaced := sha1
		replaced.Iters = 10000
		if err := s.PutSCRAM(ctx, "alice", "SCRAM-SHA-1", replaced); err != nil {
			t.Fatal(err)
		}
		assertKeys(t, s, "SCRAM-SHA-1", replaced)
		assertKeys(t, s, "SCRAM-SHA-256", sha256)
	})
}

func TestSCRAMKeysForUnknownUserFail(t *testing.T) {
	s := openT(t, MemoryPath)
	err := s.PutSCRAM(context.Background(), "nobody", "SCRAM-SHA-1", SCRAMKeys{Salt: []byte{1}, StoredKey: []byte{1}, ServerKey: []byte{1}})
	if err == nil {
		t.Fatal("PutSCRAM for an unknown user succeeded")
	}
}

func TestPasswordChangeDropsSCRAMKeys(t *testing.T) {
	tests := []struct {
		name     string
		password string
		wantKeys bool
	}{
		{"same password keeps keys", "alice", true},
		{"new password drops keys", "changed", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := openT(t, MemoryPath)
			ctx := context.Background()
			mustPutUsers(t, s, "alice")
			k := SCRAMKeys{Salt: []byte{1}, Iters: 1, StoredKey: []byte{2}, ServerKey: []byte{3}}
			if err := s.PutSCRAM(ctx, "alice", "SCRAM-SHA-256", k); err != nil {
				t.Fatal(err)
			}
			if err := s.PutUser(ctx, User{Name: "alice", Password: tc.password, AutoAccept: true}); err != nil {
				t.Fatal(err)
			}
			if _, ok, err := s.SCRAM(ctx, "alice", "SCRAM-SHA-256"); ok != tc.wantKeys || err != nil {
				t.Fatalf("keys present %v (err %v), want %v", ok, err, tc.wantKeys)
			}
		})
	}
}

func TestDeleteUserRemovesEverythingOwned(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		mustPutUsers(t, s, "alice", "bob")
		fillUser(t, s, "alice")
		fillUser(t, s, "bob")
		if err := s.DeleteUser(ctx, "alice"); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteUser(ctx, "nobody"); err != nil {
			t.Fatalf("deleting an absent user: %v", err)
		}
		if _, ok, _ := s.User(ctx, "alice"); ok {
			t.Fatal("alice still exists")
		}
		assertOwned(t, s, "alice", 0)
		assertOwned(t, s, "bob", 1)
	})
}

func TestRecreatedUserNeverReusesRosterVersion(t *testing.T) {
	s := openT(t, MemoryPath)
	ctx := context.Background()
	mustPutUsers(t, s, "alice")
	fillUser(t, s, "alice")
	if err := s.DeleteUser(ctx, "alice"); err != nil {
		t.Fatal(err)
	}
	mustPutUsers(t, s, "alice")
	ver, err := s.PutRosterItem(ctx, RosterItem{Owner: "alice", Contact: "other@x"})
	if err != nil || ver != 2 {
		t.Fatalf("version after re-creation: %d, %v; want 2", ver, err)
	}
}

// fillUser gives name one item of every kind the user owns.
func fillUser(t *testing.T, s *Store, name string) {
	t.Helper()
	ctx := context.Background()
	k := SCRAMKeys{Salt: []byte{1}, Iters: 1, StoredKey: []byte{2}, ServerKey: []byte{3}}
	errs := []error{
		s.PutSCRAM(ctx, name, "SCRAM-SHA-1", k),
		s.PutSubRequest(ctx, name, SubRequest{Contact: "x@y", Stanza: "<presence/>"}),
		s.PushOffline(ctx, name, "<message/>", ts(1)),
	}
	_, err := s.PutRosterItem(ctx, RosterItem{Owner: name, Contact: "x@y"})
	errs = append(errs, err)
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

// assertOwned checks that name owns want items of every kind.
func assertOwned(t *testing.T, s *Store, name string, want int) {
	t.Helper()
	ctx := context.Background()
	_, keys, _ := s.SCRAM(ctx, name, "SCRAM-SHA-1")
	items, _, _ := s.Roster(ctx, name)
	reqs, _ := s.SubRequests(ctx, name)
	offline, _ := s.CountOffline(ctx, name)
	got := []int{boolInt(keys), len(items), len(reqs), offline}
	for _, n := range got {
		if n != want {
			t.Errorf("%s owns %v (keys, roster, requests, offline), want %d of each", name, got, want)
			return
		}
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// assertKeys checks the stored keys of alice for mech.
func assertKeys(t *testing.T, s *Store, mech string, want SCRAMKeys) {
	t.Helper()
	got, ok, err := s.SCRAM(context.Background(), "alice", mech)
	if !ok || err != nil {
		t.Fatalf("SCRAM(%s): ok %v err %v", mech, ok, err)
	}
	same := bytes.Equal(got.Salt, want.Salt) && got.Iters == want.Iters &&
		bytes.Equal(got.StoredKey, want.StoredKey) && bytes.Equal(got.ServerKey, want.ServerKey)
	if !same {
		t.Fatalf("SCRAM(%s) = %+v, want %+v", mech, got, want)
	}
}

func TestDeleteAllUsersKeepsRosterVersionsGoingUp(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		mustPutUsers(t, s, "alice", "bob")
		v1, err := s.PutRosterItem(ctx, RosterItem{Owner: "alice", Contact: "bob@localhost"})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.PushOffline(ctx, "bob", "<message/>", time.Now()); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteAllUsers(ctx); err != nil {
			t.Fatal(err)
		}
		if n, _ := s.CountUsers(ctx); n != 0 {
			t.Fatalf("%d users left", n)
		}
		mustPutUsers(t, s, "alice", "bob")
		items, _, _ := s.Roster(ctx, "alice")
		if n, _ := s.CountOffline(ctx, "bob"); len(items) != 0 || n != 0 {
			t.Fatalf("roster %v and %d offline messages survived", items, n)
		}
		v2, _ := s.PutRosterItem(ctx, RosterItem{Owner: "alice", Contact: "bob@localhost"})
		if v2 <= v1 {
			t.Fatalf("roster version went from %d back to %d", v1, v2)
		}
	})
}
