package c2s

import (
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
)

// tcpPair returns both ends of a loopback TCP connection.
func tcpPair(t testing.TB) (server, client *net.TCPConn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, _ := ln.Accept()
		accepted <- c
	}()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	s := <-accepted
	if s == nil {
		t.Fatal("accept failed")
	}
	t.Cleanup(func() { s.Close(); c.Close() })
	return s.(*net.TCPConn), c.(*net.TCPConn)
}

func message(sender, i int, body string) *stanza.Element {
	id := fmt.Sprintf("%d-%d", sender, i)
	return stanza.New(stanza.NSClient, "message", "id", id).Append(stanza.New(stanza.NSClient, "body").AppendText(body))
}

// tracedIDs records the ids of the stanzas a queue wrote, in the order
// it wrote them.
type tracedIDs struct {
	mu  sync.Mutex
	ids []string
}

func (r *tracedIDs) trace(el *stanza.Element, _ []byte) {
	r.mu.Lock()
	r.ids = append(r.ids, el.ID())
	r.mu.Unlock()
}

// TestWriteThroughKeepsOrderWhenWritesBlock has several goroutines send
// to a client that reads nothing until they are done, so that writes
// through hit a full socket and the rest waits in the queue: every stanza
// must then arrive exactly once, in the order the queue wrote them, each
// sender's in the order it sent them.
func TestWriteThroughKeepsOrderWhenWritesBlock(t *testing.T) {
	const senders, each = 4, 1500
	server, client := tcpPair(t)
	// A small send buffer, so that the socket is full long before the
	// senders are done. (Shrinking the client's receive buffer instead
	// can stall loopback TCP on a zero window for seconds.)
	server.SetWriteBuffer(4096)
	var traced tracedIDs
	q := newOutQueue(server, tcpFraming{}, senders*each, 1<<30, traced.trace)
	body := strings.Repeat("x", 200)
	var wg sync.WaitGroup
	for s := range senders {
		wg.Go(func() {
			for i := range each {
				q.send(message(s, i, body))
			}
		})
	}
	wg.Wait() // senders never wait for the client, which reads nothing yet
	q.mu.Lock()
	blocked := q.running
	q.mu.Unlock()
	if !blocked {
		t.Fatal("no writer runs: the socket took everything, and the test proves nothing")
	}
	q.close([][]byte{[]byte("</stream:stream>")})
	got, streamErr := drainQueue(t, client)
	if streamErr != nil {
		t.Fatalf("stream error %v", streamErr)
	}
	ids := make([]string, len(got))
	for i, el := range got {
		ids[i] = el.ID()
	}
	if !slices.Equal(ids, traced.ids) {
		t.Fatalf("%d stanzas arrived, %d traced: the wire order differs from the trace", len(ids), len(traced.ids))
	}
	checkEachSenderInOrder(t, ids, senders, each)
}

// checkEachSenderInOrder checks that ids holds each sender's stanzas
// exactly once and in order.
func checkEachSenderInOrder(t *testing.T, ids []string, senders, each int) {
	t.Helper()
	next := make([]int, senders)
	for _, id := range ids {
		s, i, _ := strings.Cut(id, "-")
		sender, _ := strconv.Atoi(s)
		n, _ := strconv.Atoi(i)
		if n != next[sender] {
			t.Fatalf("sender %d: stanza %d arrived where %d was due", sender, n, next[sender])
		}
		next[sender]++
	}
	for s, n := range next {
		if n != each {
			t.Fatalf("sender %d: %d of %d stanzas arrived", s, n, each)
		}
	}
}

// TestWriteThrough checks that a stanza for an idle TCP session goes out
// from its sender, with no writer left running, including when a write
// deadline has passed since the last write.
func TestWriteThrough(t *testing.T) {
	cases := []struct {
		name     string
		deadline time.Time
	}{
		{"idle", time.Time{}},
		{"write deadline passed", time.Now().Add(-time.Second)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			server, client := tcpPair(t)
			q := newOutQueue(server, tcpFraming{}, 100, 1<<20, nil)
			server.SetWriteDeadline(tc.deadline)
			for i := range 3 {
				q.send(message(0, i, "hi"))
			}
			q.close([][]byte{[]byte("</stream:stream>")})
			got, _ := drainQueue(t, client)
			if len(got) != 3 {
				t.Fatalf("%d stanzas arrived, want 3", len(got))
			}
			<-q.finished()
		})
	}
}

// TestWriteThroughLeavesNoWriter checks that an idle session costs no
// goroutine once what it was sent is written.
func TestWriteThroughLeavesNoWriter(t *testing.T) {
	server, client := tcpPair(t)
	q := newOutQueue(server, tcpFraming{}, 100, 1<<20, nil)
	q.send(message(0, 0, "hi"))
	buf := make([]byte, 512)
	client.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := client.Read(buf); err != nil {
		t.Fatal(err)
	}
	q.mu.Lock()
	running := q.running
	q.mu.Unlock()
	if running {
		t.Fatal("a writer runs for a stanza the socket took at once")
	}
}
