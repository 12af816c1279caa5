package script

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stream"
)

// NSScansion is the namespace of the scansion: prefix, which scripts use
// without declaring it (scansion:strict).
const NSScansion = "https://matthewwild.co.uk/projects/scansion"

// xmlError is a problem at a line of an XML text.
type xmlError struct {
	line int
	msg  string
}

func (e *xmlError) Error() string { return e.msg }

// parseExpected reads one element as a script writes it: unprefixed
// names in jabber:client unless redeclared, and the scansion: prefix
// bound. The wrapper starts on the text's first line, so the decoder's
// line numbers are the text's.
func parseExpected(text string) (*stanza.Element, error) {
	wrapped := "<scansion-text xmlns='" + stanza.NSClient + "' xmlns:scansion='" + NSScansion + "'>" + text + "</scansion-text>"
	d := xml.NewDecoder(strings.NewReader(wrapped))
	d.Strict = true
	if _, err := d.Token(); err != nil {
		return nil, decodeError(d, err)
	}
	var root *stanza.Element
	for {
		tok, err := d.Token()
		if err != nil {
			return nil, decodeError(d, err)
		}
		switch t := tok.(type) {
		case xml.EndElement:
			if root == nil {
				return nil, &xmlError{1, "no element"}
			}
			return root, nil
		case xml.CharData:
			if strings.TrimSpace(string(t)) != "" {
				return nil, lineError(d, "text outside the element")
			}
		case xml.StartElement:
			if root != nil {
				return nil, lineError(d, "more than one element: a step sends or receives one stanza")
			}
			if root, err = readElement(d, t); err != nil {
				return nil, decodeError(d, err)
			}
		case xml.Directive:
			return nil, lineError(d, "directives are not allowed")
		}
	}
}

// readElement reads the rest of the element start opens.
func readElement(d *xml.Decoder, start xml.StartElement) (*stanza.Element, error) {
	el := element(start)
	for {
		tok, err := d.Token()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			child, err := readElement(d, t)
			if err != nil {
				return nil, err
			}
			el.Append(child)
		case xml.CharData:
			el.AppendText(string(t))
		case xml.EndElement:
			return el, nil
		}
	}
}

// element converts a start tag, dropping namespace declarations as
// stanza.Element does.
func element(t xml.StartElement) *stanza.Element {
	el := &stanza.Element{Name: t.Name}
	for _, a := range t.Attr {
		if a.Name.Space == "xmlns" || a.Name.Space == "" && a.Name.Local == "xmlns" {
			continue
		}
		el.Attr = append(el.Attr, a)
	}
	return el
}

func decodeError(d *xml.Decoder, err error) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return &xmlError{se.Line, strings.TrimPrefix(se.Msg, "XML syntax error: ")}
	}
	if err == io.EOF {
		return lineError(d, "unexpected end of XML")
	}
	return lineError(d, err.Error())
}

func lineError(d *xml.Decoder, msg string) error {
	line, _ := d.InputPos()
	return &xmlError{line, msg}
}

// checkXML verifies at parse time that a step's XML is usable: its
// variables name declared clients and, with stand-in JIDs, it is one
// well-formed element (for Send, one the client library will send).
func (p *parser) checkXML(st *Step, first int) error {
	text, err := expand(st.XML, p.standIn)
	if err != nil {
		var ve *varError
		errors.As(err, &ve)
		return p.errorf(lineOf(st.XML, ve.offset, first), "%s", ve.msg)
	}
	if _, err := parseExpected(text); err != nil {
		var xe *xmlError
		errors.As(err, &xe)
		return p.errorf(first+xe.line-1, "%s %s: %s", st.Client.Name, st.Action, xe.msg)
	}
	if st.Action == Send {
		if _, err := stream.Parse(text, 0); err != nil {
			return p.errorf(first, "%s sends: %v", st.Client.Name, err)
		}
	}
	return nil
}

// standIn gives a variable a plausible value while parsing: the real full
// JID may be chosen by the server only when the client connects.
func (p *parser) standIn(r reference) (string, error) {
	c := p.s.Client(r.client)
	if c == nil {
		return "", fmt.Errorf("no client is named %q", r.client)
	}
	j, err := parseJID(c.JID)
	if err != nil {
		return "", err
	}
	if !r.full {
		return j.Bare().String(), nil
	}
	resource := c.Resource
	if resource == "" {
		resource = "generated"
	}
	full, err := j.Bare().WithResource(resource)
	return full.String(), err
}
