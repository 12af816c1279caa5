// Package trace records every stanza that crosses a client connection in
// a bounded ring, numbered, so the admin API can stream them live and a
// test can look back at what already passed.
package trace

import (
	"sync"
	"time"
)

// Event is one element read from or written to a client.
type Event struct {
	Seq     uint64    `json:"seq"`
	Time    time.Time `json:"time"`
	Dir     string    `json:"dir"` // "in" (from the client) or "out" (to it)
	Session string    `json:"session"`
	Kind    string    `json:"kind"` // element name: message, presence, iq, auth, …
	Type    string    `json:"type,omitempty"`
	From    string    `json:"from,omitempty"`
	To      string    `json:"to,omitempty"`
	XML     string    `json:"xml"`
}

// Buffer keeps the last events and fans new ones out to subscribers.
type Buffer struct {
	mu   sync.Mutex
	ring []Event
	next uint64 // sequence number of the next event, from 1
	subs map[chan Event]struct{}
}

// New returns a buffer that keeps the last size events.
func New(size int) *Buffer {
	if size < 1 {
		size = 1
	}
	return &Buffer{ring: make([]Event, 0, size), next: 1, subs: map[chan Event]struct{}{}}
}

// Add numbers e, keeps it and hands it to every subscriber that keeps up;
// a subscriber that does not is skipped rather than slowing the server.
func (b *Buffer) Add(e Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	e.Seq = b.next
	b.next++
	if len(b.ring) < cap(b.ring) {
		b.ring = append(b.ring, e)
	} else {
		b.ring[int((e.Seq-1)%uint64(cap(b.ring)))] = e
	}
	for ch := range b.subs {
		select {
		case ch <- e:
		default:
		}
	}
}

// Since returns the kept events with a sequence number above seq, oldest
// first.
func (b *Buffer) Since(seq uint64) []Event {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]Event, 0, len(b.ring))
	n := uint64(len(b.ring))
	first := b.next - n
	for s := first; s < b.next; s++ {
		if s > seq {
			out = append(out, b.ring[int((s-1)%uint64(cap(b.ring)))])
		}
	}
	return out
}

// Last returns the sequence number of the newest event (0 if none).
func (b *Buffer) Last() uint64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.next - 1
}

// Subscribe returns a channel of new events and a function to stop.
// Events older than the call are not sent: read them with Since first,
// using the returned sequence number to avoid gaps and repeats.
func (b *Buffer) Subscribe(buffer int) (events <-chan Event, last uint64, cancel func()) {
	ch := make(chan Event, buffer)
	b.mu.Lock()
	b.subs[ch] = struct{}{}
	last = b.next - 1
	b.mu.Unlock()
	return ch, last, func() {
		b.mu.Lock()
		delete(b.subs, ch)
		b.mu.Unlock()
	}
}
