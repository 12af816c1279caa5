package store

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
)

// TestRequestOwnersNeverMiss walks requestOwners through the orders of
// events that could make it answer "no request" for an owner who has one:
// "load" (the owners in the database are known), "write" (a request
// stored), "check" (a lookup starts) and "forget" (its read found none).
func TestRequestOwnersNeverMiss(t *testing.T) {
	tests := []struct {
		name string
		ops  []string
		want bool // whether the owner may have requests at the end
	}{
		{"unloaded: everyone may", nil, true},
		{"loaded, never written: no", []string{"load"}, false},
		{"written: yes", []string{"load", "write"}, true},
		{"an empty read forgets", []string{"load", "write", "check", "forget"}, false},
		{"a write between check and forget is kept", []string{"load", "write", "check", "write", "forget"}, true},
		{"a first write between check and forget is kept", []string{"load", "check", "write", "forget"}, true},
		{"forget before loading changes nothing", []string{"check", "forget"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &requestOwners{}
			var writes uint64
			for _, op := range tt.ops {
				switch op {
				case "load":
					r.loaded = true
				case "write":
					r.wrote("a")
				case "check":
					_, writes = r.check("a")
				case "forget":
					r.forget("a", writes)
				}
			}
			if may, _ := r.check("a"); may != tt.want {
				t.Fatalf("may have requests = %v, want %v", may, tt.want)
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

// TestSubRequestsNeverMissedUnderConcurrency has writers storing and
// answering requests while readers look them up, then checks that every
// owner the database holds requests for is still found.
func TestSubRequestsNeverMissedUnderConcurrency(t *testing.T) {
	ctx := context.Background()
	s := openT(t, MemoryPath)
	owners := []string{"a", "b", "c", "d"}
	mustPutUsers(t, s, owners...)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 200 {
				owner := owners[(w+i)%len(owners)]
				contact := fmt.Sprintf("c%d@localhost", i%5)
				if i%3 == 2 {
					s.DeleteSubRequest(ctx, owner, contact)
					continue
				}
				req := SubRequest{contact, "<presence type='subscribe'/>"}
				if i%2 == 0 {
					s.PutSubRequest(ctx, owner, req)
				} else {
					s.Update(ctx, func(tx *Tx) error { return tx.PutSubRequest(ctx, owner, req) })
				}
			}
		})
		wg.Go(func() {
			for i := range 200 {
				s.SubRequests(ctx, owners[(w+i)%len(owners)])
			}
		})
	}
	wg.Wait()
	for _, owner := range owners {
		var stored int
		err := s.Update(ctx, func(tx *Tx) error {
			reqs, err := tx.SubRequests(ctx, owner) // a transaction always reads
			stored = len(reqs)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.SubRequests(ctx, owner)
		if err != nil || len(got) != stored {
			t.Errorf("%s: SubRequests found %d (%v), the database holds %d", owner, len(got), err, stored)
		}
	}
}
