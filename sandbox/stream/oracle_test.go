package stream

// The stream reader as it was before the hand-written tokenizer: an
// encoding/xml decoder over a byte-at-a-time budget reader. Kept only as
// the oracle the differential fuzz target compares the new reader with.

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"

	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
)

// oracleReader yields the elements of one stream. A new oracleReader is made for each
// stream restart (after STARTTLS and SASL), as RFC 6120 §4.3.3 requires.
type oracleReader struct {
	dec    *xml.Decoder
	budget *oracleBudget
	ns     oracleScopes
	opened bool
	root   xml.Name // the header's tag as written, which </stream:stream> must repeat
}

// newOracleReader reads a stream from r, refusing any stanza larger than
// maxStanza bytes.
func newOracleReader(r io.Reader, maxStanza int) *oracleReader {
	if maxStanza <= 0 {
		maxStanza = DefaultMaxStanza
	}
	b := newOracleBudget(r, maxStanza)
	d := xml.NewDecoder(b)
	d.Strict = true
	return &oracleReader{dec: d, budget: b}
}

// Header reads up to and including the stream header. Only an XML
// declaration and whitespace may come before it. Whitespace may precede
// the declaration too: a client's keepalive or newline sent at the end of
// the previous stream arrives just before a restarted stream's header.
func (r *oracleReader) Header() (Header, error) {
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
			return Header{}, oracleRestricted(tok)
		}
	}
}

// skipToMarkup consumes whitespace before the header and fails at once
// on any other text. The decoder would wait for the '<' that ends a text
// token, which a peer speaking another protocol (an HTTP request, say)
// never sends, and the connection would hang until the auth timeout.
func (r *oracleReader) skipToMarkup() error {
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

func (r *oracleReader) header(t xml.StartElement) (Header, error) {
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
func (r *oracleReader) Next() (*stanza.Element, error) {
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
			return nil, oracleRestricted(tok)
		}
	}
}

// element reads the rest of the element that t opens.
func (r *oracleReader) element(t xml.StartElement) (*stanza.Element, error) {
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
			top.Nodes = oracleAppendText(top.Nodes, t)
		default:
			return nil, oracleRestricted(tok)
		}
	}
	return root, nil
}

func (r *oracleReader) open(t xml.StartElement) (*stanza.Element, error) {
	name, attrs, err := r.ns.resolve(t, NotWellFormed)
	if err != nil {
		return nil, err
	}
	return &stanza.Element{Name: name, Attr: attrs}, nil
}

// close checks that an end tag repeats its start tag, prefix included,
// which RawToken leaves to its caller.
func (r *oracleReader) close(t xml.EndElement, open xml.Name) error {
	r.ns.pop()
	if t.Name != open {
		return errorf(NotWellFormed, "mismatched end tag </"+t.Name.Local+">")
	}
	return nil
}

