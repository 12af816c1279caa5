package store

import (
	"context"
	"testing"
	"time"
)

// ts returns a fixed instant n seconds after a base time.
func ts(n int) time.Time {
	return time.Date(2024, 5, 1, 12, 0, n, 123456000, time.UTC)
}

func TestSubRequests(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		mustPutUsers(t, s, "admin")
		puts := []SubRequest{
			{"lihengz@localhost", "<presence type='subscribe' id='1'/>"},
			{"mine@localhost", "<presence type='subscribe' id='2'/>"},
			{"zed@remote", "<presence type='subscribe' id='3'/>"},
			{"lihengz@localhost", "<presence type='subscribe' id='4'/>"},
		}
		for _, r := range puts {
			if err := s.PutSubRequest(ctx, "admin", r); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.DeleteSubRequest(ctx, "admin", "zed@remote"); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteSubRequest(ctx, "admin", "absent@x"); err != nil {
			t.Fatalf("deleting an absent request: %v", err)
		}
		got, err := s.SubRequests(ctx, "admin")
		if err != nil {
			t.Fatal(err)
		}
		want := []SubRequest{puts[1], puts[3]}
		if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
			t.Fatalf("SubRequests = %v, want %v", got, want)
		}
	})
}

func TestSubRequestForUnknownUserFails(t *testing.T) {
	s := openT(t, MemoryPath)
	if err := s.PutSubRequest(context.Background(), "nobody", SubRequest{"a@b", "<presence/>"}); err == nil {
		t.Fatal("PutSubRequest for an unknown user succeeded")
	}
}

func TestOfflineQueue(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		mustPutUsers(t, s, "mine", "other")
		stanzas := []string{"<message id='a'/>", "<message id='b'/>", "<message id='c'/>"}
		for i, st := range stanzas {
			if err := s.PushOffline(ctx, "mine", st, ts(i)); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.PushOffline(ctx, "other", "<message id='o'/>", ts(9)); err != nil {
			t.Fatal(err)
		}
		if n, err := s.CountOffline(ctx, "mine"); n != 3 || err != nil {
			t.Fatalf("CountOffline = %d, %v; want 3", n, err)
		}
		got, err := s.PopOffline(ctx, "mine")
		if err != nil || len(got) != len(stanzas) {
			t.Fatalf("PopOffline: %v, %v", got, err)
		}
		for i, m := range got {
			if m.Stanza != stanzas[i] || !m.Stamp.Equal(ts(i)) || (i > 0 && m.ID <= got[i-1].ID) {
				t.Errorf("message %d = %+v, want %q at %v with a rising id", i, m, stanzas[i], ts(i))
			}
		}
		if again, err := s.PopOffline(ctx, "mine"); len(again) != 0 || err != nil {
			t.Fatalf("second PopOffline: %v, %v; want nothing", again, err)
		}
		if n, _ := s.CountOffline(ctx, "other"); n != 1 {
			t.Fatalf("other's queue has %d messages, want 1", n)
		}
	})
}

func TestOfflineIDsNeverReused(t *testing.T) {
	s := openT(t, MemoryPath)
	ctx := context.Background()
	mustPutUsers(t, s, "mine")
	var last int64
	for i := range 3 {
		if err := s.PushOffline(ctx, "mine", "<message/>", ts(i)); err != nil {
			t.Fatal(err)
		}
		got, err := s.PopOffline(ctx, "mine")
		if err != nil || len(got) != 1 || got[0].ID <= last {
			t.Fatalf("round %d: %v, %v; want one message with id above %d", i, got, err, last)
		}
		last = got[0].ID
	}
}

func TestPopOfflineInsideFailedUpdateKeepsMessages(t *testing.T) {
	s := openT(t, MemoryPath)
	ctx := context.Background()
	mustPutUsers(t, s, "mine")
	if err := s.PushOffline(ctx, "mine", "<message/>", ts(0)); err != nil {
		t.Fatal(err)
	}
	err := s.Update(ctx, func(tx *Tx) error {
		msgs, err := tx.PopOffline(ctx, "mine")
		if err != nil || len(msgs) != 1 {
			t.Errorf("PopOffline in tx: %v, %v", msgs, err)
		}
		return context.Canceled
	})
	if err == nil {
		t.Fatal("Update did not report the failure")
	}
	if n, _ := s.CountOffline(ctx, "mine"); n != 1 {
		t.Fatalf("%d messages after rollback, want 1", n)
	}
}
