package xclient

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// ErrClosed is returned by Scanner.Next at the server's </stream:stream>.
var ErrClosed = errors.New("stream closed by the server")

// maxElement bounds one element read by a Scanner.
const maxElement = 1 << 20

// Scanner splits the top-level elements of a stream, without parsing
// them: a load generator that parsed every stanza as a client library
// does would measure itself. It trusts the server to write well-formed
// XML. It tracks only tag depth,
// quoted attribute values and the markup that may hold a '>' (RFC 6120
// §11.1 excludes comments and processing instructions from streams, but
// the scanner skips them rather than miscount).
type Scanner struct {
	r   *bufio.Reader
	buf []byte
}

// NewScanner scans r from just after an element boundary.
func NewScanner(r *bufio.Reader) *Scanner {
	return &Scanner{r: r, buf: make([]byte, 0, 1024)}
}

// Next returns the next top-level element's bytes, valid until the next
// call; ErrClosed at the end of the stream, and a *StreamError for the
// server's stream error.
func (s *Scanner) Next() ([]byte, error) {
	s.buf = s.buf[:0]
	depth := 0
	for {
		if err := s.skipText(depth); err != nil {
			return nil, err
		}
		delta, err := s.markup()
		if err != nil {
			return nil, err
		}
		depth += delta
		switch {
		case depth < 0:
			return nil, ErrClosed
		case depth == 0 && delta <= 0 && len(s.buf) > 0 && !s.isHeader():
			if err := streamError(s.buf); err != nil {
				return nil, err
			}
			return s.buf, nil
		case s.isHeader():
			// A stream header never closes: skip it.
			s.buf, depth = s.buf[:0], 0
		}
		if len(s.buf) > maxElement {
			return nil, errors.New("element over size limit")
		}
	}
}

// isHeader reports whether buf is a stream header.
func (s *Scanner) isHeader() bool { return bytes.HasPrefix(s.buf, []byte("<stream:stream")) }

// skipText reads character data up to the next '<'; it belongs to the
// element only inside one.
func (s *Scanner) skipText(depth int) error {
	for {
		c, err := s.r.ReadByte()
		if err != nil {
			return eof(err)
		}
		if c == '<' {
			return s.r.UnreadByte()
		}
		if depth > 0 {
			s.buf = append(s.buf, c)
		}
	}
}

// markup reads one tag from its '<' and returns how it changes the depth:
// +1 for a start tag, -1 for an end tag, 0 for an empty-element tag or
// other markup.
func (s *Scanner) markup() (int, error) {
	start := len(s.buf)
	quote := byte(0)
	for {
		c, err := s.r.ReadByte()
		if err != nil {
			return 0, eof(err)
		}
		s.buf = append(s.buf, c)
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			if len(s.buf)-start > 1 && s.buf[start+1] != '!' {
				quote = c
			}
		case c == '>' && s.tagEnds(start):
			return tagDelta(s.buf[start:]), nil
		}
	}
}

// tagEnds reports whether a '>' just read ends the markup begun at start:
// comments and CDATA sections end only with their own terminators.
func (s *Scanner) tagEnds(start int) bool {
	tag := s.buf[start:]
	switch {
	case bytes.HasPrefix(tag, []byte("<!--")):
		return len(tag) >= 7 && bytes.HasSuffix(tag, []byte("-->"))
	case bytes.HasPrefix(tag, []byte("<![CDATA[")):
		return bytes.HasSuffix(tag, []byte("]]>"))
	}
	return true
}

// eof turns an end of input into the error a reader of a stream expects.
func eof(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// IsEOF reports a connection the server closed without a closing tag.
func IsEOF(err error) bool { return errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) }
