package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func TestOpenRejectsEmptyPath(t *testing.T) {
	if _, err := Open(""); err == nil {
		t.Fatal("Open(\"\") succeeded")
	}
}

func TestMemoryStoresAreSeparate(t *testing.T) {
	a, b := openT(t, MemoryPath), openT(t, MemoryPath)
	mustPutUsers(t, a, "alice")
	n, err := b.CountUsers(context.Background())
	if err != nil || n != 0 {
		t.Fatalf("second memory store has %d users (err %v), want 0", n, err)
	}
}

func TestMemoryWritesNothingToDisk(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	s := openT(t, MemoryPath)
	mustPutUsers(t, s, "alice")
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) != 0 {
		t.Fatalf("working directory holds %v (err %v), want nothing", entries, err)
	}
}

func TestReopenKeepsData(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "keep.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	mustPutUsers(t, s, "alice")
	if _, err := s.PutRosterItem(ctx, RosterItem{Owner: "alice", Contact: "bob@x", Sub: SubBoth}); err != nil {
		t.Fatal(err)
	}
	if err := s.PushOffline(ctx, "alice", "<message/>", time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openT(t, path)
	if _, ok, err := s.User(ctx, "alice"); !ok || err != nil {
		t.Fatalf("user alice after reopen: ok %v, err %v", ok, err)
	}
	items, ver, err := s.Roster(ctx, "alice")
	if err != nil || len(items) != 1 || ver != 1 {
		t.Fatalf("roster after reopen: %v ver %d err %v", items, ver, err)
	}
	if n, err := s.CountOffline(ctx, "alice"); n != 1 || err != nil {
		t.Fatalf("offline after reopen: %d, %v", n, err)
	}
}

func TestOpenMigratesEmptyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "empty.db")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	s := openT(t, path)
	mustPutUsers(t, s, "alice")
	if v := fileUserVersion(t, path); v != len(migrations()) {
		t.Fatalf("user_version %d, want %d", v, len(migrations()))
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "future.db")
	setUserVersion(t, path, len(migrations())+1)
	_, err := Open(path)
	if !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("Open of a newer schema: %v, want ErrNewerSchema", err)
	}
}

func TestOpenRefusesNonDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "text.db")
	if err := os.WriteFile(path, []byte("this is not a database, just some text that is long enough"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(path); err == nil {
		t.Fatal("Open of a text file succeeded")
	}
}

// fileUserVersion reads PRAGMA user_version of the file at path.
func fileUserVersion(t *testing.T, path string) int {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v int
	if err := db.QueryRow("PRAGMA user_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// setUserVersion writes PRAGMA user_version into the file at path.
func setUserVersion(t *testing.T, path string, v int) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(fmt.Sprintf("PRAGMA user_version = %d", v)); err != nil {
		t.Fatal(err)
	}
}

func TestUpdateCommitsOrRollsBack(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		boom := errors.New("boom")
		err := s.Update(ctx, func(tx *Tx) error {
			mustPutUsersTx(t, tx, "rolled")
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("Update returned %v, want boom", err)
		}
		if err := s.Update(ctx, func(tx *Tx) error { mustPutUsersTx(t, tx, "kept"); return nil }); err != nil {
			t.Fatal(err)
		}
		users, err := s.Users(ctx)
		if err != nil || len(users) != 1 || users[0].Name != "kept" {
			t.Fatalf("users %v err %v, want only kept", users, err)
		}
	})
}

func TestUpdateRollsBackOnPanic(t *testing.T) {
	s := openT(t, MemoryPath)
	func() {
		defer func() { recover() }()
		s.Update(context.Background(), func(tx *Tx) error {
			mustPutUsersTx(t, tx, "ghost")
			panic("boom")
		})
	}()
	if n, err := s.CountUsers(context.Background()); n != 0 || err != nil {
		t.Fatalf("after a panic: %d users, err %v", n, err)
	}
}

// mustPutUsersTx creates users inside tx.
func mustPutUsersTx(t *testing.T, tx *Tx, names ...string) {
	t.Helper()
	for _, n := range names {
		if err := tx.PutUser(context.Background(), User{Name: n, Password: n}); err != nil {
			t.Fatalf("PutUser(%s): %v", n, err)
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		mustPutUsers(t, s, "owner")
		const workers, each = 8, 25
		var wg sync.WaitGroup
		errs := make(chan error, workers)
		for w := range workers {
			wg.Go(func() { errs <- hammer(ctx, s, w, each) })
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		items, ver, err := s.Roster(ctx, "owner")
		if err != nil || len(items) != workers*each || ver != workers*each {
			t.Fatalf("roster has %d items, ver %d, err %v; want %d", len(items), ver, err, workers*each)
		}
		if n, _ := s.CountOffline(ctx, "owner"); n != 0 {
			t.Fatalf("%d offline messages left, want 0", n)
		}
	})
}

// hammer mixes writes and reads from one goroutine.
func hammer(ctx context.Context, s *Store, worker, n int) error {
	for i := range n {
		contact := fmt.Sprintf("c%d-%d@x", worker, i)
		if _, err := s.PutRosterItem(ctx, RosterItem{Owner: "owner", Contact: contact}); err != nil {
			return err
		}
		if err := s.PushOffline(ctx, "owner", contact, time.Now()); err != nil {
			return err
		}
		if _, _, err := s.Roster(ctx, "owner"); err != nil {
			return err
		}
		if _, err := s.PopOffline(ctx, "owner"); err != nil {
			return err
		}
	}
	return nil
}
