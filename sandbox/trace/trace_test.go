package trace

import "testing"

func TestRingKeepsTheLastEvents(t *testing.T) {
	b := New(3)
	for i := 0; i < 5; i++ {
		b.Add(Event{Kind: "message"})
	}
	got := b.Since(0)
	if len(got) != 3 || got[0].Seq != 3 || got[2].Seq != 5 {
		t.Fatalf("Since(0) = %+v, want seqs 3..5", got)
	}
	if got := b.Since(4); len(got) != 1 || got[0].Seq != 5 {
		t.Fatalf("Since(4) = %+v, want seq 5", got)
	}
}

func TestSubscribeSeesNewEventsOnly(t *testing.T) {
	b := New(10)
	b.Add(Event{Kind: "old"})
	ch, last, cancel := b.Subscribe(4)
	defer cancel()
	if last != 1 {
		t.Fatalf("last = %d, want 1", last)
	}
	b.Add(Event{Kind: "new"})
	if e := <-ch; e.Kind != "new" || e.Seq != 2 {
		t.Fatalf("got %+v, want the new event with seq 2", e)
	}
}

func TestSlowSubscriberDoesNotBlock(t *testing.T) {
	b := New(10)
	_, _, cancel := b.Subscribe(1)
	defer cancel()
	for i := 0; i < 100; i++ {
		b.Add(Event{}) // would block forever if Add waited for the reader
	}
	if b.Last() != 100 {
		t.Fatalf("Last = %d, want 100", b.Last())
	}
}

func TestRingKeepsWithinItsBytes(t *testing.T) {
	b := New(100)
	b.maxBytes = 10
	for i := 0; i < 5; i++ {
		b.Add(Event{XML: "1234"})
	}
	got := b.Since(0)
	if len(got) != 2 || got[0].Seq != 4 || got[1].Seq != 5 {
		t.Fatalf("Since(0) = %+v, want seqs 4..5", got)
	}
	b.Add(Event{XML: "a stanza longer than the whole bound"})
	if got := b.Since(0); len(got) != 1 || got[0].Seq != 6 {
		t.Fatalf("Since(0) = %+v, want only the newest", got)
	}
	if got := b.Since(6); len(got) != 0 {
		t.Fatalf("Since(6) = %+v, want none", got)
	}
}
