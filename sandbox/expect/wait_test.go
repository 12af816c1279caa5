package expect

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/xmppsandbox/xmppsandbox/sandbox/trace"
)

// presenceEvent is an event for a wait to find or pass over.
func presenceEvent(dir, typ string) trace.Event {
	return trace.Event{Dir: dir, Kind: "presence", Type: typ, From: "mine@localhost/r", To: "mine1@localhost",
		XML: `<presence type='` + typ + `' to='mine1@localhost'/>`}
}

func mustCompile(t *testing.T, f Filter) *Matcher {
	t.Helper()
	m, err := Compile(f, "localhost")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestWaitFindsKeptEvents(t *testing.T) {
	tests := []struct {
		name    string
		since   func(last uint64) uint64
		wantSeq uint64 // 0: no match expected
	}{
		{"since 0 takes everything kept", func(uint64) uint64 { return 0 }, 2},
		{"since a number takes what follows it", func(uint64) uint64 { return 2 }, 4},
		{"since the last takes nothing kept", func(last uint64) uint64 { return last }, 0},
		{"Now takes nothing kept", func(uint64) uint64 { return Now }, 0},
		{"since a number yet to come", func(last uint64) uint64 { return last + 10 }, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			buf := trace.New(10)
			for _, typ := range []string{"subscribe", "subscribed", "unsubscribe", "subscribed"} {
				buf.Add(presenceEvent("in", typ))
			}
			m := mustCompile(t, Filter{Kind: "presence", Type: "subscribed"})
			// A short deadline decides the cases that must not match:
			// nothing is added while they wait.
			ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
			defer cancel()
			got, err := Wait(ctx, buf, m, tt.since(buf.Last()))
			if tt.wantSeq == 0 {
				if err == nil {
					t.Fatalf("Wait found %+v, want nothing", got)
				}
				return
			}
			if err != nil || got.Seq != tt.wantSeq {
				t.Fatalf("Wait = %d, %v; want event %d", got.Seq, err, tt.wantSeq)
			}
		})
	}
}

// TestWaitAfterActing acts first and waits second, as a test does: the
// event is already kept when the wait starts, so since must find it.
func TestWaitAfterActing(t *testing.T) {
	buf := trace.New(100)
	buf.Add(presenceEvent("in", "subscribed"))
	seq := buf.Last()
	buf.Add(presenceEvent("out", "subscribe"))
	buf.Add(presenceEvent("in", "subscribed"))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	got, err := Wait(ctx, buf, mustCompile(t, Filter{Dir: "in", Type: "subscribed"}), seq)
	if err != nil || got.Seq != 3 {
		t.Fatalf("Wait = %+v, %v; want event 3", got, err)
	}
}

// TestWaitForNewEvents adds events from another goroutine until the wait,
// which looks only at what comes next, returns one.
func TestWaitForNewEvents(t *testing.T) {
	buf := trace.New(100)
	buf.Add(presenceEvent("in", "subscribed"))
	done := make(chan struct{})
	go func() {
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				buf.Add(presenceEvent("out", "subscribe"))
				buf.Add(presenceEvent("in", "subscribed"))
			}
		}
	}()
	defer close(done)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	got, err := Wait(ctx, buf, mustCompile(t, Filter{Dir: "in"}), Now)
	if err != nil || got.Seq < 2 || got.Dir != "in" {
		t.Fatalf("Wait = %+v, %v; want a new event from a client", got, err)
	}
}

// TestWaitFillsGaps hands the waiter an event beyond the next one, as
// when the trace skipped a subscriber that fell behind: the events in
// between are read back from the ring.
func TestWaitFillsGaps(t *testing.T) {
	buf := trace.New(100)
	buf.Add(presenceEvent("out", "subscribe"))
	buf.Add(presenceEvent("in", "subscribed"))
	buf.Add(presenceEvent("out", "unsubscribe"))
	w := &waiter{m: mustCompile(t, Filter{Dir: "in"}), buf: buf}
	all := buf.Since(0)
	if _, ok := w.next(all[0]); ok {
		t.Fatal("event 1 matched")
	}
	got, ok := w.next(all[2])
	if !ok || got.Seq != 2 {
		t.Fatalf("next(3) = %+v, %v; want event 2 from the gap", got, ok)
	}
}

func TestWaitReportsClosest(t *testing.T) {
	buf := trace.New(100)
	buf.Add(trace.Event{Dir: "out", Kind: "message", XML: "<message/>"})              // meets nothing
	buf.Add(presenceEvent("out", "subscribe"))                                        // kind
	buf.Add(presenceEvent("in", "unsubscribed"))                                      // kind and dir
	buf.Add(presenceEvent("in", "subscribe"))                                         // kind and dir, newer
	buf.Add(trace.Event{Dir: "in", Kind: "iq", Type: "get", XML: "<iq type='get'/>"}) // dir, as many as 2 but newer
	m := mustCompile(t, Filter{Dir: "in", Kind: "presence", Type: "subscribed"})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := Wait(ctx, buf, m, 0)
	var nm *NoMatchError
	if !errors.As(err, &nm) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Wait error = %v, want a *NoMatchError after the deadline", err)
	}
	if nm.Error() != "no matching stanza within 100ms" {
		t.Errorf("Error() = %q", nm.Error())
	}
	var seqs []uint64
	for _, c := range nm.Closest {
		seqs = append(seqs, c.Seq)
	}
	if !reflect.DeepEqual(seqs, []uint64{4, 3, 5}) {
		t.Fatalf("closest = %v, want events 4, 3, 5", seqs)
	}
	if want := []string{`type: got "subscribe", want "subscribed"`}; !reflect.DeepEqual(nm.Closest[0].Missed, want) {
		t.Errorf("missed = %q, want %q", nm.Closest[0].Missed, want)
	}
}

func TestRanking(t *testing.T) {
	tests := []struct {
		name   string
		scores []int // offered in order, as events 1, 2, …
		want   []uint64
	}{
		{"none", nil, nil},
		{"zero scores are dropped", []int{0, 0}, nil},
		{"best first, newest among equals", []int{1, 2, 1, 2}, []uint64{4, 2, 3}},
		{"only three", []int{3, 3, 3, 3, 3}, []uint64{5, 4, 3}},
		{"a worse one does not push out", []int{2, 2, 2, 1}, []uint64{3, 2, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r ranking
			for i, s := range tt.scores {
				r.offer(Candidate{Event: trace.Event{Seq: uint64(i + 1)}}, s)
			}
			var got []uint64
			for _, c := range r.list {
				got = append(got, c.Seq)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("ranking = %v, want %v", got, tt.want)
			}
		})
	}
}
