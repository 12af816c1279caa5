package c2s

import (
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stream"
)

func TestAuthDelaySchedule(t *testing.T) {
	ms := time.Millisecond
	want := []time.Duration{0, 0, 100 * ms, 200 * ms, 400 * ms, 800 * ms, 1600 * ms, 2000 * ms, 2000 * ms}
	for n, d := range want {
		if got := AuthDelay(n); got != d {
			t.Errorf("AuthDelay(%d) = %v, want %v", n, got, d)
		}
	}
	if got := AuthDelay(1 << 30); got != authDelayMax {
		t.Errorf("AuthDelay(huge) = %v, want the cap", got)
	}
}

// fakeClock is a throttle's time, moved by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

func newTestThrottle() (*AuthThrottle, *fakeClock) {
	c := &fakeClock{t: time.Unix(1e9, 0)}
	th := NewAuthThrottle()
	th.now = c.now
	return th, c
}

type attempt struct {
	account, addr string
	ok            bool          // a success instead of a failure
	wait          time.Duration // the delay expected for a failure
}

func TestAuthThrottle(t *testing.T) {
	ms := time.Millisecond
	cases := []struct {
		name  string
		steps []attempt
	}{
		{"one account grows", []attempt{
			{"mine", "10.0.0.1:1", false, 0}, {"mine", "10.0.0.1:2", false, 100 * ms},
			{"mine", "10.0.0.1:3", false, 200 * ms}, {"mine", "10.0.0.1:4", false, 400 * ms},
		}},
		{"one account from many addresses", []attempt{
			{"mine", "10.0.0.1:1", false, 0}, {"mine", "10.0.0.2:1", false, 100 * ms},
			{"MINE", "10.0.0.3:1", false, 200 * ms},
		}},
		{"one address over many accounts", []attempt{
			{"a", "10.0.0.9:1", false, 0}, {"b", "10.0.0.9:2", false, 100 * ms},
			{"", "10.0.0.9:3", false, 200 * ms}, {"c", "10.0.0.9:4", false, 400 * ms},
		}},
		{"success resets account and address", []attempt{
			{"mine", "10.0.0.1:1", false, 0}, {"mine", "10.0.0.1:1", false, 100 * ms},
			{"mine", "10.0.0.1:1", true, 0},
			{"mine", "10.0.0.1:1", false, 0},
		}},
		{"another account's success leaves the victim's count", []attempt{
			{"victim", "10.0.0.1:1", false, 0}, {"victim", "10.0.0.1:1", false, 100 * ms},
			{"mine", "10.0.0.1:1", true, 0},
			{"victim", "10.0.0.1:1", false, 200 * ms},
		}},
		{"IPv6 addresses count by host", []attempt{
			{"a", "[::1]:1000", false, 0}, {"b", "[::1]:2000", false, 100 * ms},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			th, _ := newTestThrottle()
			for i, a := range tc.steps {
				if a.ok {
					th.Succeeded(a.account, a.addr)
					continue
				}
				if got := th.Failed(a.account, a.addr); got != a.wait {
					t.Fatalf("step %d (%s from %s): wait %v, want %v", i, a.account, a.addr, got, a.wait)
				}
			}
		})
	}
}

func TestAuthThrottleForgets(t *testing.T) {
	th, clock := newTestThrottle()
	for range 5 {
		th.Failed("mine", "10.0.0.1:1")
	}
	clock.t = clock.t.Add(authForget - time.Second)
	if got := th.Failed("mine", "10.0.0.1:1"); got != AuthDelay(6) {
		t.Fatalf("within the window: wait %v, want %v", got, AuthDelay(6))
	}
	clock.t = clock.t.Add(authForget + time.Second)
	if got := th.Failed("mine", "10.0.0.1:1"); got != 0 {
		t.Fatalf("after the window: wait %v, want none", got)
	}
}

func TestAuthThrottleStaysBounded(t *testing.T) {
	th, clock := newTestThrottle()
	th.Failed("victim", "10.0.0.1:1")
	th.Failed("victim", "10.0.0.2:1")
	for i := range authMaxKeys + 100 {
		th.Failed("user"+strconv.Itoa(i), "10.0.0.3:1")
	}
	if n := len(th.counts); n > authMaxKeys {
		t.Fatalf("%d counts kept, want at most %d", n, authMaxKeys)
	}
	// A full table keeps the counts already earned.
	if got := th.Failed("victim", "10.0.0.4:1"); got != AuthDelay(3) {
		t.Fatalf("victim's third failure: wait %v, want %v", got, AuthDelay(3))
	}
	clock.t = clock.t.Add(authForget + time.Second)
	th.Failed("fresh", "10.0.0.5:1")
	if n := len(th.counts); n != 2 {
		t.Fatalf("%d counts after the window, want the 2 just made", n)
	}
}

