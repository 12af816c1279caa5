package sandbox_test

import (
	"errors"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xmppsandbox/xmppsandbox/sandbox/sandboxtest"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stream"
	"github.com/xmppsandbox/xmppsandbox/sandbox/xclient"
)

// stormUsers are the crash tests' accounts: four writers and the sink
// their offline messages wait for.
const stormUsers = `domain: localhost
users:
  w0:   {password: w0}
  w1:   {password: w1}
  w2:   {password: w2}
  w3:   {password: w3}
  sink: {password: sink}
`

// Each crash cycle lets the storm collect killAfter acknowledgements,
// then kills the server; crashCycles cycles run on one database file.
const (
	killAfter   = 400
	crashCycles = 3
)

// TestServeProcess runs the real binary: killed mid-storm, stopped with
// SIGTERM, and watched for passwords in what it shows.
func TestServeProcess(t *testing.T) {
	bin := buildBinary(t)
	t.Run("SIGKILL mid-storm loses nothing acknowledged", func(t *testing.T) { killMidStorm(t, bin) })
	t.Run("SIGTERM closes every stream and loses nothing", func(t *testing.T) { terminateCleanly(t, bin) })
	t.Run("passwords never shown", func(t *testing.T) { passwordsNeverShown(t, bin) })
}

// killMidStorm crashes the server crashCycles times in the middle of a
// storm, restarting it on the same file each time, then checks that
// every change acknowledged in any cycle is there and that the file is
// sound.
func killMidStorm(t *testing.T, bin string) {
	db := filepath.Join(t.TempDir(), "sandbox.db")
	fix := writeFixtures(t, stormUsers)
	all := &storm{}
	for cycle := range crashCycles {
		p := startProcess(t, bin, "--db", db, "--fixtures", fix)
		var acked atomic.Int64
		st := startStorm(t, p, &acked, strconv.Itoa(cycle), "w0", "w1", "w2", "w3")
		awaitCount(t, &acked, killAfter)
		p.kill(t)
		st.wait()
		t.Logf("cycle %d: %s", cycle+1, st.summary())
		integrityCheck(t, db) // the file as the crash left it
		all.clients = append(all.clients, st.clients...)
	}
	p := startProcess(t, bin, "--db", db, "--fixtures", fix)
	found := all.verify(t, p)
	p.terminate(t)
	integrityCheck(t, db)
	if !t.Failed() {
		t.Logf("after %d crashes: all %d acknowledged changes found (%s)", crashCycles, all.total(), found)
	}
}

// storm is a set of stormers running against one server.
type storm struct {
	clients []*stormer
	wg      sync.WaitGroup
}

func startStorm(t *testing.T, p *serverProcess, acked *atomic.Int64, tag string, users ...string) *storm {
	t.Helper()
	st := &storm{}
	for _, u := range users {
		c, err := xclient.Dial(p.c2s, u, u, xclient.Options{Domain: "localhost", Resource: "storm"})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Conn.Close() })
		s := &stormer{name: u, tag: u + "." + tag, conn: c, acked: acked, items: map[string]string{}}
		st.clients = append(st.clients, s)
		st.wg.Go(s.run)
	}
	return st
}

// wait waits for every stormer to see its connection end.
func (st *storm) wait() { st.wg.Wait() }

// awaitCount waits until n reaches want.
func awaitCount(t *testing.T, n *atomic.Int64, want int64) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for n.Load() < want {
		if time.Now().After(deadline) {
			t.Fatalf("only %d acknowledgements in 60s", n.Load())
		}
		<-tick.C
	}
}

func (st *storm) summary() string {
	kinds := map[string]int{}
	sent, msgs := 0, 0
	for _, s := range st.clients {
		s.mu.Lock()
		sent += s.sent
		for _, kind := range s.items {
			kinds[kind]++
		}
		msgs += len(s.msgs)
		s.mu.Unlock()
	}
	return fmt.Sprintf("killed with %d changes sent, %d acknowledged: roster items %d (%d by their result only), removals %d (%d by their result only), subscriptions %d, offline messages %d",
		sent, kinds["set"]+kinds["pushed"]+kinds["unset"]+kinds["removed"]+kinds["subscribe"]+msgs,
		kinds["set"]+kinds["pushed"], kinds["set"], kinds["unset"]+kinds["removed"], kinds["unset"], kinds["subscribe"], msgs)
}

