package sasl

import "testing"

// BenchmarkSCRAMSHA1Login measures a whole SCRAM-SHA-1 exchange with keys
// already cached on both sides. Its pbkdf2/op metric counts server-side key
// derivations per login and must read 0; compare ns/op with
// BenchmarkDeriveKeysSHA1 to see what a derivation would have cost.
func BenchmarkSCRAMSHA1Login(b *testing.B) {
	store := fixtureStore()
	c, err := xdgHash("SCRAM-SHA-1").NewClient("alice", "secret", "")
	if err != nil {
		b.Fatal(err)
	}
	// Warm both caches: the store's keys and the client's salted password.
	if err := login(start(b, "SCRAM-SHA-1", store), &xdgClient{conv: c.NewConversation()}, nil); err != nil {
		b.Fatal(err)
	}
	before := store.derivations.Load()
	b.ReportAllocs()
	for b.Loop() {
		if err := login(start(b, "SCRAM-SHA-1", store), &xdgClient{conv: c.NewConversation()}, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(store.derivations.Load()-before)/float64(b.N), "pbkdf2/op")
}

// BenchmarkDeriveKeysSHA1 is the PBKDF2 cost a login does not pay.
func BenchmarkDeriveKeysSHA1(b *testing.B) {
	for b.Loop() {
		if _, err := DeriveKeys("SCRAM-SHA-1", "secret"); err != nil {
			b.Fatal(err)
		}
	}
}
