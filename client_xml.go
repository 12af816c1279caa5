package main

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// nsClient is the content namespace of client streams (RFC 6120 §4.8.3).
const nsClient = "jabber:client"

// stanzaChecker checks a text of stanzas, one token at a time, with the
// restrictions XMPP puts on XML (RFC 6120 §11): well-formed, namespace
// well-formed, and without comments, processing instructions or DTDs.
type stanzaChecker struct {
	d      *xml.Decoder
	open   []xml.Name        // elements not yet closed
	scopes []map[string]bool // prefixes declared by each open element
	count  int               // top-level stanzas seen
	body   int               // offset where the stanzas start
}

// checkStanzas checks text as one or more top-level stanzas, each with a
// well-formed from, and returns the text to send (without any XML
// declaration) and the number of stanzas.
func checkStanzas(text string) (string, int, error) {
	d := xml.NewDecoder(strings.NewReader(text))
	d.Strict = true
	c := &stanzaChecker{d: d}
	for {
		tok, err := d.RawToken()
		if errors.Is(err, io.EOF) {
			return text[c.body:], c.count, c.end()
		}
		if err != nil {
			return "", 0, fmt.Errorf("malformed XML: %v", err)
		}
		if err := c.token(xml.CopyToken(tok)); err != nil {
			line, _ := d.InputPos()
			var notStanza *stanzaProblem
			if errors.As(err, &notStanza) {
				return "", 0, fmt.Errorf("stanza at line %d: %v", line, notStanza.err)
			}
			return "", 0, fmt.Errorf("malformed XML at line %d: %v", line, err)
		}
	}
}

// token checks one token in its place.
func (c *stanzaChecker) token(tok xml.Token) error {
	switch t := tok.(type) {
	case xml.StartElement:
		return c.start(t)
	case xml.EndElement:
		return c.close(t)
	case xml.CharData:
		if len(c.open) == 0 && strings.TrimSpace(string(t)) != "" {
			return fmt.Errorf("text %q outside any stanza", oneLine(string(t), 40))
		}
	case xml.ProcInst:
		if t.Target == "xml" && c.count == 0 && len(c.open) == 0 && c.body == 0 {
			c.body = int(c.d.InputOffset())
			return nil
		}
		return errors.New("processing instructions are not allowed in XMPP (RFC 6120 §11.1)")
	case xml.Comment:
		return errors.New("comments are not allowed in XMPP (RFC 6120 §11.1)")
	case xml.Directive:
		return errors.New("DTDs and other directives are not allowed in XMPP (RFC 6120 §11.1)")
	}
	return nil
}

// start checks an opening tag: its prefixes, and if it is top-level, that
// it is a stanza from a well-formed address.
func (c *stanzaChecker) start(t xml.StartElement) error {
	scope := map[string]bool{}
	seen := map[xml.Name]bool{}
	for _, a := range t.Attr {
		if seen[a.Name] {
			// XML 1.0 §3.1, Unique Att Spec; encoding/xml does not check it.
			return fmt.Errorf("<%s> has the attribute %s twice", qname(t.Name), qname(a.Name))
		}
		seen[a.Name] = true
		if a.Name.Space == "xmlns" {
			scope[a.Name.Local] = true
		}
	}
	c.scopes = append(c.scopes, scope)
	c.open = append(c.open, t.Name)
	if err := c.declared(t); err != nil {
		return err
	}
	if len(c.open) == 1 {
		c.count++
		if err := checkTopLevel(t); err != nil {
			return &stanzaProblem{err}
		}
	}
	return nil
}

// stanzaProblem is well-formed XML that is not a stanza the sandbox can
// route as if its from had sent it.
type stanzaProblem struct{ err error }

// Error returns the problem's text.
func (p *stanzaProblem) Error() string { return p.err.Error() }

// declared checks that every prefix used by t is bound (Namespaces in
// XML 1.0 §5).
func (c *stanzaChecker) declared(t xml.StartElement) error {
	names := []xml.Name{t.Name}
	for _, a := range t.Attr {
		if a.Name.Space != "xmlns" {
			names = append(names, a.Name)
		}
	}
	for _, n := range names {
		if n.Space == "" || n.Space == "xml" {
			continue
		}
		if !slices.ContainsFunc(c.scopes, func(s map[string]bool) bool { return s[n.Space] }) {
			return fmt.Errorf("namespace prefix %q of <%s:%s> is not declared", n.Space, n.Space, n.Local)
		}
	}
	return nil
}

// close checks that an end tag closes the element open last.
func (c *stanzaChecker) close(t xml.EndElement) error {
	if len(c.open) == 0 {
		return fmt.Errorf("</%s> closes nothing", qname(t.Name))
	}
	top := c.open[len(c.open)-1]
	if top != t.Name {
		return fmt.Errorf("<%s> is closed by </%s>", qname(top), qname(t.Name))
	}
	c.open = c.open[:len(c.open)-1]
	c.scopes = c.scopes[:len(c.scopes)-1]
	return nil
}

// end checks the state at the end of the input.
func (c *stanzaChecker) end() error {
	if len(c.open) > 0 {
		return fmt.Errorf("malformed XML: <%s> is not closed", qname(c.open[len(c.open)-1]))
	}
	if c.count == 0 {
		return errors.New("no stanza in the input")
	}
	return nil
}

// checkTopLevel checks that t is a stanza in the client namespace with a
// well-formed from: the server routes it as if that entity had sent it.
func checkTopLevel(t xml.StartElement) error {
	if t.Name.Space != "" || !slices.Contains([]string{"message", "presence", "iq"}, t.Name.Local) {
		return fmt.Errorf("<%s> is not a stanza: want message, presence or iq (RFC 6120 §8)", qname(t.Name))
	}
	var from, to string
	for _, a := range t.Attr {
		switch {
		case a.Name == xml.Name{Local: "xmlns"} && a.Value != nsClient:
			return fmt.Errorf("<%s> is in namespace %q, want %q", t.Name.Local, a.Value, nsClient)
		case a.Name == xml.Name{Local: "from"}:
			from = a.Value
		case a.Name == xml.Name{Local: "to"}:
			to = a.Value
		}
	}
	if from == "" {
		return fmt.Errorf("<%s> has no from: the sandbox routes it as if from had sent it", t.Name.Local)
	}
	if err := checkJID("from", from); err != nil {
		return err
	}
	return checkOptionalJID("to", to)
}

// qname writes a raw name as it appears in the text.
func qname(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
}
