package c2s

import (
	"crypto/tls"
	"errors"
	"net"
	"sync"
	"time"

	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
)

// writeTimeout bounds one write to a client, so a peer that stops reading
// cannot hold its writer forever.
const writeTimeout = 30 * time.Second

// errAborted stands for the write error of a connection dropped on
// purpose, so that the writer closes it without last words.
var errAborted = errors.New("connection aborted")

// outQueue is a bound session's outgoing side; a send never blocks on the
// network. On plain TCP, a stanza for a session with nothing waiting is
// written at once by its sender, without blocking (see writeThrough);
// anything that cannot go out that way is queued, and a writer goroutine,
// started on demand and gone once the queue is drained, writes it in
// batches, so a slow client never stalls the sessions that send to it.
type outQueue struct {
	conn     net.Conn
	direct   *rawWriter // nil where every write goes through the writer
	fr       framer
	max      int
	maxBytes int
	trace    func(el *stanza.Element, wire []byte)

	mu      sync.Mutex
	items   []outItem
	bytes   int    // estimated size of items
	pending []byte // the unwritten end of a stanza written through in part; goes before items
	failed  error  // why a write-through failed, for the writer to end the connection
	running bool   // a writer goroutine owns the writing side
	// corked is set while the session's reader handles one element of
	// its client's: what it is sent meanwhile is queued, and written at
	// once when the reader is done (uncork), so that a login's replies
	// leave in one write rather than one each or a writer of their own.
	corked   bool
	corkedAt time.Time
	// lastDirect is when a stanza was last written through.
	lastDirect time.Time
	closing    bool
	tail       [][]byte
	// done is made once the queue is closing and closed once the
	// connection is shut.
	done chan struct{}
	// hurry, made when the writer first holds a stanza back, is closed
	// once the queue is closing, so that it stops waiting.
	hurry chan struct{}
}

// outItem is a queued stanza and the time before which it must not be
// written; zero unless a fault delays the session.
type outItem struct {
	el  *stanza.Element
	due time.Time
}

func newOutQueue(conn net.Conn, fr framer, max, maxBytes int, trace func(el *stanza.Element, wire []byte)) *outQueue {
	q := &outQueue{conn: conn, fr: fr, max: max, maxBytes: maxBytes, trace: trace}
	if !fr.oneElementPerWrite() {
		q.direct = directWriter(conn)
	}
	if q.direct != nil {
		// A deadline left by the writes before binding would refuse
		// every write-through once passed.
		conn.SetWriteDeadline(time.Time{})
	}
	return q
}

// maxWriteThrough is the largest stanza (by approxSize) a sender writes
// through. A larger one is left to the writer: serialising it would hold
// up the sender, often another client's reader, and a burst of them must
// still meet the queue's byte bound rather than go out as fast as the
// socket takes them.
const maxWriteThrough = 16 << 10

// send queues el; a client that lets the queue fill up, in stanzas or in
// bytes, is disconnected with policy-violation instead of making the
// server hold ever more.
func (q *outQueue) send(el *stanza.Element) { q.sendAt(el, time.Time{}) }

// sendAt is send for a stanza the writer must hold back until due.
func (q *outQueue) sendAt(el *stanza.Element, due time.Time) {
	size := approxSize(el)
	q.mu.Lock()
	defer q.mu.Unlock()
	switch {
	case q.closing:
		return
	// One stanza larger than the byte bound still goes out alone.
	case len(q.items) >= q.max || len(q.items) > 0 && q.bytes+size > q.maxBytes:
		q.closeLocked(q.ending(streamError("policy-violation", "too many stanzas waiting: the client is not reading")))
	case !q.corked && due.IsZero() && size <= maxWriteThrough && q.idleLocked() && q.coolLocked():
		q.writeThroughLocked(el)
	default:
		q.items = append(q.items, outItem{el, due})
		q.bytes += size
	}
	q.startLocked()
}

// idleLocked reports whether nothing is waiting to be written nor being
// written, so a new stanza may overtake nothing.
func (q *outQueue) idleLocked() bool {
	return len(q.items) == 0 && q.writableLocked()
}

