package stanza

import (
	"strconv"
	"unicode/utf8"
)

// AppendXML appends the XML form of e to dst. parentNS is the default
// namespace in force where e is written (jabber:client inside a c2s
// stream), so e carries an xmlns attribute only when it differs.
func (e *Element) AppendXML(dst []byte, parentNS string) []byte {
	if e.Name.Space == NSStream {
		return e.appendStreamElement(dst, parentNS)
	}
	return e.appendXML(dst, parentNS)
}

// String returns e as XML with its namespace declared.
func (e *Element) String() string { return string(e.AppendXML(nil, "")) }

// appendXML writes any element, the stream namespace included, with a
// default namespace declaration where it changes: only a top-level
// element gets the stream: prefix, since only there is it declared.
func (e *Element) appendXML(dst []byte, parentNS string) []byte {
	if e.IsText() {
		return appendEscaped(dst, e.Text, false)
	}
	dst = append(dst, '<')
	dst = append(dst, e.Name.Local...)
	if e.Name.Space != parentNS {
		dst = append(dst, ` xmlns="`...)
		dst = appendEscaped(dst, e.Name.Space, true)
		dst = append(dst, '"')
	}
	dst = e.appendAttrs(dst)
	return e.appendContent(dst, e.Name.Space, e.Name.Local)
}

func (e *Element) appendAttrs(dst []byte) []byte {
	prefixes := 0
	for _, a := range e.Attr {
		dst = append(dst, ' ')
		switch a.Name.Space {
		case "":
		case NSXML:
			dst = append(dst, "xml:"...)
		default:
			// Foreign attribute namespaces are rare; declare a prefix
			// right on the element rather than tracking scopes.
			prefixes++
			p := "ns" + strconv.Itoa(prefixes)
			dst = append(dst, "xmlns:"...)
			dst = append(dst, p...)
			dst = append(dst, `="`...)
			dst = appendEscaped(dst, a.Name.Space, true)
			dst = append(dst, `" `...)
			dst = append(dst, p...)
			dst = append(dst, ':')
		}
		dst = append(dst, a.Name.Local...)
		dst = append(dst, `="`...)
		dst = appendEscaped(dst, a.Value, true)
		dst = append(dst, '"')
	}
	return dst
}

// appendStreamElement writes stream-level elements (features, errors)
// with the stream: prefix clients expect, declaring it only when written
// outside a stream, as in an RFC 7395 WebSocket frame.
func (e *Element) appendStreamElement(dst []byte, parentNS string) []byte {
	dst = append(dst, "<stream:"...)
	dst = append(dst, e.Name.Local...)
	if parentNS == "" {
		dst = append(dst, ` xmlns:stream="`+NSStream+`"`...)
	}
	dst = e.appendAttrs(dst)
	return e.appendContent(dst, parentNS, "stream:"+e.Name.Local)
}

func (e *Element) appendContent(dst []byte, ns, qname string) []byte {
	if len(e.Nodes) == 0 {
		return append(dst, "/>"...)
	}
	dst = append(dst, '>')
	if xml, ok := e.sharedXML(ns); ok {
		dst = append(dst, xml...)
	} else {
		for _, c := range e.Nodes {
			dst = c.appendXML(dst, ns)
		}
	}
	dst = append(dst, "</"...)
	dst = append(dst, qname...)
	return append(dst, '>')
}

// appendEscaped escapes the five XML specials in attributes and the three
// that matter in text, and replaces invalid UTF-8 so output stays
// well-formed whatever an injected string holds.
func appendEscaped(dst []byte, s string, attr bool) []byte {
	last := 0
	for i := 0; i < len(s); {
		c := s[i]
		var esc string
		width := 1
		switch {
		case c == '&':
			esc = "&amp;"
		case c == '<':
			esc = "&lt;"
		case c == '>':
			esc = "&gt;"
		case c == '"' && attr:
			esc = "&quot;"
		case c == '\'' && attr:
			esc = "&apos;"
		case (c == '\n' || c == '\r' || c == '\t') && attr:
			esc = "&#" + strconv.Itoa(int(c)) + ";"
		case c == '\r':
			esc = "&#13;"
		case c < 0x20 && c != '\n' && c != '\t':
			esc = "\uFFFD"
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRuneInString(s[i:])
			width = n
			if r == utf8.RuneError && n == 1 || r == 0xFFFE || r == 0xFFFF {
				esc = "\uFFFD"
			}
		}
		if esc != "" {
			dst = append(dst, s[last:i]...)
			dst = append(dst, esc...)
			last = i + width
		}
		i += width
	}
	return append(dst, s[last:]...)
}
