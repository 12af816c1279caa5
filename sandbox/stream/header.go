package stream

import "github.com/xmppsandbox/xmppsandbox/sandbox/stanza"

// Header reads up to and including the stream header. Only an XML
// declaration and whitespace may come before it. Whitespace may precede
// the declaration too: a client's keepalive or newline sent at the end of
// the previous stream arrives just before a restarted stream's header.
func (r *Reader) Header() (Header, error) {
	if r.err != nil {
		return Header{}, r.err
	}
	h, err := r.header()
	if err != nil {
		r.err = err
	}
	return h, err
}

func (r *Reader) header() (Header, error) {
	declared := false
	for {
		r.beginToken()
		i, err := r.skipToMarkup()
		if err != nil {
			return Header{}, err
		}
		c, err := r.byteAt(i + 1)
		if err != nil {
			return Header{}, midToken(err)
		}
		n := 0
		switch c {
		case '?':
			var xmlDecl bool
			if xmlDecl, n, err = r.procInst(i + 2); err == nil && (declared || !xmlDecl) {
				err = errorf(RestrictedXML, "processing instruction")
			}
			declared = true
		case '!':
			n, err = r.bangBeforeHeader(i + 2)
		case '/':
			if _, _, err = r.endTag(i + 2); err == nil {
				err = errorf(NotWellFormed, "unexpected token")
			}
		default:
			return r.streamHeader(i + 1)
		}
		if err != nil {
			return Header{}, err
		}
		r.endToken(n)
	}
}

// skipToMarkup skips whitespace before the header and fails at once on
// any other text: a peer speaking another protocol (an HTTP request, say)
// may never send the '<' that would end it, and the connection would
// hang until the auth timeout.
func (r *Reader) skipToMarkup() (int, error) {
	for i := 0; ; i++ {
		c, err := r.byteAt(i)
		if err != nil {
			return 0, boundary(err)
		}
		switch c {
		case '<':
			return i, nil
		case ' ', '\t', '\r', '\n':
		default:
			return 0, errorf(NotWellFormed, "text before the stream header")
		}
	}
}

// bangBeforeHeader reads a "<!" token before the header: only a CDATA
// section of whitespace passes.
func (r *Reader) bangBeforeHeader(i int) (int, error) {
	return r.blankCDATA(i, errorf(NotWellFormed, "text before the stream header"))
}

// blankCDATA reads a "<!" token at i that may only be a CDATA section of
// whitespace, outside any element; notBlank is the error for other text.
func (r *Reader) blankCDATA(i int, notBlank error) (int, error) {
	mark := len(r.text)
	kind, n, err := r.bang(i)
	blank := isBlank(r.text[mark:])
	r.text = r.text[:mark]
	switch {
	case err != nil:
		return 0, err
	case kind != bangCDATA:
		return 0, kind.refusal()
	case !blank:
		return 0, notBlank
	}
	return n, nil
}

// streamHeader reads the <stream:stream> tag from its name at i.
func (r *Reader) streamHeader(i int) (Header, error) {
	name, n, empty, err := r.startTag(i)
	if err != nil {
		return Header{}, err
	}
	el, err := r.resolve(name, BadNamespacePrefix)
	if err != nil {
		return Header{}, err
	}
	if el.Name.Local != "stream" || el.Name.Space != stanza.NSStream {
		return Header{}, errorf(InvalidNamespace, "expected <stream:stream xmlns:stream='"+stanza.NSStream+"'>")
	}
	if def, _ := r.ns.lookup(nil); def != stanza.NSClient {
		return Header{}, errorf(InvalidNamespace, "the content namespace must be jabber:client")
	}
	r.opened, r.root, r.closePending = true, string(name.raw(r.window())), empty
	r.endToken(n)
	return headerOf(el), nil
}

// headerOf picks the header's fields from its attributes.
func headerOf(el *stanza.Element) Header {
	var h Header
	for _, a := range el.Attr {
		switch {
		case a.Name.Space == stanza.NSXML && a.Name.Local == "lang":
			h.Lang = a.Value
		case a.Name.Space != "":
		case a.Name.Local == "to":
			h.To = a.Value
		case a.Name.Local == "from":
			h.From = a.Value
		case a.Name.Local == "id":
			h.ID = a.Value
		case a.Name.Local == "version":
			h.Version = a.Value
		}
	}
	return h
}
