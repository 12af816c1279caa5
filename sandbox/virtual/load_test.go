package virtual_test

import (
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/xmppsandbox/xmppsandbox/sandbox/sandboxtest"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
	"github.com/xmppsandbox/xmppsandbox/sandbox/virtual"
	"github.com/xmppsandbox/xmppsandbox/sandbox/xclient"
)

// The load the simulation must sustain towards one client.
const (
	loadUsers  = 10000
	loadChurn  = 1000 // presence changes a second
	loadWindow = 5 * time.Second
	pingEvery  = 100 * time.Millisecond
)

// meter counts what the target's client reads, second by second, and
// how long its pings take to come back: the lag of the client's queue.
type meter struct {
	mu       sync.Mutex
	pushes   int // roster items added
	removals int // roster items removed
	online   int // first available presence of a contact
	offline  int
	changes  int    // presence with a show
	self     string // the client's own full JID
	seen     map[string]bool
	sentPing map[string]time.Time
	lags     []time.Duration
	err      error
	ended    bool
}

func newMeter(self string) *meter {
	return &meter{self: self, seen: map[string]bool{}, sentPing: map[string]time.Time{}}
}

// read counts every element the client receives until the stream ends.
func (m *meter) read(c *xclient.Conn) {
	for {
		el, err := c.Next()
		m.mu.Lock()
		if err != nil {
			m.err, m.ended = err, true
			m.mu.Unlock()
			return
		}
		m.count(el)
		m.mu.Unlock()
	}
}

// count classifies one element; m.mu is held.
func (m *meter) count(el *stanza.Element) {
	switch el.Name.Local {
	case "iq":
		if sent, ok := m.sentPing[el.ID()]; ok {
			m.lags = append(m.lags, time.Since(sent))
			delete(m.sentPing, el.ID())
			return
		}
		if q := el.Child(stanza.NSRoster, "query"); q != nil {
			if item := q.FirstElement(); item != nil && item.Get("subscription") == "remove" {
				m.removals++
			} else {
				m.pushes++
			}
		}
	case "presence":
		switch from := el.From(); {
		case from == m.self:
		case el.Type() == "unavailable":
			m.offline++
		case el.ChildText("show") != "" || m.seen[from]:
			m.changes++
		default:
			m.seen[from] = true
			m.online++
		}
	}
}

// ping sends a ping every pingEvery until stop is closed.
func (m *meter) ping(c *xclient.Conn, stop <-chan struct{}) {
	t := time.NewTicker(pingEvery)
	defer t.Stop()
	for n := 0; ; n++ {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		id := "lag" + strconv.Itoa(n)
		m.mu.Lock()
		m.sentPing[id] = time.Now()
		m.mu.Unlock()
		if c.SendRaw(`<iq type='get' id='`+id+`' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>`) != nil {
			return
		}
	}
}

// waitFor waits until cond holds on the meter, failing after limit.
func (m *meter) waitFor(t *testing.T, what string, limit time.Duration, cond func(m *meter) bool) time.Duration {
	t.Helper()
	start := time.Now()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		m.mu.Lock()
		ok, ended, err := cond(m), m.ended, m.err
		m.mu.Unlock()
		switch {
		case ok:
			return time.Since(start)
		case ended:
			t.Fatalf("the client's stream ended while waiting for %s: %v", what, err)
		case time.Since(start) > limit:
			m.mu.Lock()
			t.Fatalf("no %s within %s: %d pushes, %d removals, %d online, %d offline, %d changes",
				what, limit, m.pushes, m.removals, m.online, m.offline, m.changes)
		}
		<-tick.C
	}
}

// cpuTime is the process's user and system time so far.
func cpuTime(t *testing.T) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestSimulationSustainsLoad runs 10,000 simulated contacts of one real
// client with 1,000 presence changes a second for a few seconds, and
// reports what the client got: the rate, the process's CPU (server and
// client share it) and how far behind the client's stream is.
func TestSimulationSustainsLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("a load test of several seconds")
	}
	srv := sandboxtest.Start(t, "users:\n  mine: {password: mine}\n")
	c, err := xclient.Dial(srv.C2SAddr(), "mine", "mine", xclient.Options{Domain: srv.Domain(), TLS: true, Resource: "load"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.RosterGet(); err != nil {
		t.Fatal(err)
	}
	if err := c.Available(); err != nil {
		t.Fatal(err)
	}
	m := newMeter(c.JID)
	go m.read(c)
	stop, pinged := make(chan struct{}), make(chan struct{})
	go func() { defer close(pinged); m.ping(c, stop) }()
	defer func() { close(stop); <-pinged }() // before Close writes too

	start, cpu0 := time.Now(), cpuTime(t)
	if _, err := srv.Simulate(virtual.Request{Users: loadUsers, PresenceChurn: loadChurn, To: "mine"}); err != nil {
		t.Fatal(err)
	}
	setup, setupCPU := time.Since(start), cpuTime(t)-cpu0
	m.waitFor(t, "every push and presence", 30*time.Second, func(m *meter) bool { return m.pushes == loadUsers && m.online == loadUsers })
	m.mu.Lock()
	setupLags := lagSummary(m.lags)
	m.mu.Unlock()
	t.Logf("setup: %s in the API call (CPU %s), %s until the client had %d pushes and %d presences; ping round trip %s",
		setup, setupCPU, time.Since(start), loadUsers, loadUsers, setupLags)

	measureSteady(t, m)

	start = time.Now()
	if _, err := srv.StopSimulation(); err != nil {
		t.Fatal(err)
	}
	stopped := time.Since(start)
	m.waitFor(t, "every unavailable and removal", 30*time.Second, func(m *meter) bool { return m.offline == loadUsers && m.removals == loadUsers })
	t.Logf("teardown: %s in the API call, %s until the client had every unavailable and removal", stopped, time.Since(start))
}

// measureSteady counts the changes the client receives over loadWindow,
// second by second, with the CPU spent and the pings' round trips.
func measureSteady(t *testing.T, m *meter) {
	t.Helper()
	m.mu.Lock()
	base := m.changes
	m.lags = nil
	m.mu.Unlock()
	cpu0, wall0 := cpuTime(t), time.Now()
	var perSecond []string
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	last := base
	for range int(loadWindow / time.Second) {
		<-tick.C
		m.mu.Lock()
		perSecond = append(perSecond, strconv.Itoa(m.changes-last))
		last = m.changes
		m.mu.Unlock()
	}
	wall, cpu := time.Since(wall0), cpuTime(t)-cpu0
	m.mu.Lock()
	got, lags, ended := m.changes-base, append([]time.Duration(nil), m.lags...), m.ended
	m.mu.Unlock()
	rate := float64(got) / wall.Seconds()
	t.Logf("steady: %.0f presence changes/s received (per second: %s), CPU %.2f cores (server and client), ping round trip %s",
		rate, strings.Join(perSecond, " "), cpu.Seconds()/wall.Seconds(), lagSummary(lags))
	if ended {
		t.Fatal("the client was disconnected")
	}
	if rate < 0.9*loadChurn {
		t.Errorf("received %.0f changes/s, want at least %d", rate, 9*loadChurn/10)
	}
}

// lagSummary formats the median and worst round trip.
func lagSummary(lags []time.Duration) string {
	if len(lags) == 0 {
		return "none answered"
	}
	sorted := slices.Sorted(slices.Values(lags))
	return "median " + sorted[len(sorted)/2].Round(time.Microsecond).String() + ", max " + sorted[len(sorted)-1].Round(time.Microsecond).String()
}