func TestRateLimit(t *testing.T) {
	start := time.Unix(1e9, 0)
	at := func(d time.Duration) time.Time { return start.Add(d) }
	cases := []struct {
		name        string
		rate, burst int
		times       []time.Duration
		want        string // one letter per stanza: a(llowed) or r(efused)
	}{
		{"burst then refused", 10, 3, []time.Duration{0, 0, 0, 0}, "aaar"},
		{"refills at the rate", 10, 2, []time.Duration{0, 0, 0, 100 * time.Millisecond, 100 * time.Millisecond}, "aarar"},
		{"steady under the rate", 10, 1, []time.Duration{0, 100 * time.Millisecond, 200 * time.Millisecond, 300 * time.Millisecond}, "aaaa"},
		{"burst defaults to the rate", 2, 0, []time.Duration{0, 0, 0}, "aar"},
		{"idle time does not bank more than the burst", 100, 2, []time.Duration{0, time.Hour, time.Hour, time.Hour}, "aaar"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := newRateLimit(tc.rate, tc.burst)
			var got strings.Builder
			for _, d := range tc.times {
				if r.allow(at(d)) {
					got.WriteByte('a')
				} else {
					got.WriteByte('r')
				}
			}
			if got.String() != tc.want {
				t.Fatalf("got %s, want %s", got.String(), tc.want)
			}
		})
	}
	if newRateLimit(0, 5) != nil {
		t.Fatal("a zero rate must mean no limit")
	}
}

func TestApproxSizeTracksTheWire(t *testing.T) {
	body := strings.Repeat("x", 10000)
	for _, el := range []*stanza.Element{
		stanza.New(stanza.NSClient, "presence"),
		stanza.New(stanza.NSClient, "message", "to", "a@b/c", "id", "1").Append(stanza.New(stanza.NSClient, "body").AppendText(body)),
		stanza.New(stanza.NSClient, "iq", "type", "result").Append(stanza.New(stanza.NSRoster, "query", "ver", "3")),
	} {
		wire := len(el.AppendXML(nil, stanza.NSClient))
		if got := approxSize(el); got < wire/2 || got > wire*2 {
			t.Errorf("approxSize(%s) = %d, written %d bytes", el.Name.Local, got, wire)
		}
	}
}

// drainQueue reads what a queue wrote to its end of a pipe until the
// connection closes, returning the elements and the stream error.
func drainQueue(t *testing.T, client net.Conn) (got []*stanza.Element, streamErr *stanza.Element) {
	t.Helper()
	client.SetReadDeadline(time.Now().Add(5 * time.Second))
	head := `<stream:stream xmlns='jabber:client' xmlns:stream='` + stanza.NSStream + `' version='1.0'>`
	r := stream.NewReader(io.MultiReader(strings.NewReader(head), client), 1<<20)
	if _, err := r.Header(); err != nil {
		t.Fatal(err)
	}
	for {
		el, err := r.Next()
		if errors.Is(err, stream.ErrClosed) {
			return got, streamErr
		}
		if err != nil {
			t.Fatalf("after %d elements: %v", len(got), err)
		}
		if el.Name.Space == stanza.NSStream && el.Name.Local == "error" {
			streamErr = el
			continue
		}
		got = append(got, el)
	}
}

func TestQueueBounds(t *testing.T) {
	cases := []struct {
		name                string
		max, maxBytes, body int
		// want is the most elements that may arrive: those queued before
		// the bound was hit, plus the batch the writer was holding.
		want int
	}{
		{"stanza bound", 5, 1 << 20, 10, 10},
		{"byte bound", 10000, 8 << 10, 1000, 16},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			server, client := net.Pipe()
			defer client.Close()
			q := newOutQueue(server, tcpFraming{}, tc.max, tc.maxBytes, nil)
			body := strings.Repeat("x", tc.body)
			for i := range 200 {
				q.send(stanza.New(stanza.NSClient, "message", "id", strconv.Itoa(i)).Append(stanza.New(stanza.NSClient, "body").AppendText(body)))
			}
			got, streamErr := drainQueue(t, client)
			if streamErr == nil || streamErr.FirstElement().Name.Local != "policy-violation" {
				t.Fatalf("stream error %v, want policy-violation", streamErr)
			}
			if len(got) == 0 || len(got) > tc.want {
				t.Fatalf("%d stanzas delivered before the error, want 1 to %d", len(got), tc.want)
			}
			for i, el := range got {
				if el.ID() != strconv.Itoa(i) {
					t.Fatalf("stanza %d has id %s: the queue lost order", i, el.ID())
				}
			}
			<-q.done
		})
	}
}

func TestQueueLetsOneLargeStanzaThrough(t *testing.T) {
	server, client := net.Pipe()
	defer client.Close()
	q := newOutQueue(server, tcpFraming{}, 100, 1024, nil)
	q.send(stanza.New(stanza.NSClient, "message", "id", "big").Append(stanza.New(stanza.NSClient, "body").AppendText(strings.Repeat("x", 4096))))
	q.close([][]byte{[]byte("</stream:stream>")})
	got, streamErr := drainQueue(t, client)
	if streamErr != nil || len(got) != 1 || got[0].ID() != "big" {
		t.Fatalf("got %v and stream error %v, want the one large stanza", got, streamErr)
	}
}
