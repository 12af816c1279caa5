package stream

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
)

// fuzzLimit keeps fuzzed stanzas small, so that the size limit is often
// hit too.
const fuzzLimit = 4096

// FuzzReader feeds arbitrary bytes after a valid stream header. The
// reader must not panic or hang, must report every problem as a stream
// error or an end of input, and every element it returns must survive a
// trip through the writer and back. The seed corpus is in
// testdata/fuzz/FuzzReader.
func FuzzReader(f *testing.F) {
	f.Add([]byte(`<message to='romeo@localhost' id='m1'><body>hi</body></message></stream:stream>`))
	f.Add([]byte(billionLaughs()))
	f.Fuzz(func(t *testing.T, data []byte) {
		done := make(chan struct{})
		go func() {
			defer close(done)
			readAll(t, data)
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("the reader hung on %q", data)
		}
	})
}

// readAll reads the stream after clientHeader to its end, checking each
// element and the error that ends it.
func readAll(t *testing.T, data []byte) {
	in := append([]byte(clientHeader), data...)
	r := NewReader(bytes.NewReader(in), fuzzLimit)
	if _, err := r.Header(); err != nil {
		t.Errorf("valid header refused: %v", err)
		return
	}
	for {
		el, err := r.Next()
		if err != nil {
			checkEnd(t, err)
			return
		}
		checkRoundTrip(t, el)
	}
}

// checkEnd accepts the errors c2s knows how to handle: a stream error to
// send, the end of the input, or the peer's </stream:stream>.
func checkEnd(t *testing.T, err error) {
	var se *Error
	switch {
	case errors.As(err, &se):
		if se.Condition == "" {
			t.Errorf("stream error without a condition: %v", err)
		}
	case err == io.EOF, err == io.ErrUnexpectedEOF, err == ErrClosed:
	default:
		t.Errorf("unexpected error %T: %v", err, err)
	}
}

// checkRoundTrip writes el as c2s does and reads it back.
func checkRoundTrip(t *testing.T, el *stanza.Element) {
	if streamAttrs(el) {
		return // known writer limitation, see TestStreamElementAttributesRoundTrip
	}
	out := el.AppendXML(nil, stanza.NSClient)
	back, err := reread(string(out), hasStreamElement(el))
	if err != nil {
		t.Errorf("cannot read back %q: %v\nelement: %s", out, err, dump(el))
		return
	}
	if !sameTree(el, back) {
		t.Errorf("round trip changed the element\nbefore %s\nafter  %s\nwire   %q", dump(el), dump(back), out)
	}
}

// reread parses written XML. Stream-level elements are written with the
// stream: prefix the stream header binds, so they are read back in a
// stream; anything else must stand alone for Parse.
func reread(xmlText string, inStream bool) (*stanza.Element, error) {
	if !inStream {
		return Parse(xmlText, 0)
	}
	r := NewReader(bytes.NewReader([]byte(clientHeader+xmlText)), 0)
	if _, err := r.Header(); err != nil {
		return nil, err
	}
	return r.Next()
}

func hasStreamElement(e *stanza.Element) bool {
	if e.Name.Space == stanza.NSStream {
		return true
	}
	for _, c := range e.Nodes {
		if hasStreamElement(c) {
			return true
		}
	}
	return false
}

// streamAttrs reports whether a stream-level element in the tree carries
// an attribute in a namespace.
func streamAttrs(e *stanza.Element) bool {
	if e.Name.Space == stanza.NSStream {
		for _, a := range e.Attr {
			if a.Name.Space != "" {
				return true
			}
		}
	}
	for _, c := range e.Nodes {
		if streamAttrs(c) {
			return true
		}
	}
	return false
}
