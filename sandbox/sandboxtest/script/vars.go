package script

import (
	"encoding/xml"
	"errors"
	"strings"
)

// A reference names one of scansion's two variables, ${Name's JID} (the
// bare JID) and ${Name's full JID}.
type reference struct {
	client string
	full   bool
}

// Suffixes of the variable names, after the client's name.
const (
	fullSuffix = "'s full JID"
	bareSuffix = "'s JID"
)

// varError is a bad variable at offset in a text.
type varError struct {
	offset int
	msg    string
}

func (e *varError) Error() string { return e.msg }

// expand replaces every ${...} in text with the JID value returns, escaped
// for XML: scansion substitutes before parsing, so a value may stand in
// any attribute or text.
func expand(text string, value func(reference) (string, error)) (string, error) {
	var b strings.Builder
	for {
		start := strings.Index(text, "${")
		if start < 0 {
			b.WriteString(text)
			return b.String(), nil
		}
		end := strings.Index(text[start:], "}")
		if end < 0 {
			return "", &varError{start, "unclosed ${"}
		}
		ref, err := parseReference(text[start+2 : start+end])
		if err != nil {
			return "", &varError{start, err.Error()}
		}
		v, err := value(ref)
		if err != nil {
			return "", &varError{start, err.Error()}
		}
		b.WriteString(text[:start])
		xml.EscapeText(&b, []byte(v))
		text = text[start+end+1:]
	}
}

func parseReference(name string) (reference, error) {
	if c, ok := strings.CutSuffix(name, fullSuffix); ok {
		return reference{client: c, full: true}, nil
	}
	if c, ok := strings.CutSuffix(name, bareSuffix); ok {
		return reference{client: c}, nil
	}
	return reference{}, errors.New("unknown variable ${" + name + "}: want ${Name's JID} or ${Name's full JID}")
}

// lineOf returns the line, counted from first, of offset in text.
func lineOf(text string, offset, first int) int {
	return first + strings.Count(text[:offset], "\n")
}
