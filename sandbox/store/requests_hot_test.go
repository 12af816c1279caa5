package store

import (
	"context"
	"path/filepath"
	"testing"
)

// TestRequestOwnersNeverMiss walks requestOwners through the orders of
// events that could make it answer "no request" for an owner who has one.
func TestRequestOwnersNeverMiss(t *testing.T) {
	tests := []struct {
		name  string
		steps func(r *requestOwners) bool // returns check's answer at the end
		want  bool
	}{
		{"unloaded: everyone may", func(r *requestOwners) bool {
			may, _ := r.check("a")
			return may
		}, true},
		{"loaded, never written: no", func(r *requestOwners) bool {
			r.loaded = true
			may, _ := r.check("a")
			return may
		}, false},
		{"written: yes", func(r *requestOwners) bool {
			r.loaded = true
			r.wrote("a")
			may, _ := r.check("a")
			return may
		}, true},
		{"empty read forgets", func(r *requestOwners) bool {
			r.loaded = true
			r.wrote("a")
			_, n := r.check("a")
			r.forget("a", n)
			may, _ := r.check("a")
			return may
		}, false},
		{"a write between check and forget is kept", func(r *requestOwners) bool {
			r.loaded = true
			r.wrote("a")
			_, n := r.check("a")
			r.wrote("a")
			r.forget("a", n)
			may, _ := r.check("a")
			return may
		}, true},
		{"a first write between check and forget is kept", func(r *requestOwners) bool {
			r.loaded = true
			_, n := r.check("a")
			r.wrote("a")
			r.forget("a", n)
			may, _ := r.check("a")
			return may
		}, true},
		{"forget before loading changes nothing", func(r *requestOwners) bool {
			_, n := r.check("a")
			r.forget("a", n)
			may, _ := r.check("a")
			return may
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.steps(&requestOwners{}); got != tt.want {
				t.Fatalf("may have requests = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestSubRequestsSurviveReopen checks that requests stored by an earlier
// process are found: the new store learns their owners from the file.
func TestSubRequestsSurviveReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "r.db")
	s := openT(t, path)
	mustPutUsers(t, s, "admin", "mine")
	req := SubRequest{"lihengz@localhost", "<presence type='subscribe'/>"}
	if err := s.PutSubRequest(ctx, "admin", req); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openT(t, path)
	if got, err := s.SubRequests(ctx, "mine"); err != nil || len(got) != 0 {
		t.Fatalf("mine's requests = %v, %v; want none", got, err)
	}
	if got, err := s.SubRequests(ctx, "admin"); err != nil || len(got) != 1 || got[0] != req {
		t.Fatalf("admin's requests = %v, %v; want %v", got, err, req)
	}
}

// TestSubRequestsAfterAnswerAndNewRequest checks that an owner forgotten
// after an empty read is found again at its next request, whether stored
// directly or in a transaction.
func TestSubRequestsAfterAnswerAndNewRequest(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		mustPutUsers(t, s, "admin")
		first := SubRequest{"mine@localhost", "<presence type='subscribe' id='1'/>"}
		if err := s.PutSubRequest(ctx, "admin", first); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteSubRequest(ctx, "admin", first.Contact); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.SubRequests(ctx, "admin"); len(got) != 0 {
			t.Fatalf("after the answer: %v, want none", got)
		}
		second := SubRequest{"lihengz@localhost", "<presence type='subscribe' id='2'/>"}
		err := s.Update(ctx, func(tx *Tx) error { return tx.PutSubRequest(ctx, "admin", second) })
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := s.SubRequests(ctx, "admin"); len(got) != 1 || got[0] != second {
			t.Fatalf("after a new request: %v, want %v", got, second)
		}
	})
}
