package store

import (
	"context"
	"path/filepath"
	"testing"
)

// eachBackend runs fn against a fresh in-memory store and a fresh file
// store.
func eachBackend(t *testing.T, fn func(t *testing.T, s *Store)) {
	t.Helper()
	paths := map[string]func(t *testing.T) string{
		"memory": func(*testing.T) string { return MemoryPath },
		"file":   func(t *testing.T) string { return filepath.Join(t.TempDir(), "x?#%.db") },
	}
	for name, path := range paths {
		t.Run(name, func(t *testing.T) {
			fn(t, openT(t, path(t)))
		})
	}
}

// openT opens path and closes it when the test ends.
func openT(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(path)
	if err != nil {
		t.Fatalf("Open(%q): %v", path, err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

// mustPutUsers creates users with the given names.
func mustPutUsers(t testing.TB, s *Store, names ...string) {
	t.Helper()
	for _, n := range names {
		if err := s.PutUser(context.Background(), User{Name: n, Password: n}); err != nil {
			t.Fatalf("PutUser(%s): %v", n, err)
		}
	}
}