// writableLocked reports whether a sender may write on the socket itself
// now: plain TCP, no writer running, nothing half written, no failure.
func (q *outQueue) writableLocked() bool {
	return q.direct != nil && !q.closing && !q.running && q.pending == nil && q.failed == nil
}

// burstGap is how soon after a write-through the next stanza for the
// same session is left to the writer instead: a burst then goes out in a
// few batched writes rather than one system call per stanza, while a
// conversation's or a broadcast's single stanzas still go at once.
const burstGap = 100 * time.Microsecond

// coolLocked reports whether the last write-through is older than
// burstGap, noting now as the time of the next one.
func (q *outQueue) coolLocked() bool {
	now := time.Now()
	cool := now.Sub(q.lastDirect) >= burstGap
	if cool {
		q.lastDirect = now
	}
	return cool
}

// startLocked starts the writer if there is work for it and it is not
// running.
func (q *outQueue) startLocked() {
	if q.running || len(q.items) == 0 && q.pending == nil && q.failed == nil && !q.closing {
		return
	}
	if q.corked && !q.closing && q.failed == nil && q.pending == nil && time.Since(q.corkedAt) < maxCork {
		return // uncork writes it, unless the reader takes too long
	}
	q.running = true
	go q.run()
}

// maxCork bounds how long a stanza from another session waits while the
// reader handles its element: past it, the writer takes over.
const maxCork = time.Millisecond

// maxCorkedWrite is the most the reader writes through at once when it
// uncorks; more is left to the writer.
const maxCorkedWrite = 64 << 10

// cork holds back what the session is sent until uncork.
func (q *outQueue) cork() {
	q.mu.Lock()
	q.corked, q.corkedAt = true, time.Now()
	q.mu.Unlock()
}

// uncork writes what was sent while corked: on plain TCP, with one
// non-blocking write if nothing else is being written; otherwise the
// writer does.
func (q *outQueue) uncork() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.corked = false
	if len(q.items) > 0 && q.writableLocked() && q.bytes <= maxCorkedWrite && noneDue(q.items) {
		q.writeItemsLocked()
	}
	q.startLocked()
}

func noneDue(items []outItem) bool {
	for _, it := range items {
		if !it.due.IsZero() {
			return false
		}
	}
	return true
}

// close writes tail after what is queued, then closes the connection.
func (q *outQueue) close(tail [][]byte) {
	q.mu.Lock()
	q.closeLocked(tail)
	q.startLocked()
	q.mu.Unlock()
}

func (q *outQueue) closeLocked(tail [][]byte) {
	if q.closing {
		return
	}
	q.closing, q.tail = true, tail
	q.done = make(chan struct{})
	if q.hurry != nil {
		close(q.hurry)
	}
}

// finished returns a channel closed once the connection is shut; the
// queue must be closing.
func (q *outQueue) finished() <-chan struct{} {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.done
}

// abort drops what is queued and the connection at once: over TCP with
// a reset (SO_LINGER 0), so the client sees the stream die without
// </stream:stream>, as when a network path fails. A WebSocket is just
// closed.
func (q *outQueue) abort() {
	q.mu.Lock()
	q.closeLocked(nil)
	q.items, q.tail, q.pending, q.failed = nil, nil, nil, errAborted
	q.mu.Unlock()
	raw := q.conn
	if tc, ok := raw.(*tls.Conn); ok {
		// Closing the TLS layer would send a close_notify alert first.
		raw = tc.NetConn()
	}
	if tcp, ok := raw.(*net.TCPConn); ok {
		tcp.SetLinger(0)
	}
	raw.Close()
	q.mu.Lock()
	q.startLocked() // to mark the queue done
	q.mu.Unlock()
}

// ending renders a stream error and the stream's end for this transport.
func (q *outQueue) ending(errEl *stanza.Element) [][]byte {
	return [][]byte{q.fr.element(nil, errEl), []byte(q.fr.close())}
}
