package stream

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"

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
type Reader struct {
	dec    *xml.Decoder
	budget *budgetReader
	ns     scopes
	opened bool
	root   xml.Name // the header's tag as written, which </stream:stream> must repeat
}

// NewReader reads a stream from r, refusing any stanza larger than
// maxStanza bytes.
func NewReader(r io.Reader, maxStanza int) *Reader {
	if maxStanza <= 0 {
		maxStanza = DefaultMaxStanza
	}
	b := newBudgetReader(r, maxStanza)
	d := xml.NewDecoder(b)
	d.Strict = true
	return &Reader{dec: d, budget: b}
}

// Header reads up to and including the stream header. Only an XML
// declaration and whitespace may come before it. Whitespace may precede
// the declaration too: a client's keepalive or newline sent at the end of
// the previous stream arrives just before a restarted stream's header.
func (r *Reader) Header() (Header, error) {
	declared := false
	for {
		r.budget.reset()
		if err := r.skipToMarkup(); err != nil {
			return Header{}, err
		}
		tok, err := r.dec.RawToken()
		if err != nil {
			return Header{}, r.readError(err)
		}
		switch t := tok.(type) {
		case xml.ProcInst:
			if declared || t.Target != "xml" {
				return Header{}, errorf(RestrictedXML, "processing instruction")
			}
			declared = true
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return Header{}, errorf(NotWellFormed, "text before the stream header")
			}
		case xml.StartElement:
			return r.header(t)
		default:
			return Header{}, restricted(tok)
		}
	}
}

// skipToMarkup consumes whitespace before the header and fails at once
// on any other text. The decoder would wait for the '<' that ends a text
// token, which a peer speaking another protocol (an HTTP request, say)
// never sends, and the connection would hang until the auth timeout.
func (r *Reader) skipToMarkup() error {
	for {
		next, err := r.budget.r.Peek(1)
		if err != nil {
			return r.readError(err)
		}
		switch next[0] {
		case '<':
			return nil
		case ' ', '\t', '\r', '\n':
			if _, err := r.budget.ReadByte(); err != nil {
				return r.readError(err)
			}
		default:
			return errorf(NotWellFormed, "text before the stream header")
		}
	}
}

func (r *Reader) header(t xml.StartElement) (Header, error) {
	name, attrs, err := r.ns.resolve(t, BadNamespacePrefix)
	if err != nil {
		return Header{}, err
	}
	if name.Local != "stream" || name.Space != stanza.NSStream {
		return Header{}, errorf(InvalidNamespace, "expected <stream:stream xmlns:stream='"+stanza.NSStream+"'>")
	}
	if def, _ := r.ns.lookup(""); def != stanza.NSClient {
		return Header{}, errorf(InvalidNamespace, "the content namespace must be jabber:client")
	}
	var h Header
	for _, a := range attrs {
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
	r.opened, r.root = true, t.Name
	return h, nil
}

// Next returns the next top-level element of the stream, skipping
// whitespace keepalives. It returns ErrClosed at </stream:stream> and an
// *Error for anything RFC 6120 does not allow.
func (r *Reader) Next() (*stanza.Element, error) {
	if !r.opened {
		return nil, errorf(BadFormat, "no stream header")
	}
	for {
		r.budget.reset()
		tok, err := r.dec.RawToken()
		if err != nil {
			return nil, r.readError(err)
		}
		switch t := tok.(type) {
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return nil, errorf(BadFormat, "text between stanzas")
			}
		case xml.StartElement:
			return r.element(t)
		case xml.EndElement:
			if t.Name != r.root {
				return nil, errorf(NotWellFormed, "mismatched end tag </"+t.Name.Local+">")
			}
			return nil, ErrClosed
		default:
			return nil, restricted(tok)
		}
	}
}

// element reads the rest of the element that t opens.
func (r *Reader) element(t xml.StartElement) (*stanza.Element, error) {
	root, err := r.open(t)
	if err != nil {
		return nil, err
	}
	stack := []*stanza.Element{root}
	tags := []xml.Name{t.Name} // start tags as written, for XML 1.0 §3 (Element Type Match)
	for len(stack) > 0 {
		tok, err := r.dec.RawToken()
		if err == io.EOF {
			return nil, io.ErrUnexpectedEOF // the input ended inside an element
		}
		if err != nil {
			return nil, r.readError(err)
		}
		top := stack[len(stack)-1]
		switch t := tok.(type) {
		case xml.StartElement:
			child, err := r.open(t)
			if err != nil {
				return nil, err
			}
			top.Nodes = append(top.Nodes, child)
			stack = append(stack, child)
			tags = append(tags, t.Name)
		case xml.EndElement:
			if err := r.close(t, tags[len(tags)-1]); err != nil {
				return nil, err
			}
			stack = stack[:len(stack)-1]
			tags = tags[:len(tags)-1]
		case xml.CharData:
			top.Nodes = appendText(top.Nodes, t)
		default:
			return nil, restricted(tok)
		}
	}
	return root, nil
}

func (r *Reader) open(t xml.StartElement) (*stanza.Element, error) {
	name, attrs, err := r.ns.resolve(t, NotWellFormed)
	if err != nil {
		return nil, err
	}
	return &stanza.Element{Name: name, Attr: attrs}, nil
}

// close checks that an end tag repeats its start tag, prefix included,
// which RawToken leaves to its caller.
func (r *Reader) close(t xml.EndElement, open xml.Name) error {
	r.ns.pop()
	if t.Name != open {
		return errorf(NotWellFormed, "mismatched end tag </"+t.Name.Local+">")
	}
	return nil
}

// appendText adds character data, merging with a preceding text node
// (the decoder splits text around character references). An empty CDATA
// section adds nothing: it is no text node the writer could reproduce.
func appendText(nodes []*stanza.Element, data []byte) []*stanza.Element {
	if len(data) == 0 {
		return nodes
	}
	if n := len(nodes); n > 0 && nodes[n-1].IsText() {
		nodes[n-1].Text += string(data)
		return nodes
	}
	return append(nodes, &stanza.Element{Text: string(data)})
}

// restricted maps the tokens RFC 6120 §11.1 forbids to restricted-xml.
func restricted(tok xml.Token) error {
	switch tok.(type) {
	case xml.Comment:
		return errorf(RestrictedXML, "comments are not allowed")
	case xml.ProcInst:
		return errorf(RestrictedXML, "processing instructions are not allowed")
	case xml.Directive:
		return errorf(RestrictedXML, "DTDs and entity declarations are not allowed")
	}
	return errorf(NotWellFormed, "unexpected token")
}

// readError classifies what the decoder or the connection reported.
func (r *Reader) readError(err error) error {
	var se *xml.SyntaxError
	switch {
	case errors.Is(err, errOverBudget):
		return errorf(PolicyViolation, "stanza larger than the server's limit")
	case errors.As(err, &se):
		if strings.Contains(se.Msg, "unexpected EOF") {
			return io.ErrUnexpectedEOF
		}
		return errorf(NotWellFormed, se.Msg)
	case strings.Contains(err.Error(), "xml: encoding"):
		return errorf(UnsupportedEncoding, "only UTF-8 is supported")
	case strings.HasPrefix(err.Error(), "xml: unsupported version"):
		// RFC 6120 §11.8: XMPP is defined on XML 1.0 only.
		return errorf(NotWellFormed, "only XML 1.0 is supported")
	}
	return err
}
