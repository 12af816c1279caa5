package stream

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

func TestRaw(t *testing.T) {
	stanzas := []string{
		`<message to='a@localhost'><body>x &amp; y</body></message>`,
		"<presence\n/>",
		`<iq type='get' id='1'><query xmlns='jabber:iq:roster'/></iq>`,
	}
	r := openStream(t, " "+strings.Join(stanzas, "\n\t")+"</stream:stream>", 0)
	if r.Raw() != nil {
		t.Fatalf("Raw before any element: %q", r.Raw())
	}
	for _, want := range stanzas {
		if _, err := r.Next(); err != nil {
			t.Fatal(err)
		}
		if got := string(r.Raw()); got != want {
			t.Fatalf("Raw %q, want %q", got, want)
		}
	}
	if _, err := r.Next(); err != ErrClosed || r.Raw() != nil {
		t.Fatalf("at the end: %v, Raw %q", err, r.Raw())
	}
}

// TestLargeStanzaOneByteAtATime reads a stanza far larger than the first
// buffer from a source that hands over one byte per Read, so that every
// token crosses reads, and checks it against the oracle.
func TestLargeStanzaOneByteAtATime(t *testing.T) {
	body := rosterResult(300) + chatMessage + "\r\n" + capsPresence
	in := clientHeader + body + `</stream:stream>`
	got := readWith([]byte(in), 0, false)
	want := readWith([]byte(in), 0, true)
	r := NewReader(iotest.OneByteReader(strings.NewReader(in)), 0)
	if _, err := r.Header(); err != nil {
		t.Fatal(err)
	}
	for k := range want {
		el, err := r.Next()
		if err != want[k].err || (err == nil && (!sameTree(el, want[k].el) || !sameTree(el, got[k].el))) {
			t.Fatalf("step %d: %v, %v; oracle %v, %v", k, el, err, want[k].el, want[k].err)
		}
	}
}

// waiter is a source with WaitReadable, which records whether the reader
// held a buffer each time it waited.
type waiter struct {
	io.Reader
	r        *Reader
	waits    int
	buffered int // waits while the reader held a buffer
	err      error
}

func (w *waiter) WaitReadable() error {
	w.waits++
	if w.r.buf != nil {
		w.buffered++
	}
	return w.err
}

// TestIdleReaderHoldsNoBuffer checks that a reader waiting for the next
// stanza has given its buffer back, and waits before taking one.
func TestIdleReaderHoldsNoBuffer(t *testing.T) {
	src := &waiter{Reader: iotest.OneByteReader(strings.NewReader(clientHeader + `<presence/><message/>`))}
	r := NewReader(src, 0)
	src.r = r
	if _, err := r.Header(); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := r.Next(); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := r.Next(); err != io.EOF {
		t.Fatalf("at the end: %v", err)
	}
	if src.waits < 3 || src.buffered != 0 {
		t.Fatalf("%d waits, %d of them holding a buffer", src.waits, src.buffered)
	}
}

func TestWaitReadableError(t *testing.T) {
	boom := errors.New("boom")
	src := &waiter{Reader: strings.NewReader(clientHeader), err: boom}
	r := NewReader(src, 0)
	src.r = r
	if _, err := r.Header(); err != boom {
		t.Fatalf("Header: %v, want the wait's error", err)
	}
}
