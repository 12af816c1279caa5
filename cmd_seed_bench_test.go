package main

import (
	"context"
	"io"
	"path/filepath"
	"testing"
	"time"

	"github.com/xmppsandbox/xmppsandbox/sandbox/store"
)

// BenchmarkSeed writes 10,000 users with 20 contacts each into a file
// database per op, as seed --users --contacts does, and reports users/s.
func BenchmarkSeed(b *testing.B) {
	const users, contacts = 10000, 20
	var total time.Duration
	for i := 0; i < b.N; i++ {
		st, err := store.Open(filepath.Join(b.TempDir(), "seed.db"))
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if err := writeRing(context.Background(), st, "localhost", users, contacts, newProgress(io.Discard, "seed", users*(contacts+1))); err != nil {
			b.Fatal(err)
		}
		total += time.Since(start)
		st.Close()
	}
	b.ReportMetric(float64(users*b.N)/total.Seconds(), "users/s")
}
