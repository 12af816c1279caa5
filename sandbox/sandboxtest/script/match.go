package script

import (
	"encoding/xml"
	"fmt"
	"strings"

	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
)

// Any is the attribute value that matches any value, as long as the
// attribute is present.
const Any = "{scansion:any}"

// Mismatch explains why a received element does not match the expected
// one: Path locates the first difference, like "iq/query/item".
type Mismatch struct {
	Path   string
	Reason string
}

// Error formats m as "path: reason".
func (m *Mismatch) Error() string { return m.Path + ": " + m.Reason }

func mismatch(path, format string, args ...any) *Mismatch {
	return &Mismatch{Path: path, Reason: fmt.Sprintf(format, args...)}
}

// Match compares a received element with an expected one the way scansion
// does, returning nil or a *Mismatch. Names compare with their namespaces.
// Every expected attribute must be present with the same value, or any
// value when the expected one is Any; expected text, if any, must equal
// the received text (both trimmed); expected children must match received
// children in the same order, others may come between. An element marked
// scansion:strict='true' must also have no other attributes, children or
// text; the mark holds for its descendants until one says
// scansion:strict='false'.
func Match(want, got *stanza.Element) error {
	if m := match(want, got, false, want.Name.Local); m != nil {
		return m
	}
	return nil
}

func match(want, got *stanza.Element, strict bool, path string) *Mismatch {
	strict = strictness(want, strict)
	if want.Name != got.Name {
		return mismatch(path, "got element %s, want %s", qname(got.Name), qname(want.Name))
	}
	if m := matchAttrs(want, got, strict, path); m != nil {
		return m
	}
	if m := matchText(want, got, strict, path); m != nil {
		return m
	}
	if strict {
		return matchAllChildren(want, got, path)
	}
	return matchSomeChildren(want, got, path)
}

// strictness reads an element's scansion:strict mark, or inherits.
func strictness(el *stanza.Element, inherited bool) bool {
	for _, a := range el.Attr {
		if a.Name == (xml.Name{Space: NSScansion, Local: "strict"}) {
			return a.Value == "true" || a.Value == "1"
		}
	}
	return inherited
}

func matchAttrs(want, got *stanza.Element, strict bool, path string) *Mismatch {
	n := 0
	for _, a := range want.Attr {
		if a.Name.Space == NSScansion {
			continue
		}
		n++
		v, ok := attr(got, a.Name)
		switch {
		case !ok:
			return mismatch(path, "attribute %s is missing, want %q", qname(a.Name), a.Value)
		case a.Value != Any && v != a.Value:
			return mismatch(path, "attribute %s is %q, want %q", qname(a.Name), v, a.Value)
		}
	}
	if strict && len(got.Attr) != n {
		for _, a := range got.Attr {
			if _, ok := attr(want, a.Name); !ok {
				return mismatch(path, "unexpected attribute %s=%q (strict)", qname(a.Name), a.Value)
			}
		}
	}
	return nil
}

func attr(el *stanza.Element, name xml.Name) (string, bool) {
	for _, a := range el.Attr {
		if a.Name == name {
			return a.Value, true
		}
	}
	return "", false
}

func matchText(want, got *stanza.Element, strict bool, path string) *Mismatch {
	w, g := strings.TrimSpace(want.Content()), strings.TrimSpace(got.Content())
	if w != g && (w != "" || strict) {
		return mismatch(path, "text is %q, want %q", g, w)
	}
	return nil
}

// matchSomeChildren finds the expected children, in order, among the
// received ones. Taking the earliest match for each is enough: a later
// choice never leaves more room for the children that follow.
func matchSomeChildren(want, got *stanza.Element, path string) *Mismatch {
	have := got.Elements()
	i := 0
	for _, w := range want.Elements() {
		sub := path + "/" + w.Name.Local
		var near *Mismatch
		found := false
		for ; i < len(have) && !found; i++ {
			m := match(w, have[i], false, sub)
			found = m == nil
			if near == nil && have[i].Name == w.Name {
				near = m
			}
		}
		if found {
			continue
		}
		if near != nil {
			return near
		}
		return mismatch(path, "no child %s (in order after the ones matched before)", qname(w.Name))
	}
	return nil
}

// matchAllChildren pairs expected and received children one to one.
func matchAllChildren(want, got *stanza.Element, path string) *Mismatch {
	w, g := want.Elements(), got.Elements()
	for k := range max(len(w), len(g)) {
		switch {
		case k >= len(g):
			return mismatch(path, "child %s is missing (strict)", qname(w[k].Name))
		case k >= len(w):
			return mismatch(path, "unexpected child %s (strict)", qname(g[k].Name))
		}
		if m := match(w[k], g[k], true, fmt.Sprintf("%s/%s[%d]", path, w[k].Name.Local, k+1)); m != nil {
			return m
		}
	}
	return nil
}

// qname writes a name with its namespace, as {space}local.
func qname(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return "{" + n.Space + "}" + n.Local
}
