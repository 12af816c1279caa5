package stream

import "bytes"

// qname is a qualified name as written, by offsets within the token.
type qname struct {
	start, colon, end int // colon < 0: no prefix
}

// rawAttr is an attribute as written, its value decoded.
type rawAttr struct {
	name  qname
	value string
}

func (q qname) raw(w []byte) []byte { return w[q.start:q.end] }

func (q qname) prefix(w []byte) []byte {
	if q.colon < 0 {
		return nil
	}
	return w[q.start:q.colon]
}

func (q qname) local(w []byte) []byte {
	if q.colon < 0 {
		return w[q.start:q.end]
	}
	return w[q.colon+1 : q.end]
}

// startTag reads a start tag from its name at i up to its '>', leaving
// the attributes in r.attrs. n is the offset after the tag.
func (r *Reader) startTag(i int) (name qname, n int, empty bool, err error) {
	r.attrs = r.attrs[:0]
	if name, err = r.readQName(i, "expected element name after <"); err != nil {
		return name, 0, false, err
	}
	i = name.end
	for {
		if i, err = r.skipSpace(i); err != nil {
			return name, 0, false, err
		}
		switch r.buf[r.tok+i] {
		case '>':
			return name, i + 1, false, nil
		case '/':
			c, err := r.byteAt(i + 1)
			if err != nil {
				return name, 0, false, midToken(err)
			}
			if c != '>' {
				return name, 0, false, errorf(NotWellFormed, "expected /> in element")
			}
			return name, i + 2, true, nil
		}
		if i, err = r.attribute(i); err != nil {
			return name, 0, false, err
		}
	}
}

// attribute reads name='value' (or "value") at i. Like encoding/xml, it
// does not insist on whitespace before the next attribute.
func (r *Reader) attribute(i int) (int, error) {
	name, err := r.readQName(i, "expected attribute name in element")
	if err != nil {
		return 0, err
	}
	if i, err = r.skipSpace(name.end); err != nil {
		return 0, err
	}
	if r.buf[r.tok+i] != '=' {
		return 0, errorf(NotWellFormed, "attribute name without = in element")
	}
	if i, err = r.skipSpace(i + 1); err != nil {
		return 0, err
	}
	quote := r.buf[r.tok+i]
	if quote != '"' && quote != '\'' {
		return 0, errorf(NotWellFormed, "unquoted or missing attribute value in element")
	}
	mark := len(r.text)
	i, stop, err := r.scanText(i+1, inQuote, quote)
	if err != nil {
		return 0, err
	}
	if stop != nil {
		return 0, midToken(stop)
	}
	r.attrs = append(r.attrs, rawAttr{name: name, value: intern(r.text[mark:])})
	r.text = r.text[:mark]
	return i, nil
}

// endTag reads an end tag from its name at i; n is the offset after it.
func (r *Reader) endTag(i int) (name qname, n int, err error) {
	if name, err = r.readQName(i, "expected element name after </"); err != nil {
		return name, 0, err
	}
	if i, err = r.skipSpace(name.end); err != nil {
		return name, 0, err
	}
	if r.buf[r.tok+i] != '>' {
		return name, 0, errorf(NotWellFormed, "invalid characters between </"+string(name.local(r.window()))+" and >")
	}
	return name, i + 1, nil
}

// skipSpace skips XML whitespace from i; the byte at the offset returned
// is in the buffer.
func (r *Reader) skipSpace(i int) (int, error) {
	for {
		c, err := r.byteAt(i)
		if err != nil {
			return 0, midToken(err)
		}
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return i, nil
		}
		i++
	}
}

// readQName reads a qualified name at i: a Name (XML 1.0 §2.3) with at
// most one colon, split into prefix and local part only when both are
// non-empty (as encoding/xml split them). missing is the complaint when
// there is no name at all.
func (r *Reader) readQName(i int, missing string) (qname, error) {
	end, err := r.scanName(i)
	if err != nil {
		return qname{}, err
	}
	b := r.window()[i:end]
	if len(b) == 0 {
		return qname{}, errorf(NotWellFormed, missing)
	}
	if !validName(b) {
		return qname{}, errorf(NotWellFormed, "invalid XML name: "+string(b))
	}
	q := qname{start: i, colon: -1, end: end}
	switch bytes.Count(b, colonByte) {
	case 0:
	case 1:
		if k := bytes.IndexByte(b, ':'); k > 0 && k < len(b)-1 {
			q.colon = i + k
		}
	default:
		return qname{}, errorf(NotWellFormed, missing)
	}
	return q, nil
}

var colonByte = []byte{':'}

// scanName finds the end of the name starting at i: it runs over ASCII
// name characters and every non-ASCII byte, which validName checks.
func (r *Reader) scanName(i int) (int, error) {
	w := r.window()
	for {
		for i < len(w) && inName[w[i]] {
			i++
		}
		if i < len(w) {
			return i, nil
		}
		if err := r.more(i); err != nil {
			return 0, midToken(err)
		}
		w = r.window()
	}
}
