package stream

import (
	"strings"
	"testing"
	"testing/iotest"
)

// A client that pipelines its restarted stream behind <auth/> must not
// lose it: the bytes read with the old stream belong to the new one.
func TestRestartKeepsPipelinedBytes(t *testing.T) {
	const auth = `<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGEAYg==</auth>`
	const bind = `<iq type='set' id='b'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></iq>`
	input := clientHeader + auth + clientHeader + bind
	for name, src := range map[string]func() *Reader{
		"whole":        func() *Reader { return NewReader(strings.NewReader(input), 0) },
		"byte by byte": func() *Reader { return NewReader(iotest.OneByteReader(strings.NewReader(input)), 0) },
	} {
		t.Run(name, func(t *testing.T) {
			r := src()
			if _, err := r.Header(); err != nil {
				t.Fatalf("first header: %v", err)
			}
			el, err := r.Next()
			if err != nil || el.Name.Local != "auth" {
				t.Fatalf("first element: %v, %v", el, err)
			}
			r.Restart()
			if _, err := r.Next(); condition(err) != BadFormat {
				t.Fatalf("Next before the new header: %v, want %s", err, BadFormat)
			}
			if _, err := r.Header(); err != nil {
				t.Fatalf("second header: %v", err)
			}
			el, err = r.Next()
			if err != nil || el.Name.Local != "iq" {
				t.Fatalf("element after restart: %v, %v", el, err)
			}
		})
	}
}

// A stream that already failed stays failed across a restart.
func TestRestartAfterFailure(t *testing.T) {
	r := openStream(t, `<message><!-- no --></message>`, 0)
	if _, err := r.Next(); condition(err) != RestrictedXML {
		t.Fatalf("Next: %v, want %s", err, RestrictedXML)
	}
	r.Restart()
	if _, err := r.Header(); condition(err) != RestrictedXML {
		t.Fatalf("Header after restart: %v, want the first failure", err)
	}
}
