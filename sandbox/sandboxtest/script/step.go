package script

import (
	"strings"
)

// step reads an action line, "Name verb" with an optional colon, and the
// XML that belongs to it, inline after the verb or indented below.
func (p *parser) step(line string, n int) error {
	c, rest := p.speaker(line)
	if c == nil {
		return p.errorf(n, "%q is neither a declaration nor a step of a declared client", line)
	}
	rest = strings.TrimSpace(rest)
	verb := rest[:len(rest)-len(strings.TrimLeft(rest, "abcdefghijklmnopqrstuvwxyz"))]
	inline := strings.TrimSpace(strings.TrimPrefix(rest[len(verb):], ":"))
	action, ok := parseAction(verb)
	if !ok {
		return p.errorf(n, "unknown action %q of %s: want connects, disconnects, sends or receives", verb, c.Name)
	}
	p.inSteps = true
	st := Step{Line: n, Client: c, Action: action}
	text, first := p.block()
	if err := p.payload(&st, inline, text, first); err != nil {
		return err
	}
	p.s.Steps = append(p.s.Steps, st)
	return nil
}

// speaker finds the declared client whose name starts line.
func (p *parser) speaker(line string) (*Client, string) {
	for _, c := range p.byLen {
		if rest, ok := strings.CutPrefix(line, c.Name); ok && strings.HasPrefix(rest, " ") {
			return c, rest
		}
	}
	return nil, ""
}

func parseAction(verb string) (Action, bool) {
	for a := Connect; a <= Receive; a++ {
		if a.String() == verb {
			return a, true
		}
	}
	return 0, false
}

// payload checks and stores what follows an action: nothing for connects
// and disconnects, one stanza for sends, one stanza or "nothing" for
// receives.
func (p *parser) payload(st *Step, inline, block string, first int) error {
	hasBlock := strings.TrimSpace(block) != ""
	name := st.Client.Name
	switch {
	case st.Action == Connect || st.Action == Disconnect:
		if inline != "" || hasBlock {
			return p.errorf(st.Line, "%s %s takes no XML", name, st.Action)
		}
		return nil
	case inline != "" && hasBlock:
		return p.errorf(st.Line, "%s %s: XML both on the line and below it", name, st.Action)
	case st.Action == Receive && inline == "nothing":
		st.Nothing = true
		return nil
	case inline != "":
		st.XML, first = inline, st.Line
	case hasBlock:
		st.XML = block
	default:
		return p.errorf(st.Line, "%s %s: no XML follows", name, st.Action)
	}
	return p.checkXML(st, first)
}
