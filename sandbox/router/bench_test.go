package router_test

import (
	"testing"

	"mellium.im/xmpp/jid"

	"github.com/xmppsandbox/xmppsandbox/sandbox/router"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stream"
)

// sink is a connection that serialises what it is sent, as a session's
// writer does, and keeps nothing.
type sink struct{ buf []byte }

func (s *sink) Send(el *stanza.Element) { s.buf = el.AppendXML(s.buf[:0], stanza.NSClient) }
func (s *sink) Close(string, string)    {}

// BenchmarkRouteMessage measures the server's side of one chat message:
// parse, route to a bare JID by priority, and serialise for the writer.
// allocs/op is the allocations per routed message.
func BenchmarkRouteMessage(b *testing.B) {
	r := router.New("localhost")
	r.UserExists = func(string) bool { return true }
	to := jid.MustParse("admin@localhost/desk")
	sess := router.NewSession(to, &sink{})
	r.Register(sess)
	sess.SetPresence(stanza.New(stanza.NSClient, stanza.Presence), 0)
	from := jid.MustParse("mine@localhost/laptop")
	const text = `<message to='admin@localhost' type='chat' id='m1'><body>benchmark message of a typical size, some sixty bytes</body></message>`
	in := stream.NewReader(&repeat{head: streamHeader, body: text}, 0)
	if _, err := in.Header(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		el, err := in.Next()
		if err != nil {
			b.Fatal(err)
		}
		el.Set("from", from.String())
		r.Route(&router.Packet{From: from, To: to.Bare(), El: el})
	}
}

const streamHeader = `<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='localhost' version='1.0'>`

// repeat is an endless stream: a header, then body again and again, as a
// busy client's connection looks to the reader.
type repeat struct {
	head, body string
	off        int
	started    bool
}

func (r *repeat) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		src := r.body
		if !r.started {
			src = r.head
		}
		c := copy(p[n:], src[r.off:])
		n += c
		r.off += c
		if r.off == len(src) {
			r.off, r.started = 0, true
		}
	}
	return n, nil
}
