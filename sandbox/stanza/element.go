// Package stanza holds the XML element tree that travels through the server:
// one Element per stanza, built by the stream reader and written by the
// session writers, plus the helpers every stage needs (addresses, errors).
package stanza

import "encoding/xml"

// Element is one XML element with its attributes and children. Name.Space
// and each Attr's Name.Space hold namespace URIs, never prefixes; namespace
// declarations are not kept as attributes, since the writer derives them.
//
// A child whose Name.Local is empty is character data held in Text.
type Element struct {
	Name  xml.Name
	Attr  []xml.Attr
	Nodes []*Element
	Text  string

	shared *sharedContent // see ShareContent
}

// New returns an element in namespace space with the given attributes,
// given as name, value pairs.
func New(space, local string, attrs ...string) *Element {
	e := &Element{Name: xml.Name{Space: space, Local: local}}
	if len(attrs) > 0 {
		e.Attr = make([]xml.Attr, 0, len(attrs)/2)
	}
	for i := 0; i+1 < len(attrs); i += 2 {
		if attrs[i+1] != "" {
			e.Attr = append(e.Attr, xml.Attr{Name: xml.Name{Local: attrs[i]}, Value: attrs[i+1]})
		}
	}
	return e
}

// Get returns the value of the unqualified attribute local, or "".
func (e *Element) Get(local string) string {
	for _, a := range e.Attr {
		if a.Name.Local == local && a.Name.Space == "" {
			return a.Value
		}
	}
	return ""
}

// Has reports whether the unqualified attribute local is present.
func (e *Element) Has(local string) bool {
	for _, a := range e.Attr {
		if a.Name.Local == local && a.Name.Space == "" {
			return true
		}
	}
	return false
}

// Set sets the unqualified attribute local; an empty value removes it.
func (e *Element) Set(local, value string) *Element {
	for i, a := range e.Attr {
		if a.Name.Local == local && a.Name.Space == "" {
			if value == "" {
				e.Attr = append(e.Attr[:i], e.Attr[i+1:]...)
			} else {
				e.Attr[i].Value = value
			}
			return e
		}
	}
	if value != "" {
		e.Attr = append(e.Attr, xml.Attr{Name: xml.Name{Local: local}, Value: value})
	}
	return e
}

// Lang returns the xml:lang attribute of e.
func (e *Element) Lang() string {
	for _, a := range e.Attr {
		if a.Name.Local == "lang" && a.Name.Space == NSXML {
			return a.Value
		}
	}
	return ""
}

// Append adds children and returns e, so trees can be built in one expression.
func (e *Element) Append(children ...*Element) *Element {
	e.Nodes = append(e.Nodes, children...)
	return e
}

// AppendText adds character data.
func (e *Element) AppendText(text string) *Element {
	if text != "" {
		e.Nodes = append(e.Nodes, &Element{Text: text})
	}
	return e
}

// IsText reports whether e is a character-data node.
func (e *Element) IsText() bool { return e.Name.Local == "" }

// Child returns the first child element named local in namespace space
// (any namespace when space is "*"), or nil.
func (e *Element) Child(space, local string) *Element {
	for _, c := range e.Nodes {
		if c.Name.Local == local && (space == "*" || c.Name.Space == space) {
			return c
		}
	}
	return nil
}

// Elements returns the child elements of e, skipping character data.
func (e *Element) Elements() []*Element {
	var out []*Element
	for _, c := range e.Nodes {
		if !c.IsText() {
			out = append(out, c)
		}
	}
	return out
}

// FirstElement returns the first child element, or nil.
func (e *Element) FirstElement() *Element {
	for _, c := range e.Nodes {
		if !c.IsText() {
			return c
		}
	}
	return nil
}

// Content returns the concatenated character data directly inside e.
func (e *Element) Content() string {
	if len(e.Nodes) == 1 && e.Nodes[0].IsText() {
		return e.Nodes[0].Text
	}
	var s string
	for _, c := range e.Nodes {
		if c.IsText() {
			s += c.Text
		}
	}
	return s
}

// ChildText returns the character data of the first child named local in
// e's own namespace, or "".
func (e *Element) ChildText(local string) string {
	if c := e.Child(e.Name.Space, local); c != nil {
		return c.Content()
	}
	return ""
}

// Copy returns a deep copy of e, so a stanza delivered to several sessions
// can be stamped per recipient without sharing state.
func (e *Element) Copy() *Element {
	c := &Element{Name: e.Name, Text: e.Text}
	if e.Attr != nil {
		c.Attr = append([]xml.Attr(nil), e.Attr...)
	}
	if e.Nodes != nil {
		c.Nodes = make([]*Element, len(e.Nodes))
		for i, n := range e.Nodes {
			c.Nodes[i] = n.Copy()
		}
	}
	return c
}

// ShallowCopy returns a copy of e that shares its children but not its
// attributes: enough to readdress a stanza for one more recipient.
func (e *Element) ShallowCopy() *Element {
	c := *e
	c.Attr = append([]xml.Attr(nil), e.Attr...)
	return &c
}
