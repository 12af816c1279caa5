package script

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"
)

// Error is a problem at one line of a script.
type Error struct {
	Name string
	Line int
	Msg  string
}

// Error formats e as "name:line: msg".
func (e *Error) Error() string { return fmt.Sprintf("%s:%d: %s", e.Name, e.Line, e.Msg) }

// maxLine bounds one line of a script, far above anything a person writes.
const maxLine = 1 << 20

// Parse reads a script from r. name labels the script in errors and in
// failure messages; errors are *Error values carrying a line number.
func Parse(name string, r io.Reader) (*Script, error) {
	lines, err := readLines(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	p := &parser{s: &Script{Name: name}, lines: lines}
	if err := p.parse(); err != nil {
		return nil, err
	}
	return p.s, nil
}

func readLines(r io.Reader) ([]string, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, maxLine)
	var lines []string
	for sc.Scan() {
		lines = append(lines, strings.TrimRight(sc.Text(), "\r"))
	}
	return lines, sc.Err()
}

// parser walks the lines of one script; next is the index of the line
// to read, so a line's number is next once it has been taken.
type parser struct {
	s       *Script
	lines   []string
	next    int
	inSteps bool
	byLen   []*Client // clients, longest name first, for reading steps
}

func (p *parser) errorf(line int, format string, args ...any) error {
	return &Error{Name: p.s.Name, Line: line, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) parse() error {
	p.readTitle()
	for p.next < len(p.lines) {
		line := p.lines[p.next]
		p.next++
		if err := p.topLine(line, p.next); err != nil {
			return err
		}
	}
	if len(p.s.Steps) == 0 {
		return p.errorf(len(p.lines), "the script has no steps")
	}
	return nil
}

// readTitle takes the first line as the title when it is a comment;
// "##" lines are scansion's tags, not titles.
func (p *parser) readTitle() {
	if len(p.lines) > 0 && strings.HasPrefix(p.lines[0], "#") && !strings.HasPrefix(p.lines[0], "##") {
		p.s.Title = strings.TrimSpace(strings.TrimPrefix(p.lines[0], "#"))
	}
}

// topLine reads one line that is not inside a declaration or a step.
func (p *parser) topLine(line string, n int) error {
	switch {
	case strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#"):
		return nil
	case indented(line):
		return p.errorf(n, "indented line belongs to no client and no step")
	case strings.HasPrefix(line, "["):
		return p.declaration(line, n)
	case isSeparator(line):
		p.inSteps = true
		return nil
	}
	return p.step(line, n)
}

func indented(line string) bool { return line != "" && (line[0] == ' ' || line[0] == '\t') }

// isSeparator reports whether line is the row of dashes that ends the
// declarations.
func isSeparator(line string) bool {
	line = strings.TrimSpace(line)
	return len(line) >= 3 && strings.Trim(line, "-") == ""
}

// block takes the indented lines that follow, blank lines included, and
// returns them with the number of the first one; trailing blank lines are
// not part of it.
func (p *parser) block() (text string, first int) {
	start, end := p.next, p.next
	for i := p.next; i < len(p.lines); i++ {
		line := p.lines[i]
		if strings.TrimSpace(line) == "" {
			continue
		}
		if !indented(line) {
			break
		}
		end = i + 1
	}
	p.next = end
	return strings.Join(p.lines[start:end], "\n"), start + 1
}

// sortClients keeps byLen ordered so that a longer name is tried first:
// "Juliet's phone sends" must not be read as Juliet saying "'s phone".
func (p *parser) sortClients() {
	p.byLen = append(p.byLen[:0], p.s.Clients...)
	sort.SliceStable(p.byLen, func(i, j int) bool { return len(p.byLen[i].Name) > len(p.byLen[j].Name) })
}
