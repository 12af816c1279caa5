package xclient

import (
	"strings"
	"testing"
)

// FuzzFrame feeds what a server might send to both framers of the load
// generator, Frame in chunks as an event loop receives them and Scanner
// as a stream: neither may panic, and they must agree on the elements and
// on how the stream ended.
func FuzzFrame(f *testing.F) {
	f.Add("<presence/><message to='a'><body>1</body></message>", uint8(3))
	f.Add(`<?xml version="1.0"?><stream:stream xmlns="jabber:client" version="1.0"><stream:features/>`, uint8(7))
	f.Add("<message><body><![CDATA[a<b>c]]></body></message><!---->x<presence/>", uint8(1))
	f.Add("<stream:error><conflict xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error></stream:stream>", uint8(5))
	f.Fuzz(func(t *testing.T, input string, chunk uint8) {
		size := max(int(chunk), 1)
		want, wantErr := scanAll(input)
		got, err := frameAll(input, size)
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Fatalf("in chunks of %d: %q, want %q", size, got, want)
		}
		// Where the input stops short, Frame waits for more and Scanner
		// meets its end: only an end the server wrote is compared.
		if err != nil && condition(err) != condition(wantErr) {
			t.Fatalf("in chunks of %d: end %v, want %v", size, err, wantErr)
		}
	})
}
