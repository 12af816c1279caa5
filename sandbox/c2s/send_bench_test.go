package c2s

import (
	"io"
	"net"
	"strings"
	"testing"

	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
)

// BenchmarkSend measures a bound session's outgoing side over loopback
// TCP: "one-in-flight" waits for each stanza to reach the client before
// sending the next (the latency of a send), "burst" sends without
// waiting while the client reads (the cost per stanza).
func BenchmarkSend(b *testing.B) {
	el := stanza.New(stanza.NSClient, "message", "to", "juliet@localhost/balcony", "from", "romeo@localhost/orchard", "id", "m1").
		Append(stanza.New(stanza.NSClient, "body").AppendText(strings.Repeat("x", 100)))
	size := len(el.AppendXML(nil, stanza.NSClient))
	for _, mode := range sendModes {
		b.Run(mode.name+"/one-in-flight", func(b *testing.B) {
			q, client := benchQueue(b, mode.prepare)
			buf := make([]byte, size)
			b.ReportAllocs()
			for b.Loop() {
				q.send(el)
				if _, err := io.ReadFull(client, buf); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(mode.name+"/burst", func(b *testing.B) {
			q, client := benchQueue(b, mode.prepare)
			go io.Copy(io.Discard, client)
			b.ReportAllocs()
			for b.Loop() {
				q.send(el)
			}
		})
	}
}

// benchQueue returns the queue of a server end of loopback TCP, and the
// client end.
func benchQueue(b *testing.B, prepare func(*outQueue)) (*outQueue, net.Conn) {
	server, client := tcpPair(b)
	q := newOutQueue(server, tcpFraming{}, 1<<20, 1<<30, nil)
	prepare(q)
	b.Cleanup(func() { q.close(nil) })
	return q, client
}

// BenchmarkFanout sends one presence to 500 sessions and waits until
// every client has read it: the time until the last one has it.
func BenchmarkFanout(b *testing.B) {
	const fans = 500
	el := stanza.New(stanza.NSClient, "presence", "from", "hub@localhost/desk", "to", "fan@localhost").
		Append(stanza.New(stanza.NSClient, "show").AppendText("away"))
	size := len(el.AppendXML(nil, stanza.NSClient))
	for _, mode := range sendModes {
		b.Run(mode.name, func(b *testing.B) {
			queues := make([]*outQueue, fans)
			arrived := make(chan struct{}, fans)
			for i := range queues {
				q, client := benchQueue(b, mode.prepare)
				queues[i] = q
				go readEach(client, size, arrived)
			}
			b.ReportAllocs()
			for b.Loop() {
				for _, q := range queues {
					q.send(el)
				}
				for range fans {
					<-arrived
				}
			}
		})
	}
}

// readEach reads size bytes at a time from c, reporting each on arrived,
// until c fails.
func readEach(c net.Conn, size int, arrived chan<- struct{}) {
	buf := make([]byte, size)
	for {
		if _, err := io.ReadFull(c, buf); err != nil {
			return
		}
		arrived <- struct{}{}
	}
}
