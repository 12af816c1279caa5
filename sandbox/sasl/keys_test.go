package sasl

import (
	"bytes"
	"errors"
	"testing"

	"github.com/xdg-go/scram"
)

func TestDeriveKeysMatchesIndependentClient(t *testing.T) {
	for _, mech := range scramMechs() {
		t.Run(mech, func(t *testing.T) {
			keys, err := DeriveKeys(mech, "pencil")
			if err != nil {
				t.Fatal(err)
			}
			if len(keys.Salt) != saltLen || keys.Iters != 4096 {
				t.Errorf("salt %d bytes, %d iterations", len(keys.Salt), keys.Iters)
			}
			c, err := xdgHash(mech).NewClient("user", "pencil", "")
			if err != nil {
				t.Fatal(err)
			}
			want := c.GetStoredCredentials(scram.KeyFactors{Salt: string(keys.Salt), Iters: keys.Iters})
			if !bytes.Equal(keys.StoredKey, want.StoredKey) || !bytes.Equal(keys.ServerKey, want.ServerKey) {
				t.Error("keys differ from the xdg-go/scram client's")
			}
		})
	}
}

func TestDeriveKeysFreshSalt(t *testing.T) {
	a, errA := DeriveKeys("SCRAM-SHA-1", "pencil")
	b, errB := DeriveKeys("SCRAM-SHA-1", "pencil")
	if errA != nil || errB != nil {
		t.Fatal(errA, errB)
	}
	if bytes.Equal(a.Salt, b.Salt) || bytes.Equal(a.StoredKey, b.StoredKey) {
		t.Error("two derivations share a salt")
	}
}

func TestDeriveKeysRejectsOtherMechanisms(t *testing.T) {
	for _, mech := range []string{"PLAIN", "SCRAM-SHA-1-PLUS", "SCRAM-SHA-512", ""} {
		t.Run(mech, func(t *testing.T) {
			if _, err := DeriveKeys(mech, "pencil"); !errors.Is(err, ErrInvalidMechanism) {
				t.Errorf("DeriveKeys(%q) error = %v", mech, err)
			}
		})
	}
}

func TestLoginsCostNoPBKDF2(t *testing.T) {
	// The store derives once per user and mechanism; the server itself
	// never derives, so repeated logins leave the count unchanged.
	for _, mech := range scramMechs() {
		t.Run(mech, func(t *testing.T) {
			store := fixtureStore()
			c, err := xdgHash(mech).NewClient("alice", "secret", "")
			if err != nil {
				t.Fatal(err)
			}
			for range 20 {
				if err := login(start(t, mech, store), &xdgClient{conv: c.NewConversation()}, nil); err != nil {
					t.Fatal(err)
				}
			}
			if n := store.derivations.Load(); n != 1 {
				t.Errorf("%d key derivations for 20 logins, want 1", n)
			}
		})
	}
}
