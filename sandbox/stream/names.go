package stream

import (
	"encoding/xml"

	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
)

// scopes resolves namespace prefixes as the decoder's raw tokens arrive.
// It is kept by hand instead of using xml.Decoder.Token so that an unbound
// prefix is an error rather than silently kept as a namespace name, and so
// no map is built per element.
type scopes struct {
	bindings []binding
	marks    []int
}

type binding struct{ prefix, uri string }

// push opens an element's scope with the declarations among its attributes.
func (s *scopes) push(attrs []xml.Attr) {
	s.marks = append(s.marks, len(s.bindings))
	for _, a := range attrs {
		switch {
		case a.Name.Space == "" && a.Name.Local == "xmlns":
			s.bindings = append(s.bindings, binding{"", a.Value})
		case a.Name.Space == "xmlns":
			s.bindings = append(s.bindings, binding{a.Name.Local, a.Value})
		}
	}
}

func (s *scopes) pop() {
	n := len(s.marks) - 1
	s.bindings = s.bindings[:s.marks[n]]
	s.marks = s.marks[:n]
}

func (s *scopes) lookup(prefix string) (string, bool) {
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
// drops the declarations, which the writer derives again.
func (s *scopes) resolve(t xml.StartElement) (xml.Name, []xml.Attr, error) {
	s.push(t.Attr)
	space, ok := s.lookup(t.Name.Space)
	if !ok {
		return xml.Name{}, nil, errorf(NotWellFormed, "unbound prefix "+t.Name.Space)
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
				return xml.Name{}, nil, errorf(NotWellFormed, "unbound prefix "+a.Name.Space)
			}
			a.Name.Space = uri
		}
		if attrs == nil {
			attrs = make([]xml.Attr, 0, len(t.Attr))
		}
		attrs = append(attrs, a)
	}
	return name, attrs, nil
}
