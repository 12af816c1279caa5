package stream

import (
	"bytes"
	"encoding/xml"

	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
)

// scopes resolves namespace prefixes as start tags arrive. An unbound
// prefix is an error rather than silently kept as a namespace name, and
// no map is built per element.
type scopes struct {
	bindings []binding
	marks    []int
}

type binding struct{ prefix, uri string }

// push opens an element's scope with the declarations among its attributes.
func (s *scopes) push(w []byte, attrs []rawAttr) {
	s.marks = append(s.marks, len(s.bindings))
	for _, a := range attrs {
		if isDeclaration(w, a.name) {
			s.bindings = append(s.bindings, binding{declaredPrefix(w, a.name), a.value})
		}
	}
}

func (s *scopes) pop() {
	n := len(s.marks) - 1
	s.bindings = s.bindings[:s.marks[n]]
	s.marks = s.marks[:n]
}

func (s *scopes) lookup(prefix []byte) (string, bool) {
	if string(prefix) == "xml" {
		return stanza.NSXML, true
	}
	for i := len(s.bindings) - 1; i >= 0; i-- {
		if s.bindings[i].prefix == string(prefix) {
			return s.bindings[i].uri, true
		}
	}
	return "", len(prefix) == 0
}

// isDeclaration reports whether an attribute name is xmlns or xmlns:p.
func isDeclaration(w []byte, q qname) bool {
	if q.colon < 0 {
		return string(q.raw(w)) == "xmlns"
	}
	return string(q.prefix(w)) == "xmlns"
}

// declaredPrefix is the prefix a declaration binds ("" for xmlns).
func declaredPrefix(w []byte, q qname) string {
	if q.colon < 0 {
		return ""
	}
	return intern(q.local(w))
}

// resolve builds the element a start tag opens, with namespace URIs in
// place of prefixes, and drops the declarations, which the writer
// derives again. An unbound prefix is reported with the condition unbound
// (bad-namespace-prefix on the stream header, RFC 6120 §4.9.3.2).
func (r *Reader) resolve(name qname, unbound string) (*stanza.Element, error) {
	w := r.window()
	r.ns.push(w, r.attrs)
	if duplicateRaw(w, r.attrs) {
		return nil, errorf(NotWellFormed, "duplicate attribute")
	}
	space, ok := r.ns.lookup(name.prefix(w))
	if !ok {
		return nil, errorf(unbound, "unbound prefix "+string(name.prefix(w)))
	}
	attrs, err := r.resolveAttrs(w, unbound)
	if err != nil {
		return nil, err
	}
	return &stanza.Element{Name: xml.Name{Space: space, Local: intern(name.local(w))}, Attr: attrs}, nil
}

// resolveAttrs turns r.attrs, less the declarations, into attributes.
func (r *Reader) resolveAttrs(w []byte, unbound string) ([]xml.Attr, error) {
	n := 0
	for _, a := range r.attrs {
		if !isDeclaration(w, a.name) {
			n++
		}
	}
	if n == 0 {
		return nil, nil
	}
	attrs := make([]xml.Attr, 0, n)
	for _, a := range r.attrs {
		if isDeclaration(w, a.name) {
			continue
		}
		var space string
		if prefix := a.name.prefix(w); prefix != nil {
			uri, ok := r.ns.lookup(prefix)
			if !ok {
				return nil, errorf(unbound, "unbound prefix "+string(prefix))
			}
			space = uri
		}
		attrs = append(attrs, xml.Attr{Name: xml.Name{Space: space, Local: intern(a.name.local(w))}, Value: a.value})
	}
	if hasDuplicate(attrs) {
		// Namespaces in XML §6.3: two prefixes bound to one URI still
		// name the same attribute.
		return nil, errorf(NotWellFormed, "duplicate attribute")
	}
	return attrs, nil
}

// duplicateRaw reports whether two attributes are written with the same
// name, which XML 1.0 §3.1 (Unique Att Spec) forbids.
func duplicateRaw(w []byte, attrs []rawAttr) bool {
	if len(attrs) > 16 {
		seen := make(map[string]struct{}, len(attrs))
		for _, a := range attrs {
			k := string(a.name.raw(w))
			if _, dup := seen[k]; dup {
				return true
			}
			seen[k] = struct{}{}
		}
		return false
	}
	for i := 1; i < len(attrs); i++ {
		for j := range i {
			if bytes.Equal(attrs[i].name.raw(w), attrs[j].name.raw(w)) {
				return true
			}
		}
	}
	return false
}

// hasDuplicate reports whether two resolved attributes share a name.
// Elements carry few attributes, so pairs are compared directly unless
// there are many.
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
