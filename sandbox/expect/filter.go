package expect

import (
	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stream"
	"github.com/xmppsandbox/xmppsandbox/sandbox/trace"
)

// Filter says which stanza to wait for. Every field left empty matches
// anything; every field set must match.
type Filter struct {
	Dir   string // "in": read from a client; "out": written to a client
	From  string // a JID; a bare JID also matches its full JIDs
	To    string // likewise
	Kind  string // the element's name: message, presence, iq, or another
	Type  string // the type attribute; see typeMatches for the defaults
	Match string // a Path into the stanza, as ParsePath reads it
	Body  string // the exact text of one of the stanza's <body/> children
}

// Matcher is a Filter made ready to test events against.
type Matcher struct {
	criteria []criterion
}

// criterion is one condition of a filter. miss returns "" when the event
// meets it, and otherwise says, in a few words, why not.
type criterion func(e *event) string

// event is a trace event whose XML is parsed once, and only when a
// criterion needs its contents.
type event struct {
	trace.Event
	el     *stanza.Element
	parsed bool
}

// element returns the parsed stanza, or nil if the XML does not parse on
// its own (a fragment, or one using a prefix its stream declared).
func (e *event) element() *stanza.Element {
	if !e.parsed {
		e.el, _ = stream.Parse(e.XML, len(e.XML)+1)
		e.parsed = true
	}
	return e.el
}

// Compile checks f and prepares it. Names without a domain take domain,
// the served one.
func Compile(f Filter, domain string) (*Matcher, error) {
	m := &Matcher{}
	steps := []func(Filter, string) (criterion, error){dirCriterion, fromCriterion, toCriterion, kindCriterion, typeCriterion, matchCriterion, bodyCriterion}
	for _, step := range steps {
		c, err := step(f, domain)
		if err != nil {
			return nil, err
		}
		if c != nil {
			m.criteria = append(m.criteria, c)
		}
	}
	return m, nil
}

// Check returns why e does not match, one entry per unmet criterion; none
// means it matches.
func (m *Matcher) Check(e trace.Event) []string {
	return m.check(&event{Event: e})
}

// Match reports whether e meets every criterion.
func (m *Matcher) Match(e trace.Event) bool { return len(m.Check(e)) == 0 }

// Criteria returns how many criteria the filter sets.
func (m *Matcher) Criteria() int { return len(m.criteria) }

func (m *Matcher) check(e *event) []string {
	var missed []string
	for _, c := range m.criteria {
		if why := c(e); why != "" {
			missed = append(missed, why)
		}
	}
	return missed
}
