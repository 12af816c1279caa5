package xclient

import (
	"bytes"
	"errors"
)

// ErrTooLarge is returned for an element over the size limit.
var ErrTooLarge = errors.New("element over size limit")

// Frame finds the first top-level element in data, for readers that own
// their input buffer (an event loop over many connections); it frames as
// Scanner does. It returns the element (a slice of data) and how many
// bytes of data it used. A stream header is used without an element;
// n == 0 means data holds no complete element yet; ErrClosed comes with
// the server's closing tag, and a *StreamError with its stream error.
func Frame(data []byte) (el []byte, n int, err error) {
	depth, start, i := 0, -1, 0
	for {
		lt := bytes.IndexByte(data[i:], '<')
		if lt < 0 && start < 0 {
			return nil, len(data), nil // character data between elements
		}
		if lt < 0 {
			n, err := tooLarge(data, start)
			return nil, n, err
		}
		i += lt
		if start < 0 {
			start = i
		}
		end := markupEnd(data[i:])
		if end < 0 {
			n, err := tooLarge(data, start)
			return nil, n, err
		}
		d := tagDelta(data[i : i+end])
		depth += d
		i += end
		switch {
		case depth < 0:
			return nil, i, ErrClosed
		case bytes.HasPrefix(data[start:], streamHeader):
			// A stream header never closes: it is used alone.
			return nil, i, nil
		case depth == 0:
			if err := streamError(data[start:i]); err != nil {
				return nil, i, err
			}
			return data[start:i], i, nil
		}
	}
}

var streamHeader = []byte("<stream:stream")

// tooLarge fails an incomplete element that has outgrown the limit, and
// otherwise uses the character data before it.
func tooLarge(data []byte, start int) (int, error) {
	if len(data)-start > maxElement {
		return 0, ErrTooLarge
	}
	return start, nil
}

// markupEnd is the length of the markup at the start of m (from its '<'
// through its '>'), or -1 if m does not hold all of it. A '>' ends a
// tag outside quoted values; comments and CDATA sections end only with
// their own terminators.
func markupEnd(m []byte) int {
	switch {
	case bytes.HasPrefix(m, []byte("<!--")):
		return endAfter(m, 4, "-->")
	case bytes.HasPrefix(m, []byte("<![CDATA[")):
		return endAfter(m, 9, "]]>")
	}
	quotes := len(m) > 1 && m[1] != '!'
	quote := byte(0)
	for j := 1; j < len(m); j++ {
		c := m[j]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case quotes && (c == '"' || c == '\''):
			quote = c
		case c == '>':
			return j + 1
		}
	}
	return -1
}

// endAfter is the length of m through the first terminator after from.
func endAfter(m []byte, from int, terminator string) int {
	k := bytes.Index(m[from:], []byte(terminator))
	if k < 0 {
		return -1
	}
	return from + k + len(terminator)
}

// tagDelta is the depth change of one complete tag: +1 for a start tag,
// -1 for an end tag, 0 for an empty-element tag or other markup.
func tagDelta(tag []byte) int {
	switch {
	case len(tag) < 2:
		return 0
	case tag[1] == '/':
		return -1
	case tag[1] == '!' || tag[1] == '?' || tag[len(tag)-2] == '/':
		return 0
	}
	return 1
}
