package expect

import (
	"fmt"
	"strconv"

	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
)

// dirCriterion checks which way the stanza went: "in" is what a client
// wrote, "out" what the server wrote to it.
func dirCriterion(f Filter, _ string) (criterion, error) {
	switch f.Dir {
	case "":
		return nil, nil
	case "in", "out":
	default:
		return nil, fmt.Errorf("dir must be in (from a client) or out (to a client), not %q", f.Dir)
	}
	return func(e *event) string {
		if e.Dir == f.Dir {
			return ""
		}
		return "dir: got " + e.Dir + ", want " + f.Dir
	}, nil
}

// fromCriterion checks the sender.
func fromCriterion(f Filter, domain string) (criterion, error) {
	return addressCriterion("from", f.From, domain, func(e *event) string { return e.From })
}

// toCriterion checks the recipient.
func toCriterion(f Filter, domain string) (criterion, error) {
	return addressCriterion("to", f.To, domain, func(e *event) string { return e.To })
}

// addressCriterion checks the address that field picks out against text.
func addressCriterion(name, text, domain string, field func(*event) string) (criterion, error) {
	if text == "" {
		return nil, nil
	}
	a, err := resolveAddress(name, text, domain)
	if err != nil {
		return nil, err
	}
	return func(e *event) string {
		if a.matches(field(e)) {
			return ""
		}
		return missAddress(name, a, field(e))
	}, nil
}

// kindCriterion checks the element's local name.
func kindCriterion(f Filter, _ string) (criterion, error) {
	if f.Kind == "" {
		return nil, nil
	}
	if !isName(f.Kind) {
		return nil, fmt.Errorf("kind %q is not an element name (message, presence, iq, …)", f.Kind)
	}
	return func(e *event) string {
		if e.Kind == f.Kind {
			return ""
		}
		return "kind: got " + e.Kind + ", want " + f.Kind
	}, nil
}

// isName reports whether s is an XML name without a prefix.
func isName(s string) bool {
	for i, r := range []rune(s) {
		if !isNameRune(r, i == 0) {
			return false
		}
	}
	return s != ""
}

// typeCriterion checks the type attribute.
func typeCriterion(f Filter, _ string) (criterion, error) {
	if f.Type == "" {
		return nil, nil
	}
	return func(e *event) string {
		if typeMatches(e.Kind, e.Type, f.Type) {
			return ""
		}
		return "type: got " + quoteOrNone(e.Type) + ", want " + strconv.Quote(f.Type)
	}, nil
}

// typeMatches compares a stanza's type with the wanted one, counting a
// missing type as its default: presence without one is available (RFC
// 6121 §4.7.1), a message without one is normal (RFC 6121 §5.2.2).
func typeMatches(kind, got, want string) bool {
	if got == want {
		return true
	}
	if got != "" {
		return false
	}
	return kind == stanza.Presence && want == "available" || kind == stanza.Message && want == "normal"
}

// matchCriterion checks a path into the stanza.
func matchCriterion(f Filter, _ string) (criterion, error) {
	if f.Match == "" {
		return nil, nil
	}
	p, err := ParsePath(f.Match)
	if err != nil {
		return nil, err
	}
	return func(e *event) string {
		if p.Match(e.element()) {
			return ""
		}
		return "match: no " + p.String()
	}, nil
}

// bodyCriterion checks the text of the stanza's bodies.
func bodyCriterion(f Filter, _ string) (criterion, error) {
	if f.Body == "" {
		return nil, nil
	}
	return func(e *event) string {
		bodies := bodiesOf(e.element())
		for _, b := range bodies {
			if b == f.Body {
				return ""
			}
		}
		if len(bodies) == 0 {
			return "body: none, want " + strconv.Quote(f.Body)
		}
		return "body: got " + strconv.Quote(bodies[0]) + ", want " + strconv.Quote(f.Body)
	}, nil
}

// bodiesOf returns the text of each <body/> of a stanza; a message may
// carry one per language (RFC 6121 §5.2.3).
func bodiesOf(el *stanza.Element) []string {
	if el == nil {
		return nil
	}
	var out []string
	for _, c := range el.Elements() {
		if c.Name.Local == "body" && c.Name.Space == el.Name.Space {
			out = append(out, c.Content())
		}
	}
	return out
}

// quoteOrNone quotes s, or says "none" for an absent value.
func quoteOrNone(s string) string {
	if s == "" {
		return "none"
	}
	return strconv.Quote(s)
}
