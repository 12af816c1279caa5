package trace

// chunkSize is the size of the blocks the ring copies stanzas into. One
// block holds a few hundred ordinary stanzas; a stanza larger than a block
// gets a block of its own.
const chunkSize = 64 << 10

// chunk is a block of stanza bytes. Blocks hold no pointers, so the
// collector never scans the XML the ring keeps, and a block is reused once
// every event in it has been dropped, so that recording a stanza allocates
// nothing in the long run.
type chunk struct {
	buf  []byte
	last uint64 // sequence number of the newest event written into it
}

// span is where an event's XML is kept.
type span struct {
	c      *chunk
	off, n int
}

func (s span) String() string {
	if s.c == nil {
		return ""
	}
	return string(s.c.buf[s.off : s.off+s.n])
}

// chunks is the ring's byte store: the blocks in use, oldest first, and
// one spare.
type chunks struct {
	used  []*chunk
	spare *chunk
}

// store copies xml into the newest block with room for it, as the bytes
// of event seq.
func store[T ~string | ~[]byte](cs *chunks, seq uint64, xml T) span {
	if len(xml) == 0 {
		return span{}
	}
	c := cs.withRoom(len(xml))
	off := len(c.buf)
	c.buf = append(c.buf, xml...)
	c.last = seq
	return span{c: c, off: off, n: len(xml)}
}

// withRoom returns a block that can take n more bytes.
func (cs *chunks) withRoom(n int) *chunk {
	if k := len(cs.used); k > 0 {
		if c := cs.used[k-1]; len(c.buf)+n <= cap(c.buf) {
			return c
		}
	}
	c := cs.spare
	if c != nil && n <= cap(c.buf) {
		cs.spare = nil
	} else {
		c = &chunk{buf: make([]byte, 0, max(n, chunkSize))}
	}
	cs.used = append(cs.used, c)
	return c
}

// release gives up the blocks whose events are all older than first.
func (cs *chunks) release(first uint64) {
	for len(cs.used) > 0 && cs.used[0].last < first {
		c := cs.used[0]
		cs.used[0] = nil
		cs.used = cs.used[1:]
		if cap(c.buf) == chunkSize {
			c.buf = c.buf[:0]
			cs.spare = c
		}
	}
}
