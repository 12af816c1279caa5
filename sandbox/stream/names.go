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
// drops the declarations, which the writer derives again. An unbound
// prefix is reported with the condition unbound (bad-namespace-prefix on
// the stream header, RFC 6120 §4.9.3.2).
func (s *scopes) resolve(t xml.StartElement, unbound string) (xml.Name, []xml.Attr, error) {
	s.push(t.Attr)
	if hasDuplicate(t.Attr) {
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
	if hasDuplicate(attrs) {
		// Namespaces in XML §6.3: two prefixes bound to one URI still
		// name the same attribute.
		return xml.Name{}, nil, errorf(NotWellFormed, "duplicate attribute")
	}
	return name, attrs, nil
}

// hasDuplicate reports whether two attributes share a name, which XML 1.0
// §3.1 (Unique Att Spec) forbids. Elements carry few attributes, so pairs
// are compared directly unless there are many.
func hasDuplicate(attrs []xml.Attr) bool {
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