// oracleAppendText adds character data, merging with a preceding text node
// (the decoder splits text around character references). An empty CDATA
// section adds nothing: it is no text node the writer could reproduce.
func oracleAppendText(nodes []*stanza.Element, data []byte) []*stanza.Element {
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
func oracleRestricted(tok xml.Token) error {
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
func (r *oracleReader) readError(err error) error {
	var se *xml.SyntaxError
	switch {
	case errors.Is(err, errOracleOverBudget):
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

// errOracleOverBudget is returned by oracleBudget once a stanza has used its
// byte allowance; the parser turns it into policy-violation.
var errOracleOverBudget = errors.New("stanza over size limit")

// oracleBudget hands the XML decoder bytes while the current stanza stays
// within its allowance, so an oversized stanza is refused while it is
// read, never buffered whole.
type oracleBudget struct {
	r      *bufio.Reader
	left   int
	max    int
	offset int64
}

func newOracleBudget(r io.Reader, max int) *oracleBudget {
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(r, 4096)
	}
	return &oracleBudget{r: br, left: max, max: max}
}

// reset gives the next stanza a fresh allowance.
func (b *oracleBudget) reset() { b.left = b.max }

func (b *oracleBudget) ReadByte() (byte, error) {
	if b.left <= 0 {
		return 0, errOracleOverBudget
	}
	c, err := b.r.ReadByte()
	if err == nil {
		b.left--
		b.offset++
	}
	return c, err
}

func (b *oracleBudget) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, errOracleOverBudget
	}
	if len(p) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= n
	b.offset += int64(n)
	return n, err
}

// oracleScopes resolves namespace prefixes as the decoder's raw tokens arrive.
// It is kept by hand instead of using xml.Decoder.Token so that an unbound
// prefix is an error rather than silently kept as a namespace name, and so
// no map is built per element.
type oracleScopes struct {
	bindings []oracleBinding
	marks    []int
}

type oracleBinding struct{ prefix, uri string }

// push opens an element's scope with the declarations among its attributes.
func (s *oracleScopes) push(attrs []xml.Attr) {
	s.marks = append(s.marks, len(s.bindings))
	for _, a := range attrs {
		switch {
		case a.Name.Space == "" && a.Name.Local == "xmlns":
			s.bindings = append(s.bindings, oracleBinding{"", a.Value})
		case a.Name.Space == "xmlns":
			s.bindings = append(s.bindings, oracleBinding{a.Name.Local, a.Value})
		}
	}
}

func (s *oracleScopes) pop() {
	n := len(s.marks) - 1
	s.bindings = s.bindings[:s.marks[n]]
	s.marks = s.marks[:n]
}

func (s *oracleScopes) lookup(prefix string) (string, bool) {
	if prefix == "xml" {
		return stanza.NSXML, true
	}
	for i := len(s.bindings) - 1; i >= 0; i-- {
		if s.bindings[i].prefix == prefix {
			return s.bindings[i].uri, true
		}
	}
	return "", prefix == ""
}

// resolve turns a raw start element into names with namespace URIs and
// drops the declarations, which the writer derives again. An unbound
// prefix is reported with the condition unbound (bad-namespace-prefix on
// the stream header, RFC 6120 §4.9.3.2).
func (s *oracleScopes) resolve(t xml.StartElement, unbound string) (xml.Name, []xml.Attr, error) {
	s.push(t.Attr)
	if oracleHasDuplicate(t.Attr) {
		return xml.Name{}, nil, errorf(NotWellFormed, "duplicate attribute")
	}
	space, ok := s.lookup(t.Name.Space)
	if !ok {
		return xml.Name{}, nil, errorf(unbound, "unbound prefix "+t.Name.Space)
	}
	name := xml.Name{Space: space, Local: t.Name.Local}
	var attrs []xml.Attr
	for _, a := range t.Attr {
		if a.Name.Local == "xmlns" && a.Name.Space == "" || a.Name.Space == "xmlns" {
			continue
		}
		if a.Name.Space != "" {
			uri, ok := s.lookup(a.Name.Space)
			if !ok {
				return xml.Name{}, nil, errorf(unbound, "unbound prefix "+a.Name.Space)
			}
			a.Name.Space = uri
		}
		if attrs == nil {
			attrs = make([]xml.Attr, 0, len(t.Attr))
		}
		attrs = append(attrs, a)
	}
	if oracleHasDuplicate(attrs) {
		// Namespaces in XML §6.3: two prefixes bound to one URI still
		// name the same attribute.
		return xml.Name{}, nil, errorf(NotWellFormed, "duplicate attribute")
	}
	return name, attrs, nil
}

// oracleHasDuplicate reports whether two attributes share a name, which XML 1.0
// §3.1 (Unique Att Spec) forbids. Elements carry few attributes, so pairs
// are compared directly unless there are many.
func oracleHasDuplicate(attrs []xml.Attr) bool {
	if len(attrs) > 16 {
		seen := make(map[xml.Name]struct{}, len(attrs))
		for _, a := range attrs {
			if _, dup := seen[a.Name]; dup {
				return true
			}
			seen[a.Name] = struct{}{}
		}
		return false
	}
	for i := 1; i < len(attrs); i++ {
		for j := range i {
			if attrs[i].Name == attrs[j].Name {
				return true
			}
		}
	}
	return false
}
