package presence_test

import (
	"runtime"
	"testing"

	"mellium.im/xmpp/jid"

	"github.com/xmppsandbox/xmppsandbox/sandbox/router"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
)

// sink serialises what it is sent, as a session's writer would.
type sink struct{ buf []byte }

func (s *sink) Send(el *stanza.Element) { s.buf = el.AppendXML(s.buf[:0], stanza.NSClient) }
func (s *sink) Close(string, string)    {}

// BenchmarkBroadcast measures the server's side of one presence change by
// a user with 1,000 online contacts at both: lists, routing and
// serialisation for every contact. B/delivered is the bytes allocated per
// delivered presence.
func BenchmarkBroadcast(b *testing.B) {
	const n = 1000
	w := newWorld(b, "hub", n, false, 1)
	r, m := w.r, w.m
	hub := router.NewSession(jid.MustParse("hub@localhost/r"), &sink{})
	r.Register(hub)
	hub.SetPresence(stanza.New(stanza.NSClient, stanza.Presence), 0)
	shows := []string{"away", "chat", "dnd", "xa"}
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		el := stanza.New(stanza.NSClient, stanza.Presence, "from", hub.Full)
		el.Append(stanza.New(stanza.NSClient, "show").AppendText(shows[i%len(shows)]))
		m.UserSend(hub, &router.Packet{From: hub.JID, To: hub.JID.Bare(), El: el, Sender: hub})
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N*n), "B/delivered")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6, "ms/broadcast")
}
