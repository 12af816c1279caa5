package sandbox_test

import (
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xmppsandbox/xmppsandbox/sandbox"
	"github.com/xmppsandbox/xmppsandbox/sandbox/sandboxtest"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stream"
)

// stopsReading has mallory/slow stop reading while mallory/flood sends
// it 7.5 MiB of messages, more than the kernel's socket buffers take
// (Linux grows a send buffer to 4 MiB by default, and a receive buffer
// only as its reader reads): the flooder is never held up, and the slow
// session, once its queue is full, gets policy-violation after what was
// queued before. The slow client sends nothing meanwhile: input left
// unread when the server closes would make the kernel reset the
// connection and lose the stream error in flight.
func stopsReading(t *testing.T, srv *sandboxtest.Server) {
	slow := dialWire(t, srv, "")
	slow.login("mallory", "mallory-pw", "slow")
	flood := dialWire(t, srv, "")
	flood.login("mallory", "mallory-pw", "flood")
	body := strings.Repeat("z", 48<<10)
	start := time.Now()
	for i := range 160 {
		flood.send(`<message to='mallory@localhost/slow' id='f` + strconv.Itoa(i) + `'><body>` + body + `</body></message>`)
	}
	flood.send(`<iq type='get' id='ping' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>`)
	if res := flood.expect("iq"); res.ID() != "ping" {
		t.Fatalf("flooder got %s, want its ping answered", res)
	}
	t.Logf("the flooder's 7.5 MiB and ping took %v", time.Since(start).Round(time.Millisecond))
	n := slow.drainToStreamError(stream.PolicyViolation)
	t.Logf("the slow reader got %d KiB before policy-violation", n>>10)
}

// floodSize is how many connections connectionFlood opens at once.
func floodSize() int {
	if testing.Short() {
		return 100
	}
	return 600
}

// connectionFlood opens hundreds of connections at once, a third silent,
// a third with half a header, a third with a whole stream open, and
// checks that a new user still logs in and talks meanwhile.
func connectionFlood(t *testing.T, srv *sandboxtest.Server) {
	n := floodSize()
	conns := make([]net.Conn, n)
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			c, err := net.DialTimeout("tcp", srv.C2SAddr(), sandboxtest.Timeout)
			if err != nil {
				errs <- err
				return
			}
			conns[i] = c
			c.SetWriteDeadline(time.Now().Add(sandboxtest.Timeout))
			switch i % 3 {
			case 1:
				_, err = c.Write([]byte(clientHead[:40]))
			case 2:
				_, err = c.Write([]byte(clientHead))
			}
			if err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("flood connection: %v", err)
	}
	defer closeAll(conns)
	awaitOpenStreams(t, conns)
	c := sandboxtest.Login(t, srv, "mallory", "mallory-pw", sandboxtest.LoginOptions{Resource: "during-flood"})
	c.Send(`<message to='bob@localhost/nowhere' id='x'><body>still there?</body></message>`)
	c.Sync()
	c.Close()
	t.Logf("%d connections held open; a new login and the bystanders were served", n)
}

// awaitOpenStreams checks that the server answered every connection that
// sent a whole header with its own.
func awaitOpenStreams(t *testing.T, conns []net.Conn) {
	t.Helper()
	for i := 2; i < len(conns); i += 3 {
		r := stream.NewReader(conns[i], 0)
		conns[i].SetReadDeadline(time.Now().Add(sandboxtest.Timeout))
		if _, err := r.Header(); err != nil {
			t.Fatalf("flood connection %d got no stream header: %v", i, err)
		}
	}
}

func closeAll(conns []net.Conn) {
	for _, c := range conns {
		if c != nil {
			c.Close()
		}
	}
}

// stanzaFlood sends far more than the burst in one write: the flooder is
// cut off with policy-violation; a client that keeps under the rate is
// not.
func stanzaFlood(t *testing.T, srv *sandboxtest.Server) {
	paced := dialWire(t, srv, "")
	paced.login("mallory", "mallory-pw", "paced")
	w := dialWire(t, srv, "")
	w.login("mallory", "mallory-pw", "flood")
	var burst strings.Builder
	for i := range 500 {
		burst.WriteString(`<message to='mallory@localhost/nowhere' id='s` + strconv.Itoa(i) + `'><body>flood</body></message>`)
	}
	w.send(burst.String())
	w.expectStreamError(stream.PolicyViolation)
	tick := time.NewTicker(10 * time.Millisecond) // 100/s, half the limit
	defer tick.Stop()
	for i := range 40 {
		<-tick.C
		paced.send(`<iq type='get' id='p` + strconv.Itoa(i) + `' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>`)
		if res := paced.expect("iq"); res.Type() != "result" {
			t.Fatalf("paced client got %s", res)
		}
	}
}

// TestOverflowErrorSurvivesUnreadInput has a client ask for its big
// roster three hundred times in one write and read nothing: its queue
// overflows while the server has not yet read all the requests. The
// client must still find policy-violation and </stream:stream> when it
// reads. RFC 6120 §4.4 has the closing side wait for the peer's own
// close: closing the socket at once with input unread makes the kernel
// reset the connection, and the reset discards what was still to be
// sent, the stream error included.
func TestOverflowErrorSurvivesUnreadInput(t *testing.T) {
	var fixtures strings.Builder
	fixtures.WriteString(hostileUsers + "rosters:\n  mallory:\n")
	name := strings.Repeat("n", 550) // a result of some 60 KB
	for i := range 100 {
		fixtures.WriteString("    - {jid: contact" + strconv.Itoa(i) + "@example.net, name: " + name + ", subscription: none}\n")
	}
	srv := sandboxtest.Start(t, fixtures.String(), func(c *sandbox.Config) { c.MaxQueueBytes = 256 << 10 })
	w := dialWire(t, srv, "")
	w.login("mallory", "mallory-pw", "greedy")
	w.send(strings.Repeat(`<iq type='get'><query xmlns='jabber:iq:roster'/></iq>`, 300))
	w.drainToStreamError(stream.PolicyViolation)
}
