package stream

import (
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
		if err == ErrClosed {
			err = errorf(NotWellFormed, "unexpected end tag")
		}
		return nil, err
	}
	return el, r.trailing()
}

// trailing checks that only whitespace follows a standalone element.
func (r *Reader) trailing() error {
	_, err := r.Next()
	if err == nil {
		return errorf(BadFormat, "more than one element")
	}
	if se, ok := err.(*Error); ok {
		return se
	}
	return nil
}
