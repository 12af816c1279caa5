package stream

import (
	"errors"
	"io"
	"sync"
)

// bufSize is the size of a fresh read buffer: most stanzas fit in it, and
// it is the only size the pool keeps.
const bufSize = 4096

// maxEmptyReads bounds how often a source may return nothing and no error
// before the reader gives up on it, as bufio does.
const maxEmptyReads = 100

// bufPool holds the read buffers of connections that have nothing
// unconsumed, so an idle connection keeps none.
var bufPool = sync.Pool{New: func() any { return new([bufSize]byte) }}

// errOverBudget reports a token that would grow past the size limit; the
// reader turns it into policy-violation.
var errOverBudget = errors.New("stanza over size limit")

// readableWaiter is a source that can wait for input without a buffer:
// a connection blocked until its next stanza then holds no memory for it.
type readableWaiter interface{ WaitReadable() error }

// byteAt returns the byte at offset rel of the current token, reading
// more input if it has not arrived yet.
func (r *Reader) byteAt(rel int) (byte, error) {
	if r.tok+rel >= r.end || rel >= r.max {
		if err := r.more(rel); err != nil {
			return 0, err
		}
	}
	return r.buf[r.tok+rel], nil
}

// window returns the bytes of the current token read so far, cut at the
// size limit. It must be taken again after more, which may move the
// buffer.
func (r *Reader) window() []byte { return r.buf[r.tok:min(r.end, r.tok+r.max)] }

// more reads until the current token has a byte at offset rel. It fails
// with errOverBudget rather than let a token grow past the size limit, so
// an oversized stanza is refused while it is read, never buffered whole.
func (r *Reader) more(rel int) error {
	if rel >= r.max {
		return errOverBudget
	}
	for r.tok+rel >= r.end {
		if r.rerr != nil {
			return r.rerr
		}
		r.read()
	}
	return nil
}

// read appends what the source has to the buffer, taking a buffer from
// the pool first if the reader holds none.
func (r *Reader) read() {
	if r.buf == nil {
		if w, ok := r.src.(readableWaiter); ok {
			if err := w.WaitReadable(); err != nil {
				r.rerr = err
				return
			}
		}
		r.buf = bufPool.Get().(*[bufSize]byte)[:]
	}
	if r.end == len(r.buf) {
		r.makeRoom()
	}
	for range maxEmptyReads {
		n, err := r.src.Read(r.buf[r.end:])
		r.end += n
		if err != nil {
			r.rerr = err
			return
		}
		if n > 0 {
			return
		}
	}
	r.rerr = io.ErrNoProgress
}

// makeRoom frees space after the current token: by sliding it to the
// front of the buffer, or, when it fills the buffer already, by moving it
// to one twice as large (never larger than the limit needs). Offsets
// within the token stay valid either way.
func (r *Reader) makeRoom() {
	if r.tok > 0 {
		r.end = copy(r.buf, r.buf[r.tok:r.end])
		r.pos -= r.tok
		r.tok = 0
		return
	}
	grown := make([]byte, min(2*len(r.buf), max(r.max, bufSize)))
	copy(grown, r.buf[:r.end])
	r.recycle()
	r.buf = grown
}

// release gives the buffer back once everything read has been consumed.
func (r *Reader) release() {
	if r.buf == nil || r.pos < r.end {
		return
	}
	r.recycle()
	r.buf = nil
	r.pos, r.tok, r.end = 0, 0, 0
}

// recycle returns the buffer to the pool if it is of the pooled size;
// grown buffers are left to the collector.
func (r *Reader) recycle() {
	if len(r.buf) == bufSize {
		bufPool.Put((*[bufSize]byte)(r.buf))
	}
}
