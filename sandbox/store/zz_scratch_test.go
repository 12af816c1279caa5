package store

import (
	"context"
	"strconv"
	"testing"
)

func BenchmarkScratchRaw(b *testing.B) {
	s, _ := Open(MemoryPath)
	defer s.Close()
	ctx := context.Background()
	mustPutUsers(b, s, "u")
	contacts := make([]string, b.N)
	for i := range contacts {
		contacts[i] = "contact" + strconv.Itoa(i) + "@localhost"
	}
	b.ResetTimer()
	s.Update(ctx, func(tx *Tx) error {
		st, _ := tx.stmt(ctx, stmtPutRosterItem)
		for i := range b.N {
			if _, err := st.ExecContext(ctx, "u", contacts[i], "", "\x1fFriends", int64(3), false, false, false); err != nil {
				b.Fatal(err)
			}
		}
		return nil
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

func BenchmarkScratchSeq(b *testing.B) {
	s, _ := Open(MemoryPath)
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
	per := b.N/owners + 1
	b.ResetTimer()
	s.Update(ctx, func(tx *Tx) error {
		for i := range b.N {
			if _, err := tx.PutRosterItem(ctx, RosterItem{Owner: names[i/per], Contact: contacts[i], Groups: []string{"Friends"}, Sub: 3}); err != nil {
				b.Fatal(err)
			}
		}
		return nil
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