func (st *storm) total() int {
	n := 0
	for _, s := range st.clients {
		n += len(s.items) + len(s.msgs)
	}
	return n
}

// verify checks every acknowledged change on the restarted server: roster
// items through the admin API, offline messages by logging the sink in.
func (st *storm) verify(t *testing.T, p *serverProcess) string {
	t.Helper()
	var items, msgs int
	for _, s := range st.clients {
		items += checkRoster(t, p, s)
	}
	got := collectOffline(t, p)
	for _, s := range st.clients {
		for _, id := range s.msgs {
			if !got[id] {
				t.Errorf("acknowledged offline message %s is lost", id)
			}
		}
		msgs += len(s.msgs)
	}
	return fmt.Sprintf("%d roster items and subscriptions, %d offline messages", items, msgs)
}

// terminateCleanly stops the server with SIGTERM while bound sessions
// and an unauthenticated stream are open: every stream must end with a
// system-shutdown error and </stream:stream>, the process must exit 0,
// and a restart must find every acknowledged change.
func terminateCleanly(t *testing.T, bin string) {
	db := filepath.Join(t.TempDir(), "sandbox.db")
	fix := writeFixtures(t, stormUsers)
	p := startProcess(t, bin, "--db", db, "--fixtures", fix)
	var acked atomic.Int64
	st := &storm{}
	for _, u := range []string{"w0", "w1", "w2"} {
		c, err := xclient.Dial(p.c2s, u, u, xclient.Options{Domain: "localhost", Resource: "term"})
		if err != nil {
			t.Fatal(err)
		}
		s := &stormer{name: u, tag: u + ".term", conn: c, acked: &acked, items: map[string]string{}}
		c.SendRaw(stormRoster)
		for round := range 3 {
			if err := s.readRound(round, s.sendRound(round)); err != nil {
				t.Fatal(err)
			}
		}
		st.clients = append(st.clients, s)
	}
	unbound := openUnbound(t, p)
	endings := make(chan string, len(st.clients)+1)
	for _, s := range st.clients {
		s.conn.SetReadDeadline(time.Now().Add(30 * time.Second))
		go func() { endings <- s.name + ": " + streamEnding(s.conn.Next) }()
	}
	go func() { endings <- "unauthenticated: " + streamEnding(unbound) }()
	p.terminate(t)
	for range len(st.clients) + 1 {
		e := <-endings
		if !strings.HasSuffix(e, "</stream:stream>") || !strings.Contains(e, "system-shutdown") {
			t.Errorf("stream ended with %s, want system-shutdown and </stream:stream>", e)
		}
		t.Log(e)
	}
	p = startProcess(t, bin, "--db", db, "--fixtures", fix)
	t.Logf("after restart: %s", st.verify(t, p))
	p.terminate(t)
	integrityCheck(t, db)
}

// openUnbound opens a stream and stops after the features, without
// authenticating; it returns the reader of the rest of the stream.
func openUnbound(t *testing.T, p *serverProcess) func() (*stanza.Element, error) {
	t.Helper()
	c, err := net.DialTimeout("tcp", p.c2s, sandboxtest.Timeout)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(30 * time.Second))
	if _, err := io.WriteString(c, clientHead); err != nil {
		t.Fatal(err)
	}
	r := stream.NewReader(c, 0)
	if _, err := r.Header(); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Next(); err != nil {
		t.Fatal(err)
	}
	return r.Next
}

// streamEnding reads until the stream ends and describes how: the stream
// error's condition, if any, then </stream:stream> or the read error.
func streamEnding(next func() (*stanza.Element, error)) string {
	var seen []string
	for {
		el, err := next()
		switch {
		case errors.Is(err, stream.ErrClosed):
			return strings.Join(append(seen, "</stream:stream>"), " ")
		case err != nil:
			return strings.Join(append(seen, err.Error()), " ")
		case el.Name.Space == stanza.NSStream && el.Name.Local == "error":
			seen = append(seen, streamCondition(el))
		}
	}
}
