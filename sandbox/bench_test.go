package sandbox_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xmppsandbox/xmppsandbox/sandbox/sandboxtest"
	"github.com/xmppsandbox/xmppsandbox/sandbox/xclient"
)

// BenchmarkLogin measures whole logins (stream, SCRAM-SHA-1, bind) over
// loopback, with and without STARTTLS.
func BenchmarkLogin(b *testing.B) {
	srv := sandboxtest.Start(b, seedUsers)
	for _, useTLS := range []bool{false, true} {
		name := "plaintext"
		if useTLS {
			name = "tls"
		}
		b.Run("SCRAM-SHA-1/"+name, func(b *testing.B) {
			o := xclient.Options{Domain: "localhost", Mechanism: "SCRAM-SHA-1", TLS: useTLS, SCRAM: &xclient.SCRAMCache{}}
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					c, err := xclient.Dial(srv.C2SAddr(), "mine", "mine", o)
					if err != nil {
						b.Error(err)
						return
					}
					c.Close()
				}
			})
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "logins/s")
		})
	}
}

// BenchmarkMessageRouting measures chat messages from one session to
// another through the server, 100 per flush, the receiver reading them.
func BenchmarkMessageRouting(b *testing.B) {
	srv := sandboxtest.Start(b, seedUsers)
	o := xclient.Options{Domain: "localhost"}
	from, err := xclient.Dial(srv.C2SAddr(), "mine", "mine", o)
	if err != nil {
		b.Fatal(err)
	}
	defer from.Close()
	to, err := xclient.Dial(srv.C2SAddr(), "admin", "admin", xclient.Options{Domain: "localhost", Resource: "r"})
	if err != nil {
		b.Fatal(err)
	}
	defer to.Close()
	msg := `<message to='admin@localhost/r' type='chat'><body>benchmark message of a typical size, some sixty bytes</body></message>`
	done := make(chan error, 1)
	b.ResetTimer()
	start := time.Now()
	go func() {
		for i := 0; i < b.N; i++ {
			if _, err := to.Next(); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	for i := 0; i < b.N; i++ {
		from.Buffer(msg)
		if i%100 == 99 {
			from.Flush()
		}
	}
	from.Flush()
	if err := <-done; err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "msgs/s")
}

// BenchmarkPresenceFanout has a user with 1,000 online contacts at both
// change presence, and measures the time until the last contact has it.
func BenchmarkPresenceFanout(b *testing.B) {
	const n = 1000
	var fx strings.Builder
	fx.WriteString("domain: localhost\nusers:\n  hub: {password: hub}\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&fx, "  c%d: {password: c}\n", i)
	}
	fx.WriteString("rosters:\n  hub:\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&fx, "    - {jid: c%d, subscription: both}\n", i)
	}
	srv := sandboxtest.Start(b, fx.String())
	o := xclient.Options{Domain: "localhost"}
	got := make(chan struct{}, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		c, err := xclient.Dial(srv.C2SAddr(), fmt.Sprintf("c%d", i), "c", o)
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		c.SendRaw(`<presence/>`)
		c.Next() // its own presence
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				el, err := c.Next()
				if err != nil {
					return
				}
				if el.Get("from") == "hub@localhost/r" {
					got <- struct{}{}
				}
			}
		}()
	}
	hub, err := xclient.Dial(srv.C2SAddr(), "hub", "hub", xclient.Options{Domain: "localhost", Resource: "r"})
	if err != nil {
		b.Fatal(err)
	}
	defer hub.Close()
	go func() {
		for {
			if _, err := hub.Next(); err != nil {
				return
			}
		}
	}()
	shows := []string{"away", "chat", "dnd", "xa"}
	var total time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		hub.SendRaw(`<presence><show>` + shows[i%len(shows)] + `</show></presence>`)
		for j := 0; j < n; j++ {
			<-got
		}
		total += time.Since(start)
	}
	b.ReportMetric(float64(total.Microseconds())/float64(b.N)/1000, "ms/fanout")
}
