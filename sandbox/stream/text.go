package stream

import (
	"fmt"
	"io"
	"unicode"
	"unicode/utf8"
)

// textKind says where character data is read and so what ends it.
type textKind uint8

const (
	inContent textKind = iota // up to the next '<'
	inCDATA                   // up to "]]>"
	inQuote                   // an attribute value, up to its closing quote
)

// plain marks the bytes character data copies as they are, whatever the
// kind: everything else gets a closer look in scanText.
var plain = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = true
	}
	for _, c := range "<&]>\r'\"" {
		t[c] = false
	}
	t['\t'], t['\n'] = true, true
	return t
}()

// scanText decodes character data from i into r.text: references
// replaced, line ends normalised to "\n" (XML 1.0 §2.11). It returns the
// offset after the text's terminator (at the '<' for content).
//
// Errors come in the order encoding/xml found them: a character XML does
// not allow (§2.2) is reported only once the text ends, after any
// syntax error in it. If the input stops where the text could end
// (content or an attribute value), scanText returns the reason as stop
// and lets the caller decide what it means.
func (r *Reader) scanText(i int, kind textKind, quote byte) (n int, stop, err error) {
	var bad error
	brackets := 0 // consecutive ']' just read, for "]]>"
	afterCR := false
	w := r.window()
	for {
		if i >= len(w) {
			if e := r.more(i); e != nil {
				return r.textStopped(i, kind, bad, e)
			}
			w = r.window()
		}
		c := w[i]
		if afterCR && c == '\n' {
			// The '\n' of "\r\n": the '\r' was written as '\n' already.
			afterCR = false
			i++
			continue
		}
		afterCR = false
		if plain[c] {
			j := i + 1
			for j < len(w) && plain[w[j]] {
				j++
			}
			r.text = append(r.text, w[i:j]...)
			i, brackets = j, 0
			continue
		}
		switch {
		case c == '<' && kind == inContent:
			return i, nil, bad
		case c == '<' && kind == inQuote:
			return 0, nil, errorf(NotWellFormed, "unescaped < inside quoted string")
		case c == quote && kind == inQuote:
			return i + 1, nil, bad
		case c == '&' && kind != inCDATA:
			var refBad error
			if i, refBad, err = r.reference(i); err != nil {
				return 0, nil, err
			}
			if bad == nil {
				bad = refBad
			}
			brackets = 0
			continue
		case c == '>' && brackets >= 2 && kind == inCDATA:
			r.text = r.text[:len(r.text)-2]
			return i + 1, nil, bad
		case c == '>' && brackets >= 2 && kind == inContent:
			return 0, nil, errorf(NotWellFormed, "unescaped ]]> not in CDATA section")
		case c == ']':
			r.text = append(r.text, c)
			i, brackets = i+1, brackets+1
			continue
		case c == '\r':
			r.text = append(r.text, '\n')
			afterCR = true
		case c < 0x20:
			if bad == nil {
				bad = illegalChar(rune(c))
			}
			r.text = append(r.text, c)
		case c < utf8.RuneSelf:
			r.text = append(r.text, c) // '>', '<' in CDATA, a quote not closing
		default:
			size, e := r.fullRune(i)
			w = r.window()
			if e != nil {
				// The input stopped inside a multi-byte sequence.
				if bad == nil {
					bad = errorf(NotWellFormed, "invalid UTF-8")
				}
				return r.textStopped(i, kind, bad, e)
			}
			if b := checkRune(w[i : i+size]); bad == nil {
				bad = b
			}
			r.text = append(r.text, w[i:i+size]...)
			i += size - 1
		}
		i, brackets = i+1, 0
	}
}

// textStopped reports the input stopping inside character data: within a
// CDATA section the token is cut short; elsewhere a bad character read so
// far comes first, as encoding/xml checked the text it had.
func (r *Reader) textStopped(i int, kind textKind, bad, stop error) (int, error, error) {
	switch {
	case kind == inCDATA && stop == io.EOF:
		return 0, nil, io.ErrUnexpectedEOF
	case kind == inCDATA:
		return 0, nil, midToken(stop)
	case bad != nil:
		return 0, nil, bad
	}
	return i, stop, nil
}

// fullRune makes the whole UTF-8 sequence starting at i available and
// returns its length (1 for an invalid byte).
func (r *Reader) fullRune(i int) (int, error) {
	for {
		w := r.window()
		if utf8.FullRune(w[i:]) {
			_, size := utf8.DecodeRune(w[i:])
			return size, nil
		}
		if err := r.more(len(w)); err != nil {
			return 0, err
		}
	}
}

// checkRune checks one multi-byte sequence: valid UTF-8 and a character
// XML allows.
func checkRune(b []byte) error {
	c, size := utf8.DecodeRune(b)
	if c == utf8.RuneError && size == 1 {
		return errorf(NotWellFormed, "invalid UTF-8")
	}
	if !isXMLChar(c) {
		return illegalChar(c)
	}
	return nil
}

// isXMLChar is the Char production of XML 1.0 §2.2.
func isXMLChar(c rune) bool {
	return c == 0x09 || c == 0x0A || c == 0x0D ||
		c >= 0x20 && c <= 0xD7FF ||
		c >= 0xE000 && c <= 0xFFFD ||
		c >= 0x10000 && c <= 0x10FFFF
}

func illegalChar(c rune) error {
	return errorf(NotWellFormed, fmt.Sprintf("illegal character code %U", c))
}

// isBlank reports whether decoded text is only white space, in the
// Unicode sense bytes.TrimSpace used.
func isBlank(b []byte) bool {
	for len(b) > 0 {
		if c := b[0]; c < utf8.RuneSelf {
			if c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\v' && c != '\f' {
				return false
			}
			b = b[1:]
			continue
		}
		c, size := utf8.DecodeRune(b)
		if !unicode.IsSpace(c) {
			return false
		}
		b = b[size:]
	}
	return true
}
