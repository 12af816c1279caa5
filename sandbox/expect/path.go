// Package expect decides whether a stanza recorded in the trace is the one
// a test waits for: a filter on its direction, addresses, kind and type,
// plus a small XPath-like path into its payload, and the wait itself,
// which looks at what the trace kept and then at what passes next.
package expect

import (
	"strings"

	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
)

// Path selects elements of a stanza, such as
// query[@xmlns='jabber:iq:roster']/item[@subscription='both']. Its steps
// start at the stanza's children, or at the stanza itself when Anchored
// (the path was written with a leading '/'). A path matches a stanza
// when at least one chain of elements satisfies every step.
type Path struct {
	Anchored bool
	Steps    []Step
}

// Step is one level of a path: an element's local name, or "*" for any,
// and the predicates the element must satisfy.
type Step struct {
	Name  string
	Preds []Pred
}

// PredKind says what a predicate tests.
type PredKind int

// The predicates a step can carry.
const (
	AttrEquals  PredKind = iota // [@name='value']
	AttrExists                  // [@name]
	InNamespace                 // [@xmlns='uri']: the element's namespace
	TextEquals                  // [text()='value']: its character data
)

// Pred is one bracketed condition of a step.
type Pred struct {
	Kind  PredKind
	Attr  string // the attribute name, for AttrEquals and AttrExists
	Value string
}

// Match reports whether some chain of elements from el satisfies p.
func (p Path) Match(el *stanza.Element) bool {
	if len(p.Steps) == 0 || el == nil {
		return false
	}
	if p.Anchored {
		return p.Steps[0].matches(el) && matchBelow(el, p.Steps[1:])
	}
	return matchBelow(el, p.Steps)
}

// matchBelow reports whether a chain of el's descendants, one level per
// step, satisfies steps. Each element is only ever tried against the step
// of its own depth, so the work is linear in the size of the stanza.
func matchBelow(el *stanza.Element, steps []Step) bool {
	if len(steps) == 0 {
		return true
	}
	for _, c := range el.Elements() {
		if steps[0].matches(c) && matchBelow(c, steps[1:]) {
			return true
		}
	}
	return false
}

// matches reports whether el has the step's name and satisfies all of its
// predicates.
func (s Step) matches(el *stanza.Element) bool {
	if s.Name != "*" && s.Name != el.Name.Local {
		return false
	}
	for _, p := range s.Preds {
		if !p.matches(el) {
			return false
		}
	}
	return true
}

// matches reports whether el satisfies the predicate.
func (p Pred) matches(el *stanza.Element) bool {
	switch p.Kind {
	case InNamespace:
		return el.Name.Space == p.Value
	case TextEquals:
		return el.Content() == p.Value
	}
	value, ok := attr(el, p.Attr)
	if p.Kind == AttrExists {
		return ok
	}
	return ok && value == p.Value
}

// attr looks up an unqualified attribute, or xml:lang, whose namespace
// the stream reader resolves to the XML namespace (XML 1.0 §2.12).
func attr(el *stanza.Element, name string) (string, bool) {
	space, local := "", name
	if rest, ok := strings.CutPrefix(name, "xml:"); ok {
		space, local = stanza.NSXML, rest
	}
	for _, a := range el.Attr {
		if a.Name.Local == local && a.Name.Space == space {
			return a.Value, true
		}
	}
	return "", false
}

// String writes the path back in the syntax ParsePath reads.
func (p Path) String() string {
	var b strings.Builder
	for i, s := range p.Steps {
		if i > 0 || p.Anchored {
			b.WriteByte('/')
		}
		b.WriteString(s.Name)
		for _, pr := range s.Preds {
			b.WriteString(pr.String())
		}
	}
	return b.String()
}

// String writes the predicate in brackets.
func (p Pred) String() string {
	switch p.Kind {
	case AttrExists:
		return "[@" + p.Attr + "]"
	case InNamespace:
		return "[@xmlns=" + quote(p.Value) + "]"
	case TextEquals:
		return "[text()=" + quote(p.Value) + "]"
	}
	return "[@" + p.Attr + "=" + quote(p.Value) + "]"
}

// quote encloses s in single quotes, or in double quotes when it holds a
// single one; the syntax has no escapes, as in XPath 1.0 literals.
func quote(s string) string {
	if strings.Contains(s, "'") {
		return `"` + s + `"`
	}
	return "'" + s + "'"
}
