package store

import (
	"context"
	"path/filepath"
	"strconv"
	"testing"
)

// BenchmarkPutRosterItemTx measures the bulk path a seed command takes:
// many roster items written in one transaction, into memory and into a
// file.
func BenchmarkPutRosterItemTx(b *testing.B) {
	b.Run("memory", func(b *testing.B) { benchPutRosterItemTx(b, MemoryPath) })
	b.Run("file", func(b *testing.B) { benchPutRosterItemTx(b, filepath.Join(b.TempDir(), "bench.db")) })
}

// benchPutRosterItemTx writes b.N items spread over 100 owners.
func benchPutRosterItemTx(b *testing.B, path string) {
	s, err := Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	const owners = 100
	names := make([]string, owners)
	for i := range names {
		names[i] = "user" + strconv.Itoa(i)
	}
	mustPutUsers(b, s, names...)
	contacts := make([]string, b.N)
	for i := range contacts {
		contacts[i] = "contact" + strconv.Itoa(i) + "@localhost"
	}
	groups := []string{"Friends"}
	b.ResetTimer()
	err = s.Update(ctx, func(tx *Tx) error {
		for i := range b.N {
			it := RosterItem{Owner: names[i%owners], Contact: contacts[i], Groups: groups, Sub: SubBoth}
			if _, err := tx.PutRosterItem(ctx, it); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkPutUserTx measures creating users in one transaction.
func BenchmarkPutUserTx(b *testing.B) {
	s, err := Open(MemoryPath)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	names := make([]string, b.N)
	for i := range names {
		names[i] = "user" + strconv.Itoa(i)
	}
	b.ResetTimer()
	err = s.Update(ctx, func(tx *Tx) error {
		for _, n := range names {
			if err := tx.PutUser(ctx, User{Name: n, Password: n, Fixture: true}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkRoster measures the login read of a 50-item roster.
func BenchmarkRoster(b *testing.B) {
	s, err := Open(MemoryPath)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	mustPutUsers(b, s, "mine")
	for i := range 50 {
		it := RosterItem{Owner: "mine", Contact: "c" + strconv.Itoa(i) + "@x", Groups: []string{"G"}}
		if _, err := s.PutRosterItem(ctx, it); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := s.Roster(ctx, "mine"); err != nil {
			b.Fatal(err)
		}
	}
}
