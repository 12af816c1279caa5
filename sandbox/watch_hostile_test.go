package sandbox_test

import (
	"fmt"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/xmppsandbox/xmppsandbox/sandbox/sandboxtest"
	"github.com/xmppsandbox/xmppsandbox/sandbox/xclient"
)

// Bounds for the bystanders of a hostile client.
const (
	beatEvery       = 10 * time.Millisecond
	beatLate        = time.Second // the slowest round trip tolerated
	minBeats        = 3
	spareGoroutines = 4       // goroutines allowed above the baseline (timers, netpoll)
	spareHeap       = 8 << 20 // heap bytes allowed above the baseline
)

// heartbeat is alice sending bob a message every beatEvery in the
// background, bob checking each arrives in order and in time: proof that
// the server keeps serving others while one client misbehaves.
type heartbeat struct {
	alice, bob *xclient.Conn
	stop, done chan struct{}

	mu    sync.Mutex
	beats int
	worst time.Duration
	err   error
}

// startHeartbeat logs alice and bob in over plain TCP and starts the
// conversation.
func startHeartbeat(t testing.TB, srv *sandboxtest.Server) *heartbeat {
	t.Helper()
	h := &heartbeat{stop: make(chan struct{}), done: make(chan struct{})}
	var err error
	opts := xclient.Options{Domain: srv.Domain(), Resource: "hb"}
	if h.alice, err = xclient.Dial(srv.C2SAddr(), "alice", "alice-pw", opts); err != nil {
		t.Fatal(err)
	}
	if h.bob, err = xclient.Dial(srv.C2SAddr(), "bob", "bob-pw", opts); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.halt(); h.alice.Close(); h.bob.Close() })
	go h.run()
	return h
}

func (h *heartbeat) run() {
	defer close(h.done)
	tick := time.NewTicker(beatEvery)
	defer tick.Stop()
	for i := 0; ; i++ {
		select {
		case <-h.stop:
			return
		case <-tick.C:
		}
		if err := h.beat(i); err != nil {
			h.mu.Lock()
			h.err = err
			h.mu.Unlock()
			return
		}
	}
}

// beat sends one message and waits for it.
func (h *heartbeat) beat(i int) error {
	id := "beat" + strconv.Itoa(i)
	start := time.Now()
	if err := h.alice.SendRaw(`<message to='bob@localhost/hb' type='chat' id='` + id + `'><body>beat</body></message>`); err != nil {
		return fmt.Errorf("alice sends %s: %w", id, err)
	}
	h.bob.SetReadDeadline(start.Add(sandboxtest.Timeout))
	el, err := h.bob.Next()
	if err != nil {
		return fmt.Errorf("bob waits for %s: %w", id, err)
	}
	if el.ID() != id || el.From() != "alice@localhost/hb" {
		return fmt.Errorf("bob got %s, want message %s from alice", el, id)
	}
	took := time.Since(start)
	h.mu.Lock()
	h.beats++
	h.worst = max(h.worst, took)
	h.mu.Unlock()
	return nil
}

func (h *heartbeat) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.beats
}

func (h *heartbeat) halt() {
	select {
	case <-h.stop:
	default:
		close(h.stop)
	}
	<-h.done
}

// check waits for a few more messages after the attack, stops the
// conversation and fails the test unless it went on throughout, every
// message in time.
func (h *heartbeat) check(t testing.TB) {
	t.Helper()
	want := h.count() + minBeats
	deadline := time.After(sandboxtest.Timeout)
	tick := time.NewTicker(beatEvery)
	defer tick.Stop()
	for h.count() < want {
		select {
		case <-deadline:
			want = 0
		case <-h.done:
			want = 0
		case <-tick.C:
		}
	}
	h.halt()
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case h.err != nil:
		t.Fatalf("the bystanders' conversation broke after %d messages: %v", h.beats, h.err)
	case h.beats < minBeats:
		t.Fatalf("the bystanders exchanged only %d messages", h.beats)
	case h.worst > beatLate:
		t.Fatalf("a bystander's message took %v (of %d)", h.worst, h.beats)
	}
	t.Logf("bystanders exchanged %d messages, slowest %v", h.beats, h.worst.Round(time.Millisecond))
}

// usage is the process's goroutines and live heap.
type usage struct {
	goroutines int
	heap       uint64
}

func measure() usage {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return usage{runtime.NumGoroutine(), m.HeapAlloc}
}

// awaitBaseline waits until goroutines and heap are back within a small
// margin of base, and fails the test if they are not within ten seconds.
func awaitBaseline(t testing.TB, base usage) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		now := measure()
		if now.goroutines <= base.goroutines+spareGoroutines && now.heap <= base.heap+spareHeap {
			return
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			buf = buf[:runtime.Stack(buf, true)]
			t.Fatalf("no return to the baseline: %d goroutines (was %d), heap %d KiB (was %d KiB)\n%s",
				now.goroutines, base.goroutines, now.heap>>10, base.heap>>10, buf)
		}
		<-tick.C
	}
}
