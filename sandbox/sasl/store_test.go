package sasl

import (
	"sync"
	"sync/atomic"
	"testing"
)

const testDomain = "example.com"

// memStore is a Credentials over a map that derives SCRAM keys on first use
// and keeps them, the way the server's store is meant to, and counts how
// often it ran PBKDF2.
type memStore struct {
	passwords   map[string]string
	mu          sync.Mutex
	keys        map[[2]string]Keys
	derivations atomic.Int64
}

func newMemStore(passwords map[string]string) *memStore {
	return &memStore{passwords: passwords, keys: map[[2]string]Keys{}}
}

func (s *memStore) Password(username string) (string, bool) {
	password, ok := s.passwords[username]
	return password, ok
}

func (s *memStore) SCRAMKeys(username, mech string) (Keys, bool) {
	password, ok := s.passwords[username]
	if !ok {
		return Keys{}, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id := [2]string{username, mech}
	if keys, ok := s.keys[id]; ok {
		return keys, true
	}
	keys, err := DeriveKeys(mech, password)
	if err != nil {
		return Keys{}, false
	}
	s.derivations.Add(1)
	s.keys[id] = keys
	return keys, true
}

// fixtureStore holds the users every test logs in as.
func fixtureStore() *memStore {
	return newMemStore(map[string]string{
		"alice":  "secret",
		"a,b=c":  "commas",
		"hyphen": "I\u00adX", // SASLprep maps the soft hyphen to nothing.
		"emoji":  "p\U0001F600w",
	})
}

// start begins an exchange or fails the test.
func start(tb testing.TB, mech string, creds Credentials) *Exchange {
	tb.Helper()
	ex, err := Start(mech, testDomain, creds)
	if err != nil {
		tb.Fatalf("Start(%q): %v", mech, err)
	}
	return ex
}
