package xclient

import "bytes"

// Name is the qualified name of a raw element, as the Scanner returns
// them.
func Name(el []byte) []byte {
	for i := 1; i < len(el); i++ {
		switch el[i] {
		case ' ', '\t', '\r', '\n', '/', '>':
			return el[1:i]
		}
	}
	return nil
}

// Is reports whether a raw element is named local (unprefixed: servers
// write stanzas in the default namespace).
func Is(el []byte, local string) bool { return string(Name(el)) == local }

// Attr returns the value of a raw element's attribute, as written (the
// values compared here never need unescaping).
func Attr(el []byte, key string) []byte {
	end := bytes.IndexByte(el, '>')
	if end < 0 {
		return nil
	}
	tag := el[:end]
	for i := 0; i < len(tag); {
		j := bytes.Index(tag[i:], []byte(key))
		if j < 0 {
			return nil
		}
		at := i + j
		i = at + len(key)
		if at == 0 || !isSpace(tag[at-1]) || i+1 >= len(tag) || tag[i] != '=' {
			continue
		}
		quote := tag[i+1]
		rest := tag[i+2:]
		if k := bytes.IndexByte(rest, quote); k >= 0 {
			return rest[:k]
		}
		return nil
	}
	return nil
}

// ChildText returns the text after the first start tag open (such as
// "<body>"), assumed to hold no markup: a number the load generator wrote.
func ChildText(el []byte, open string) []byte {
	i := bytes.Index(el, []byte(open))
	if i < 0 {
		return nil
	}
	rest := el[i+len(open):]
	if j := bytes.IndexByte(rest, '<'); j >= 0 {
		return rest[:j]
	}
	return nil
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }
