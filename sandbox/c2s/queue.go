package c2s

import (
	"crypto/tls"
	"net"
	"sync"
	"time"

	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
)

// writeTimeout bounds one write to a client, so a peer that stops reading
// cannot hold its writer forever.
const writeTimeout = 30 * time.Second

// outQueue is a bound session's outgoing side: stanzas from any goroutine
// are queued without blocking and one writer goroutine serialises them in
// batches, so a slow client never stalls the sessions that send to it.
type outQueue struct {
	conn     net.Conn
	fr       framer
	max      int
	maxBytes int
	trace    func(el *stanza.Element, wire []byte)

	mu      sync.Mutex
	items   []outItem
	bytes   int // estimated size of items
	closing bool
	tail    [][]byte
	wake    chan struct{}
	done    chan struct{}
	// hurry is closed once the queue is closing, so that the writer stops
	// holding stanzas back for an injected delay.
	hurry chan struct{}
}

// outItem is a queued stanza and the time before which it must not be
// written; zero unless a fault delays the session.
type outItem struct {
	el  *stanza.Element
	due time.Time
}

func newOutQueue(conn net.Conn, fr framer, max, maxBytes int, trace func(el *stanza.Element, wire []byte)) *outQueue {
	q := &outQueue{conn: conn, fr: fr, max: max, maxBytes: maxBytes, trace: trace, wake: make(chan struct{}, 1), done: make(chan struct{}), hurry: make(chan struct{})}
	go q.run()
	return q
}

// send queues el; a client that lets the queue fill up, in stanzas or in
// bytes, is disconnected with policy-violation instead of making the
// server hold ever more.
func (q *outQueue) send(el *stanza.Element) { q.sendAt(el, time.Time{}) }

// sendAt is send for a stanza the writer must hold back until due.
func (q *outQueue) sendAt(el *stanza.Element, due time.Time) {
	size := approxSize(el)
	q.mu.Lock()
	switch {
	case q.closing:
	// One stanza larger than the byte bound still goes out alone.
	case len(q.items) >= q.max || len(q.items) > 0 && q.bytes+size > q.maxBytes:
		q.closeLocked(q.ending(streamError("policy-violation", "too many stanzas waiting: the client is not reading")))
	default:
		q.items = append(q.items, outItem{el, due})
		q.bytes += size
	}
	q.mu.Unlock()
	q.signal()
}

// close writes tail after what is queued, then closes the connection.
func (q *outQueue) close(tail [][]byte) {
	q.mu.Lock()
	q.closeLocked(tail)
	q.mu.Unlock()
	q.signal()
}

func (q *outQueue) closeLocked(tail [][]byte) {
	if !q.closing {
		q.closing = true
		q.tail = tail
		close(q.hurry)
	}
}

// abort drops what is queued and the connection at once: over TCP with
// a reset (SO_LINGER 0), so the client sees the stream die without
// </stream:stream>, as when a network path fails. A WebSocket is just
// closed.
func (q *outQueue) abort() {
	q.mu.Lock()
	q.closeLocked(nil)
	q.items, q.tail = nil, nil
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
	q.signal()
}

func (q *outQueue) signal() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

func (q *outQueue) run() {
	defer close(q.done)
	var buf []byte
	var spare []outItem
	for range q.wake {
		q.mu.Lock()
		items, closing, tail := q.items, q.closing, q.tail
		q.items, q.bytes = spare[:0], 0
		q.mu.Unlock()
		var err error
		buf, err = q.write(buf[:0], items, tail)
		clear(items)
		spare = items
		if closing || err != nil {
			q.shut(err == nil)
			q.mu.Lock()
			q.closing, q.items = true, nil
			q.mu.Unlock()
			return
		}
		if cap(buf) > 64<<10 {
			buf = nil // do not keep a burst's buffer for an idle session
		}
	}
}

// write sends the batch: in one Write on a stream, one per element on a
// framed transport. It returns the buffer for reuse.
func (q *outQueue) write(buf []byte, items []outItem, tail [][]byte) ([]byte, error) {
	q.conn.SetWriteDeadline(time.Now().Add(writeTimeout))
	framed := q.fr.oneElementPerWrite()
	for _, it := range items {
		if !it.due.IsZero() {
			var err error
			if buf, err = q.hold(buf, it.due); err != nil {
				return buf, err
			}
		}
		el := it.el
		mark := len(buf)
		buf = q.fr.element(buf, el)
		if q.trace != nil {
			q.trace(el, buf[mark:])
		}
		if framed {
			if _, err := q.conn.Write(buf[mark:]); err != nil {
				return buf, err
			}
		}
	}
	for _, chunk := range tail {
		if framed {
			if _, err := q.conn.Write(chunk); err != nil {
				return buf, err
			}
		} else {
			buf = append(buf, chunk...)
		}
	}
	if !framed && len(buf) > 0 {
		_, err := q.conn.Write(buf)
		return buf, err
	}
	return buf, nil
}

// hold writes what is batched in buf, then waits until due or until the
// queue closes, and returns buf emptied for reuse.
func (q *outQueue) hold(buf []byte, due time.Time) ([]byte, error) {
	wait := time.Until(due)
	if wait <= 0 {
		return buf, nil
	}
	if len(buf) > 0 && !q.fr.oneElementPerWrite() {
		if _, err := q.conn.Write(buf); err != nil {
			return buf, err
		}
	}
	t := time.NewTimer(wait)
	select {
	case <-t.C:
	case <-q.hurry:
		t.Stop()
	}
	q.conn.SetWriteDeadline(time.Now().Add(writeTimeout))
	return buf[:0], nil
}

// ending renders a stream error and the stream's end for this transport.
func (q *outQueue) ending(errEl *stanza.Element) [][]byte {
	return [][]byte{q.fr.element(nil, errEl), []byte(q.fr.close())}
}

// lingerAfterClose bounds how long a closed stream waits for the client
// to close its side.
const lingerAfterClose = 2 * time.Second

// shut ends the connection once the stream's last words are written. A
// graceful end only closes the writing side and gives the client a moment
// to read them and close its own (RFC 6120 §4.4): closing outright while
// the client's input is unread makes the kernel reset the connection and
// discard the stream error on its way out. The session's reader then
// sees the client's end, or the deadline, and closes the connection.
func (q *outQueue) shut(graceful bool) {
	hc, ok := q.conn.(interface{ CloseWrite() error })
	if !graceful || !ok || hc.CloseWrite() != nil {
		q.conn.Close()
		return
	}
	q.conn.SetReadDeadline(time.Now().Add(lingerAfterClose))
}
