package stream

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
)

// Stanzas as clients send them, for the benchmarks.
const (
	chatMessage = `<message to='juliet@localhost/balcony' from='romeo@localhost/orchard' type='chat' id='ktx72v49' xml:lang='en'>` +
		`<body>Art thou not Romeo, and a Montague?</body><active xmlns='http://jabber.org/protocol/chatstates'/>` +
		`<request xmlns='urn:xmpp:receipts'/></message>`
	capsPresence = `<presence from='romeo@localhost/orchard' id='p1'><show>away</show><status>In the orchard</status>` +
		`<priority>5</priority><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='https://example.org/client' ver='QgayPKawpkPSDYmwT/WM94uAlu0='/></presence>`
)

// rosterResult is a roster result with n items.
func rosterResult(n int) string {
	var b strings.Builder
	b.WriteString(`<iq type='result' id='roster1' to='romeo@localhost/orchard'><query xmlns='jabber:iq:roster' ver='v42'>`)
	for i := range n {
		fmt.Fprintf(&b, `<item jid='contact%d@localhost' name='Contact %d' subscription='both'><group>Friends</group></item>`, i, i)
	}
	b.WriteString(`</query></iq>`)
	return b.String()
}

// oneAtATime yields the header, then the same stanza forever, never more
// than one stanza per Read: a client with one stanza in flight.
type oneAtATime struct {
	header, stanza []byte
	off            int
}

func (s *oneAtATime) Read(p []byte) (int, error) {
	if len(s.header) > 0 {
		n := copy(p, s.header)
		s.header = s.header[n:]
		return n, nil
	}
	n := copy(p, s.stanza[s.off:])
	s.off = (s.off + n) % len(s.stanza)
	return n, nil
}

type stanzaReader interface {
	Header() (Header, error)
	Next() (*stanza.Element, error)
}

func BenchmarkRead(b *testing.B) {
	inputs := []struct{ name, stanza string }{
		{"message", chatMessage},
		{"presence", capsPresence},
		{"roster500", rosterResult(500)},
	}
	readers := []struct {
		name string
		open func(io.Reader) stanzaReader
	}{
		{"oracle", func(r io.Reader) stanzaReader { return newOracleReader(r, 0) }},
		{"new", func(r io.Reader) stanzaReader { return NewReader(r, 0) }},
	}
	for _, in := range inputs {
		for _, rd := range readers {
			b.Run(in.name+"/"+rd.name, func(b *testing.B) {
				r := rd.open(&oneAtATime{header: []byte(clientHeader), stanza: []byte(in.stanza)})
				if _, err := r.Header(); err != nil {
					b.Fatal(err)
				}
				b.SetBytes(int64(len(in.stanza)))
				b.ReportAllocs()
				for b.Loop() {
					if _, err := r.Next(); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
