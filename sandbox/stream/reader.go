package stream

import (
	"errors"
	"io"

	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
)

// DefaultMaxStanza is the default stanza size limit in bytes.
const DefaultMaxStanza = 256 << 10

// ErrClosed is returned by Next when the peer closed the stream with
// </stream:stream>.
var ErrClosed = errors.New("stream closed by peer")

// Header is the peer's opening <stream:stream/> tag (RFC 6120 §4.7).
type Header struct {
	To, From, ID, Version, Lang string
}

// Reader yields the elements of one stream. A new Reader is made for each
// stream restart (after STARTTLS and SASL), as RFC 6120 §4.3.3 requires.
//
// It tokenizes the XML subset RFC 6120 allows by hand, over a buffer of
// its own: the bytes of the token being read stay contiguous from tok,
// so offsets within a token (rel) survive the buffer growing or sliding.
type Reader struct {
	src  io.Reader
	buf  []byte // nil while nothing unconsumed is held
	pos  int    // first unconsumed byte
	tok  int    // start of the current token; equals pos between tokens
	end  int    // end of the bytes read
	max  int    // size limit of one token
	rerr error  // the source's error, kept for when the buffer runs dry
	err  error  // the error that ended the stream, returned again

	ns           scopes
	opened       bool
	root         string // the header's name as written, which </stream:stream> must repeat
	closePending bool   // the header was an empty tag, so the stream ends at once
	raw          []byte // the bytes of the element Next returned last

	// Scratch reused from stanza to stanza.
	text  []byte // decoded character data
	attrs []rawAttr
	stack []frame
	kids  []*stanza.Element
}

// NewReader reads a stream from r, refusing any stanza larger than
// maxStanza bytes.
func NewReader(r io.Reader, maxStanza int) *Reader {
	if maxStanza <= 0 {
		maxStanza = DefaultMaxStanza
	}
	return &Reader{src: r, max: maxStanza}
}

// Restart prepares the reader for the stream a client opens after SASL
// success, which RFC 6120 §4.3.3 treats as a new stream, while keeping
// the bytes already read: a client that wrote its new header without
// waiting for <success/> must not lose it. The size limit and source
// stay; a source that changes (STARTTLS) needs a new Reader.
func (r *Reader) Restart() {
	if r.err != nil {
		return // the stream already failed; Next and Header repeat why
	}
	r.ns = scopes{}
	r.opened, r.root, r.closePending, r.raw = false, "", false, nil
}

// Raw returns the element Next returned last exactly as the peer wrote
// it, or nil. It is valid until the next call to Next.
func (r *Reader) Raw() []byte { return r.raw }

// Next returns the next top-level element of the stream, skipping
// whitespace keepalives. It returns ErrClosed at </stream:stream> and an
// *Error for anything RFC 6120 does not allow.
func (r *Reader) Next() (*stanza.Element, error) {
	if !r.opened {
		return nil, errorf(BadFormat, "no stream header")
	}
	r.raw = nil
	if r.err != nil {
		return nil, r.err
	}
	if r.closePending {
		r.closePending = false
		return nil, ErrClosed
	}
	for {
		r.beginToken()
		el, n, err := r.topToken()
		if err != nil {
			if err != ErrClosed {
				r.err = err
			}
			r.endToken(n)
			return nil, err
		}
		if el != nil {
			r.raw = r.buf[r.tok : r.tok+n : r.tok+n]
			r.endToken(n)
			r.trimScratch()
			return el, nil
		}
		r.endToken(n)
	}
}

// beginToken starts a token at the first unconsumed byte, handing the
// buffer back first if nothing is left in it: a connection waiting for
// its next stanza then holds no buffer.
func (r *Reader) beginToken() {
	r.release()
	r.tok = r.pos
}

// endToken consumes the n bytes of the token just read.
func (r *Reader) endToken(n int) {
	r.pos = r.tok + n
	r.tok = r.pos
}

// topToken reads one token between stanzas: an element (returned), a
// keepalive (nil element, no error) or the end of the stream. n is the
// length of the token.
func (r *Reader) topToken() (el *stanza.Element, n int, err error) {
	c, err := r.byteAt(0)
	if err != nil {
		return nil, 0, boundary(err)
	}
	if c != '<' {
		n, err := r.keepalive()
		return nil, n, err
	}
	if c, err = r.byteAt(1); err != nil {
		return nil, 0, midToken(err)
	}
	switch c {
	case '/':
		n, err := r.streamEnd()
		return nil, n, err
	case '?':
		if _, _, err := r.procInst(2); err != nil {
			return nil, 0, err
		}
		return nil, 0, errorf(RestrictedXML, "processing instructions are not allowed")
	case '!':
		n, err := r.topBang()
		return nil, n, err
	}
	return r.element()
}

// keepalive reads text between stanzas, which only whitespace may be.
func (r *Reader) keepalive() (int, error) {
	n, stop, err := r.topText()
	switch {
	case err != nil:
		return 0, err
	case stop != nil:
		return 0, boundary(stop)
	}
	return n, nil
}

// topText reads character data outside any element up to the next '<'
// (or until the input stops: stop), failing if it is more than
// whitespace.
func (r *Reader) topText() (n int, stop, err error) {
	mark := len(r.text)
	n, stop, err = r.scanText(0, inContent, 0)
	blank := isBlank(r.text[mark:])
	r.text = r.text[:mark]
	if err == nil && !blank {
		err = errorf(BadFormat, "text between stanzas")
	}
	return n, stop, err
}

// topBang reads a <! token between stanzas: a whitespace-only CDATA
// section passes like a keepalive, anything else is refused.
func (r *Reader) topBang() (int, error) {
	return r.blankCDATA(2, errorf(BadFormat, "text between stanzas"))
}

// streamEnd reads an end tag between stanzas, which can only close the
// stream.
func (r *Reader) streamEnd() (int, error) {
	name, n, err := r.endTag(2)
	if err != nil {
		return 0, err
	}
	if string(name.raw(r.window())) != r.root {
		return 0, errorf(NotWellFormed, "mismatched end tag </"+string(name.local(r.window()))+">")
	}
	return n, ErrClosed
}

// trimScratch drops scratch space a large stanza left behind, so that an
// idle connection does not keep it.
func (r *Reader) trimScratch() {
	const keepText, keepKids = 1 << 10, 64
	if cap(r.text) > keepText {
		r.text = nil
	}
	if cap(r.kids) > keepKids {
		r.kids = nil
	}
	if cap(r.stack) > keepKids {
		r.stack = nil
	}
	if cap(r.attrs) > keepKids {
		r.attrs = nil
	}
}

// boundary classifies the source's error where a token could start: the
// end of input there is a clean end.
func boundary(err error) error {
	if err == errOverBudget {
		return overLimit()
	}
	return err
}

// midToken classifies the source's error inside a token, where the end
// of input means the peer stopped halfway.
func midToken(err error) error {
	switch err {
	case io.EOF:
		return io.ErrUnexpectedEOF
	case errOverBudget:
		return overLimit()
	}
	return err
}

func overLimit() error {
	return errorf(PolicyViolation, "stanza larger than the server's limit")
}
