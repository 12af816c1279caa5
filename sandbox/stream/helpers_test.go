package stream

import (
	"encoding/xml"
	"errors"
	"strings"
	"testing"

	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
)

// clientHeader is a well-formed client stream header as RFC 6120 §4.7
// shows it.
const clientHeader = `<?xml version='1.0'?><stream:stream to='localhost' version='1.0' xml:lang='en' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>`

// openStream returns a reader positioned after clientHeader, with body
// as the rest of the stream.
func openStream(t testing.TB, body string, maxStanza int) *Reader {
	t.Helper()
	r := NewReader(strings.NewReader(clientHeader+body), maxStanza)
	if _, err := r.Header(); err != nil {
		t.Fatalf("header: %v", err)
	}
	return r
}

// condition names what err is: the stream error condition for an *Error,
// otherwise the error's text, so a table can expect either.
func condition(err error) string {
	var se *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &se):
		return se.Condition
	}
	return err.Error()
}

// sameTree reports whether two element trees are equal, treating nil and
// empty attribute or child lists alike.
func sameTree(a, b *stanza.Element) bool {
	if a.Name != b.Name || a.Text != b.Text || len(a.Attr) != len(b.Attr) || len(a.Nodes) != len(b.Nodes) {
		return false
	}
	for i := range a.Attr {
		if a.Attr[i] != b.Attr[i] {
			return false
		}
	}
	for i := range a.Nodes {
		if !sameTree(a.Nodes[i], b.Nodes[i]) {
			return false
		}
	}
	return true
}

// el builds an element in namespace space; attrs are name, value pairs.
func el(space, local string, attrs ...string) *stanza.Element {
	return stanza.New(space, local, attrs...)
}

// text is a character-data node.
func text(s string) *stanza.Element { return &stanza.Element{Text: s} }

// attr builds an attribute in namespace space.
func attr(space, local, value string) xml.Attr {
	return xml.Attr{Name: xml.Name{Space: space, Local: local}, Value: value}
}
