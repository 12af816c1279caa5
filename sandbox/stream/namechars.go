package stream

import (
	"encoding/xml"
	"io"
	"sync"
	"unicode/utf8"
)

// inName marks the bytes a name runs over: ASCII name characters and all
// non-ASCII bytes, whose runes validName checks afterwards.
var inName = func() (t [256]bool) {
	for c := range 256 {
		t[c] = c >= utf8.RuneSelf || isASCIINameStart(byte(c)) ||
			'0' <= c && c <= '9' || c == '.' || c == '-'
	}
	return t
}()

func isASCIINameStart(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || c == '_' || c == ':'
}

// validName reports whether b, found by scanName, is an XML name.
func validName(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return validUnicodeName(b)
		}
	}
	return isASCIINameStart(b[0])
}

// validUnicodeName checks a name rune by rune against the name
// characters of encoding/xml.
func validUnicodeName(b []byte) bool {
	for i := 0; i < len(b); {
		c, size := utf8.DecodeRune(b[i:])
		if c == utf8.RuneError && size == 1 || c > 0xFFFF {
			return false // encoding/xml knew no name characters beyond the BMP
		}
		p := namePage(c)
		if i == 0 && !p.start.has(c) || i > 0 && !p.char.has(c) {
			return false
		}
		i += size
	}
	return true
}

// runeBits is a set of the 256 runes of one page.
type runeBits [256 / 8]byte

func (s *runeBits) has(c rune) bool { return s[c&0xFF>>3]&(1<<(c&7)) != 0 }

func (s *runeBits) add(c rune) { s[c&0xFF>>3] |= 1 << (c & 7) }

// page holds, for 256 consecutive runes, those that may start a name and
// those that may appear in one.
type page struct {
	once        sync.Once
	start, char runeBits
}

var pages [0x10000 / 256]page

// namePage returns the page of c, filling it on first use. The sets are
// taken from encoding/xml itself (the character classes of XML 1.0
// Appendix B), so that names are exactly as strict as they were when it
// parsed the stream; a page costs about a millisecond, once.
func namePage(c rune) *page {
	p := &pages[c>>8]
	p.once.Do(func() {
		enc := xml.NewEncoder(io.Discard)
		base := c &^ 0xFF
		for c := base; c <= base|0xFF; c++ {
			if 0xD800 <= c && c <= 0xDFFF {
				continue // not a character; string(c) would be U+FFFD
			}
			if enc.EncodeToken(xml.ProcInst{Target: string(c)}) == nil {
				p.start.add(c)
			}
			if enc.EncodeToken(xml.ProcInst{Target: "a" + string(c)}) == nil {
				p.char.add(c)
			}
		}
	})
	return p
}
