package stream

import (
	"errors"
	"io"
	"strings"

	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
)

// Parse reads one standalone element, with the same restrictions as a
// stream: used for stored stanzas, WebSocket frames and injected XML.
// Elements without a namespace declaration are read as jabber:client.
func Parse(xmlText string, maxSize int) (*stanza.Element, error) {
	r := NewReader(strings.NewReader(xmlText), maxSize)
	r.opened = true
	r.ns.bindings = append(r.ns.bindings, binding{"", stanza.NSClient})
	el, err := r.Next()
	if err != nil {
		return nil, standalone(err)
	}
	return el, r.trailing()
}

// trailing checks that only whitespace follows a standalone element.
func (r *Reader) trailing() error {
	_, err := r.Next()
	switch {
	case err == nil:
		return errorf(BadFormat, "more than one element")
	case err == io.EOF:
		return nil
	}
	return standalone(err)
}

// standalone reports what would end a stream normally (its end, or input
// that stops mid-element) as not-well-formed: a standalone text must hold
// exactly one complete element.
func standalone(err error) error {
	if se, ok := err.(*Error); ok {
		return se
	}
	return errorf(NotWellFormed, "not one complete element")
}

// ParseAll reads a sequence of standalone elements, as an admin pastes
// them: each read as jabber:client unless it declares a namespace.
func ParseAll(xmlText string, maxSize int) ([]*stanza.Element, error) {
	r := NewReader(strings.NewReader(xmlText), maxSize)
	r.opened = true
	r.ns.bindings = append(r.ns.bindings, binding{"", stanza.NSClient})
	var out []*stanza.Element
	for {
		el, err := r.Next()
		switch {
		case err == nil:
			out = append(out, el)
		case errors.Is(err, io.EOF):
			return out, nil
		case err == ErrClosed:
			return nil, errorf(NotWellFormed, "unexpected end tag")
		default:
			return nil, err
		}
	}
}
