package c2s

import (
	"sync"
	"time"

	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
)

// run is the writer goroutine: it writes what is queued in batches, and
// returns once nothing is left, or once the connection is shut.
func (q *outQueue) run() {
	buf := getWireBuf()
	defer putWireBuf(buf)
	var spare []outItem
	for {
		q.mu.Lock()
		pending, items, closing, tail, failed := q.pending, q.items, q.closing, q.tail, q.failed
		if pending == nil && len(items) == 0 && !closing && failed == nil {
			q.stopLocked()
			q.mu.Unlock()
			return
		}
		q.pending, q.items, q.bytes = nil, spare[:0], 0
		q.mu.Unlock()
		err := failed
		if err == nil {
			*buf, err = q.write((*buf)[:0], pending, items, tail)
		}
		clear(items)
		spare = items
		if closing || err != nil {
			q.shut(err == nil)
			q.markShut()
			return
		}
	}
}

// stopLocked lets the writer go with nothing left to write.
func (q *outQueue) stopLocked() {
	q.running = false
	q.items = nil // an idle session keeps no burst's worth of slots
	if q.direct != nil {
		// The next write-through must not find this writer's deadline
		// passed; clearing it costs no system call.
		q.conn.SetWriteDeadline(time.Time{})
	}
}

// markShut records that the connection is shut for good: nothing more is
// queued, and no writer starts again (running stays set).
func (q *outQueue) markShut() {
	q.mu.Lock()
	q.closeLocked(nil)
	q.items, q.pending = nil, nil
	close(q.done)
	q.mu.Unlock()
}

// write sends pending, then the batch: in one Write on a stream, one per
// element on a framed transport. It returns the buffer for reuse.
func (q *outQueue) write(buf, pending []byte, items []outItem, tail [][]byte) ([]byte, error) {
	q.conn.SetWriteDeadline(time.Now().Add(writeTimeout))
	framed := q.fr.oneElementPerWrite()
	buf = append(buf, pending...) // only streams have pending bytes
	for _, it := range items {
		if !it.due.IsZero() {
			var err error
			if buf, err = q.hold(buf, it.due); err != nil {
				return buf, err
			}
		}
		mark := len(buf)
		buf = q.appendTraced(buf, it.el)
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
	case <-q.hurried():
		t.Stop()
	}
	q.conn.SetWriteDeadline(time.Now().Add(writeTimeout))
	return buf[:0], nil
}

// hurried returns the channel closed once the queue is closing, making it
// on first use: few sessions ever have a stanza held back.
func (q *outQueue) hurried() <-chan struct{} {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.hurry == nil {
		q.hurry = make(chan struct{})
		if q.closing {
			close(q.hurry)
		}
	}
	return q.hurry
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

// writeThroughLocked serialises el and writes it at once without
// blocking; what the socket does not take waits in pending for the
// writer, and an error is left for the writer to end the connection
// with. The queue must be idle, so that el overtakes nothing.
func (q *outQueue) writeThroughLocked(el *stanza.Element) {
	buf := getWireBuf()
	q.writeNowLocked(buf, q.appendTraced((*buf)[:0], el))
}

// appendTraced serialises el onto buf and reports it to the trace with
// the bytes it will be written as.
func (q *outQueue) appendTraced(buf []byte, el *stanza.Element) []byte {
	mark := len(buf)
	buf = q.fr.element(buf, el)
	if q.trace != nil {
		q.trace(el, buf[mark:])
	}
	return buf
}

// writeItemsLocked writes what is queued as writeThroughLocked writes one
// stanza: the queue must hold nothing else, nor be being written.
func (q *outQueue) writeItemsLocked() {
	buf := getWireBuf()
	wire := (*buf)[:0]
	for _, it := range q.items {
		wire = q.appendTraced(wire, it.el)
	}
	q.items, q.bytes = nil, 0 // an idle session keeps no burst's worth of slots
	q.lastDirect = time.Now()
	q.writeNowLocked(buf, wire)
}

// writeNowLocked makes one non-blocking write of wire, serialised into
// buf's storage, and keeps what the socket does not take for the writer.
func (q *outQueue) writeNowLocked(buf *[]byte, wire []byte) {
	n, err := q.direct.write(wire)
	switch {
	case n == len(wire):
		*buf = wire
		putWireBuf(buf)
	case err == nil || wouldBlock(err):
		q.pending = wire[n:] // the pool gets a new buffer instead
	default:
		q.failed = err
	}
}

// wireBufs recycles serialisation buffers, so that neither a write-
// through nor an idle session holds one of its own.
var wireBufs = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

// maxPooledBuf keeps a burst's large buffer out of the pool.
const maxPooledBuf = 64 << 10

func getWireBuf() *[]byte { return wireBufs.Get().(*[]byte) }

func putWireBuf(b *[]byte) {
	if cap(*b) <= maxPooledBuf {
		*b = (*b)[:0]
		wireBufs.Put(b)
	}
}
