package trace

import (
	"fmt"
	"strings"
	"testing"
)

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

// TestRingKeepsEveryStanzaWhole fills the ring well past its size with
// stanzas of many lengths, some larger than a block, and checks that
// each kept event still has its own XML.
func TestRingKeepsEveryStanzaWhole(t *testing.T) {
	b := New(500)
	xmlOf := func(seq int) string {
		n := (seq * 7919) % 3000
		if seq%97 == 0 {
			n = chunkSize + seq // a stanza larger than a block
		}
		return fmt.Sprintf("<m id='%d'>%s</m>", seq, strings.Repeat("x", n))
	}
	for seq := 1; seq <= 5000; seq++ {
		if seq%2 == 0 {
			b.AddWire(Event{Kind: "message"}, []byte(xmlOf(seq)))
		} else {
			b.Add(Event{Kind: "message", XML: xmlOf(seq)})
		}
	}
	got := b.Since(0)
	if len(got) != 500 {
		t.Fatalf("kept %d events, want 500", len(got))
	}
	for _, e := range got {
		if want := xmlOf(int(e.Seq)); e.XML != want {
			t.Fatalf("event %d has %.40q…, want %.40q…", e.Seq, e.XML, want)
		}
	}
	if n := len(b.xml.used); n > 500*3000/chunkSize+500/97+3 {
		t.Fatalf("%d blocks in use for 500 events", n)
	}
}

// TestRecordingAllocatesNothing checks what the byte store is for: once
// the ring is full, keeping another stanza reuses a released block.
func TestRecordingAllocatesNothing(t *testing.T) {
	b := New(1000)
	wire := []byte(`<presence from='hub@localhost/desk' to='fan@localhost'><show>away</show></presence>`)
	e := Event{Dir: "out", Kind: "presence", Session: "fan@localhost/r"}
	for range 5000 {
		b.AddWire(e, wire)
	}
	if n := testing.AllocsPerRun(1000, func() { b.AddWire(e, wire) }); n != 0 {
		t.Fatalf("AddWire allocates %v times per stanza, want 0", n)
	}
}

// TestSubscriberGetsTheXML checks that an event handed to a subscriber
// carries its XML, though the ring keeps it elsewhere.
func TestSubscriberGetsTheXML(t *testing.T) {
	b := New(10)
	ch, _, cancel := b.Subscribe(1)
	defer cancel()
	b.AddWire(Event{Kind: "iq"}, []byte("<iq id='1'/>"))
	if e := <-ch; e.XML != "<iq id='1'/>" {
		t.Fatalf("subscriber got XML %q", e.XML)
	}
}
