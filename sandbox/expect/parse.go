package expect

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxPathLen bounds the length of a path in bytes; a longer one is an
// error rather than work for the server.
const MaxPathLen = 2048

// PathError is a path that does not parse, with the 1-based character
// where the trouble is.
type PathError struct {
	Path string
	Pos  int
	Msg  string
}

// Error says where and what, in one line.
func (e *PathError) Error() string {
	return fmt.Sprintf("bad path %q at character %d: %s", e.Path, e.Pos, e.Msg)
}

// ParsePath reads a path such as body, /message/body,
// query[@xmlns='jabber:iq:roster']/item[@subscription='both'] or
// *[@xmlns='urn:xmpp:ping']. It is a small subset of XPath 1.0 (§2.1
// location steps on the child axis, §3.5 literals): no '//', no positions
// and no functions other than text().
func ParsePath(text string) (Path, error) {
	text = strings.TrimSpace(text)
	p := &pathParser{src: text}
	if len(text) > MaxPathLen {
		return Path{}, p.fail(fmt.Sprintf("longer than %d bytes", MaxPathLen))
	}
	if text == "" {
		return Path{}, p.fail("the path is empty")
	}
	return p.path()
}

// pathParser walks the text of a path, byte by byte.
type pathParser struct {
	src string
	pos int
}

// fail reports msg at the current position.
func (p *pathParser) fail(msg string) *PathError {
	return &PathError{Path: p.src, Pos: utf8.RuneCountInString(p.src[:p.pos]) + 1, Msg: msg}
}

// path reads the whole text: an optional leading '/', then steps
// separated by '/'.
func (p *pathParser) path() (Path, error) {
	var out Path
	out.Anchored = p.eat('/')
	for {
		if p.peek() == '/' {
			return Path{}, p.fail("'//' (any depth) is not supported: name every step")
		}
		step, err := p.step()
		if err != nil {
			return Path{}, err
		}
		out.Steps = append(out.Steps, step)
		if p.done() {
			return out, nil
		}
		if !p.eat('/') {
			return Path{}, p.fail("unexpected " + p.peekRune() + ": want '/' or '['")
		}
		if p.done() {
			return Path{}, p.fail("a step must follow '/'")
		}
	}
}

// step reads a name or '*' and its predicates.
func (p *pathParser) step() (Step, error) {
	var s Step
	if p.eat('*') {
		s.Name = "*"
	} else {
		name, err := p.name(false)
		if err != nil {
			return Step{}, err
		}
		s.Name = name
	}
	for p.eat('[') {
		pred, err := p.pred()
		if err != nil {
			return Step{}, err
		}
		s.Preds = append(s.Preds, pred)
	}
	return s, nil
}

// pred reads what follows '[' up to and including ']'.
func (p *pathParser) pred() (Pred, error) {
	p.space()
	var pred Pred
	var err error
	switch {
	case p.eat('@'):
		pred, err = p.attrPred()
	case strings.HasPrefix(p.src[p.pos:], "text()"):
		p.pos += len("text()")
		pred.Kind = TextEquals
		pred.Value, err = p.equalsLiteral()
	default:
		return Pred{}, p.fail("unsupported predicate: want [@attr='v'], [@attr], [@xmlns='ns'] or [text()='x']")
	}
	if err != nil {
		return Pred{}, err
	}
	p.space()
	if !p.eat(']') {
		return Pred{}, p.fail("missing ']'")
	}
	return pred, nil
}

// attrPred reads an attribute test after '@'.
func (p *pathParser) attrPred() (Pred, error) {
	name, err := p.name(true)
	if err != nil {
		return Pred{}, err
	}
	p.space()
	if p.peek() != '=' {
		if name == "xmlns" {
			return Pred{}, p.fail("[@xmlns] needs a value: [@xmlns='namespace']")
		}
		return Pred{Kind: AttrExists, Attr: name}, nil
	}
	value, err := p.equalsLiteral()
	if err != nil {
		return Pred{}, err
	}
	if name == "xmlns" {
		return Pred{Kind: InNamespace, Value: value}, nil
	}
	return Pred{Kind: AttrEquals, Attr: name, Value: value}, nil
}

// equalsLiteral reads '=' and a quoted value.
func (p *pathParser) equalsLiteral() (string, error) {
	p.space()
	if !p.eat('=') {
		return "", p.fail("missing '='")
	}
	p.space()
	q := p.peek()
	if q != '\'' && q != '"' {
		return "", p.fail("the value must be quoted, with ' or \"")
	}
	end := strings.IndexByte(p.src[p.pos+1:], q)
	if end < 0 {
		return "", p.fail("unterminated quoted value")
	}
	value := p.src[p.pos+1 : p.pos+1+end]
	p.pos += end + 2
	return value, nil
}

// name reads an XML name without a prefix; an attribute may carry the one
// prefix that needs no declaration, xml: (Namespaces in XML 1.0 §3).
func (p *pathParser) name(isAttr bool) (string, error) {
	start := p.pos
	if isAttr && strings.HasPrefix(p.src[p.pos:], "xml:") {
		p.pos += len("xml:")
	}
	local := p.pos
	for !p.done() {
		r, size := utf8.DecodeRuneInString(p.src[p.pos:])
		if r == utf8.RuneError || !isNameRune(r, p.pos == local) {
			break
		}
		p.pos += size
	}
	if p.pos == local {
		return "", p.fail("unexpected " + p.peekRune() + ": want a name")
	}
	if p.peek() == ':' {
		return "", p.fail("prefixes are not supported: match the namespace with [@xmlns='...']")
	}
	return p.src[start:p.pos], nil
}

// isNameRune approximates XML 1.0's NameStartChar and NameChar (§2.3),
// leaving out ':', which separates a prefix.
func isNameRune(r rune, first bool) bool {
	if r == '_' || unicode.IsLetter(r) {
		return true
	}
	if first {
		return false
	}
	return r == '-' || r == '.' || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r)
}

// done reports whether the whole text has been read.
func (p *pathParser) done() bool { return p.pos >= len(p.src) }

// peek returns the next byte, or 0 at the end.
func (p *pathParser) peek() byte {
	if p.done() {
		return 0
	}
	return p.src[p.pos]
}

// peekRune names the next character, quoted, for an error message.
func (p *pathParser) peekRune() string {
	if p.done() {
		return "end of path"
	}
	r, _ := utf8.DecodeRuneInString(p.src[p.pos:])
	return strconv.QuoteRune(r)
}

// eat consumes b if it comes next.
func (p *pathParser) eat(b byte) bool {
	if p.peek() == b && !p.done() {
		p.pos++
		return true
	}
	return false
}

// space skips blanks, allowed inside brackets around '='.
func (p *pathParser) space() {
	for p.peek() == ' ' || p.peek() == '\t' {
		p.pos++
	}
}
