package stream

import "unicode/utf8"

// reference decodes the entity or character reference whose '&' is at
// amp into r.text (XML 1.0 §4.1). Only the five predefined entities
// exist: a stream may declare none. A reference to a character XML does
// not allow is returned as bad, to be reported when the text ends.
func (r *Reader) reference(amp int) (n int, bad, err error) {
	c, err := r.byteAt(amp + 1)
	if err != nil {
		return 0, nil, midToken(err)
	}
	if c == '#' {
		return r.charRef(amp)
	}
	end, err := r.scanName(amp + 1)
	if err != nil {
		return 0, nil, err
	}
	w := r.window()
	if w[end] != ';' {
		return 0, nil, badReference(w[amp:end], false)
	}
	var s string
	switch string(w[amp+1 : end]) {
	case "lt":
		s = "<"
	case "gt":
		s = ">"
	case "amp":
		s = "&"
	case "apos":
		s = "'"
	case "quot":
		s = `"`
	default:
		return 0, nil, badReference(w[amp:end+1], true)
	}
	r.text = append(r.text, s...)
	return end + 1, nil, nil
}

// charRef decodes &#N; or &#xH; at amp.
func (r *Reader) charRef(amp int) (n int, bad, err error) {
	i, base := amp+2, rune(10)
	c, err := r.byteAt(i)
	if err != nil {
		return 0, nil, midToken(err)
	}
	if c == 'x' {
		i, base = i+1, 16
	}
	digits, value := 0, rune(0)
	for ; ; i++ {
		if c, err = r.byteAt(i); err != nil {
			return 0, nil, midToken(err)
		}
		d := digitValue(c, base)
		if d < 0 {
			break
		}
		digits++
		value = min(value*base+d, utf8.MaxRune+1) // saturate: too large is too large
	}
	w := r.window()
	switch {
	case c != ';':
		return 0, nil, badReference(w[amp:i], false)
	case digits == 0 || value > utf8.MaxRune:
		return 0, nil, badReference(w[amp:i+1], true)
	case 0xD800 <= value && value <= 0xDFFF:
		// A surrogate is no character (XML 1.0 §2.2). encoding/xml read
		// one as U+FFFD; refusing it is deliberate.
		bad = errorf(NotWellFormed, "character reference to a surrogate")
	case !isXMLChar(value):
		bad = illegalChar(value)
	}
	r.text = utf8.AppendRune(r.text, value)
	return i + 1, bad, nil
}

// digitValue is the value of c as a digit in base, or -1.
func digitValue(c byte, base rune) rune {
	switch {
	case '0' <= c && c <= '9':
		return rune(c - '0')
	case base == 16 && 'a' <= c && c <= 'f':
		return rune(c-'a') + 10
	case base == 16 && 'A' <= c && c <= 'F':
		return rune(c-'A') + 10
	}
	return -1
}

func badReference(ref []byte, terminated bool) error {
	text := "invalid character entity " + string(ref)
	if !terminated {
		text += " (no semicolon)"
	}
	return errorf(NotWellFormed, text)
}
