package web

import (
	"bytes"
	"errors"
	"testing"

	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stream"
)

// FuzzTranslate feeds arbitrary WebSocket frames to translate, which
// turns RFC 7395's <open/> and <close/> into the stream text the c2s
// machine reads. It must never panic; any other frame must pass through
// untouched; a valid <open/> must become a header the stream reader
// accepts with the same to, version and language, and <close/> the end of
// the stream. The seed corpus is in testdata/fuzz/FuzzTranslate.
func FuzzTranslate(f *testing.F) {
	f.Add([]byte(`<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' to='localhost' version='1.0'/>`))
	f.Add([]byte(`<open xmlns="urn:ietf:params:xml:ns:xmpp-framing" to="a&amp;b&apos;c" version="1.0" xml:lang="fr"/>`))
	f.Add([]byte(` <close xmlns='urn:ietf:params:xml:ns:xmpp-framing'/> `))
	f.Add([]byte(`<open to='localhost'/>`))
	f.Add([]byte(`<message to='a@b'><body>x</body></message>`))
	f.Add([]byte(`<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' to='x&#x9;&#xA;y'/>`))
	f.Fuzz(func(t *testing.T, frame []byte) {
		out := translate(frame)
		open, err := stream.Parse(string(bytes.TrimSpace(frame)), len(frame)+1)
		if err != nil || open.Name.Space != stanza.NSFraming || !(isOpen(frame) || isClose(frame)) {
			if !bytes.Equal(out, frame) {
				t.Fatalf("translate changed %q into %q", frame, out)
			}
			return
		}
		if open.Name.Local == "close" {
			if string(out) != "</stream:stream>" {
				t.Fatalf("translate(%q) = %q, want the stream's end", frame, out)
			}
			return
		}
		checkHeader(t, open, frame, out)
	})
}

func isOpen(frame []byte) bool {
	return bytes.HasPrefix(bytes.TrimSpace(frame), []byte("<open"))
}

func isClose(frame []byte) bool {
	return bytes.HasPrefix(bytes.TrimSpace(frame), []byte("<close"))
}

// checkHeader reads out as a stream header and compares it with open.
func checkHeader(t *testing.T, open *stanza.Element, frame, out []byte) {
	t.Helper()
	if open.Name.Local != "open" {
		if !bytes.Equal(out, frame) {
			t.Fatalf("translate took <%s/> for a framing element (RFC 7395 §3.3 has only <open/> and <close/>): %q became %q", open.Name.Local, frame, out)
		}
		return
	}
	h, err := stream.NewReader(bytes.NewReader(out), 0).Header()
	if err != nil {
		var se *stream.Error
		if errors.As(err, &se) {
			t.Fatalf("translate(%q) = %q, which the reader refuses: %v", frame, out, err)
		}
		t.Fatalf("translate(%q) = %q: %v", frame, out, err)
	}
	if h.To != open.Get("to") || h.Version != open.Get("version") || h.Lang != open.Lang() {
		t.Fatalf("translate(%q) = %q, read back as %+v", frame, out, h)
	}
}

// TestTranslateOnlyOpenAndClose holds the inputs FuzzTranslate broke:
// an element of the framing namespace whose name merely began with
// "open" or "close" opened or closed the stream. RFC 7395 §3.3 has only
// <open/> and <close/>; anything else must reach the stream reader
// unchanged, to be refused there.
func TestTranslateOnlyOpenAndClose(t *testing.T) {
	for _, frame := range []string{
		`<opened xmlns='urn:ietf:params:xml:ns:xmpp-framing' to='localhost' version='1.0'/>`,
		`<closet xmlns='urn:ietf:params:xml:ns:xmpp-framing'/>`,
	} {
		if out := translate([]byte(frame)); string(out) != frame {
			t.Errorf("translate(%q) = %q, want the frame unchanged", frame, out)
		}
	}
}
