package c2s

import (
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
	conn  net.Conn
	max   int
	trace func(el *stanza.Element)

	mu      sync.Mutex
	items   []*stanza.Element
	closing bool
	tail    []byte
	wake    chan struct{}
	done    chan struct{}
}

func newOutQueue(conn net.Conn, max int, trace func(*stanza.Element)) *outQueue {
	q := &outQueue{conn: conn, max: max, trace: trace, wake: make(chan struct{}, 1), done: make(chan struct{})}
	go q.run()
	return q
}

// send queues el; a client that lets the queue fill up is disconnected
// with policy-violation instead of making the server hold ever more.
func (q *outQueue) send(el *stanza.Element) {
	q.mu.Lock()
	switch {
	case q.closing:
	case len(q.items) >= q.max:
		q.closeLocked(streamError("policy-violation", "too many stanzas waiting: the client is not reading"))
	default:
		q.items = append(q.items, el)
	}
	q.mu.Unlock()
	q.signal()
}

// close writes tail after what is queued, then closes the connection.
func (q *outQueue) close(tail []byte) {
	q.mu.Lock()
	q.closeLocked(tail)
	q.mu.Unlock()
	q.signal()
}

func (q *outQueue) closeLocked(tail []byte) {
	if !q.closing {
		q.closing = true
		q.tail = tail
	}
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
	var spare []*stanza.Element
	for range q.wake {
		q.mu.Lock()
		items, closing, tail := q.items, q.closing, q.tail
		q.items = spare[:0]
		q.mu.Unlock()
		buf = buf[:0]
		for i, el := range items {
			buf = el.AppendXML(buf, stanza.NSClient)
			if q.trace != nil {
				q.trace(el)
			}
			items[i] = nil
		}
		spare = items
		if closing {
			buf = append(buf, tail...)
		}
		if len(buf) > 0 {
			q.conn.SetWriteDeadline(time.Now().Add(writeTimeout))
			if _, err := q.conn.Write(buf); err != nil {
				closing = true
			}
		}
		if closing {
			q.conn.Close()
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
