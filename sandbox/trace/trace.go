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

// MaxBytes bounds the XML the ring holds, whatever its length in events:
// 10,000 stanzas near the size limit would otherwise pin hundreds of MiB.
const MaxBytes = 16 << 20

// Buffer keeps the last events and fans new ones out to subscribers.
type Buffer struct {
	mu       sync.Mutex
	ring     []kept // circular once full: event seq s sits at (s-1) % size
	size     int    // events kept at most
	first    uint64 // sequence number of the oldest kept event
	next     uint64 // sequence number of the next event, from 1
	bytes    int    // XML held by the kept events
	maxBytes int
	xml      chunks // the kept events' XML
	subs     map[chan Event]struct{}
}

// kept is an event in the ring, its XML in the byte store.
type kept struct {
	Event // XML empty
	xml   span
}

// event returns the kept event whole.
func (k *kept) event() Event {
	e := k.Event
	e.XML = k.xml.String()
	return e
}

// New returns a buffer that keeps the last size events, within MaxBytes
// of XML (the newest event is always kept).
func New(size int) *Buffer {
	if size < 1 {
		size = 1
	}
	return &Buffer{size: size, first: 1, next: 1, maxBytes: MaxBytes, subs: map[chan Event]struct{}{}}
}

// slot is where event seq is kept. The ring grows as events come rather
// than being allocated whole at start: a sandbox started for one short
// test never pays for 10,000 empty events.
func (b *Buffer) slot(seq uint64) *kept {
	i := int((seq - 1) % uint64(b.size))
	if i == len(b.ring) {
		if len(b.ring) == cap(b.ring) {
			grown := make([]kept, len(b.ring), min(max(2*cap(b.ring), 64), b.size))
			copy(grown, b.ring)
			b.ring = grown
		}
		b.ring = b.ring[:i+1]
	}
	return &b.ring[i]
}

// dropOldest forgets the oldest kept event, releasing its XML.
func (b *Buffer) dropOldest() {
	k := b.slot(b.first)
	b.bytes -= k.xml.n
	*k = kept{}
	b.first++
	b.xml.release(b.first)
}

// Add numbers e, keeps it and hands it to every subscriber that keeps up;
// a subscriber that does not is skipped rather than slowing the server.
func (b *Buffer) Add(e Event) {
	add(b, e, e.XML)
}

// AddWire is Add with the event's XML given as the bytes written or read,
// which the ring copies: the caller keeps wire.
func (b *Buffer) AddWire(e Event, wire []byte) {
	add(b, e, wire)
}

func add[T ~string | ~[]byte](b *Buffer, e Event, xml T) {
	b.mu.Lock()
	defer b.mu.Unlock()
	e.Seq = b.next
	if b.next-b.first == uint64(b.size) {
		b.dropOldest()
	}
	e.XML = ""
	*b.slot(e.Seq) = kept{Event: e, xml: store(&b.xml, e.Seq, xml)}
	b.bytes += len(xml)
	b.next++
	for b.bytes > b.maxBytes && b.first < e.Seq {
		b.dropOldest()
	}
	if len(b.subs) == 0 {
		return
	}
	e.XML = string(xml)
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
	from := max(b.first, seq+1)
	out := make([]Event, 0, b.next-min(from, b.next))
	for s := from; s < b.next; s++ {
		out = append(out, b.slot(s).event())
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
