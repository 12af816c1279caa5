//go:build linux

package c2s

import (
	"errors"
	"io"
	"net"
	"sync"
	"testing"
	"time"
)

// TestSourceWaitReadable checks that a plain TCP source waits for input
// without consuming any, and fails as Read would.
func TestSourceWaitReadable(t *testing.T) {
	cases := []struct {
		name    string
		prepare func(server, client *net.TCPConn)
		check   func(t *testing.T, err error)
	}{
		{"input waiting", func(s, c *net.TCPConn) { c.Write([]byte("<x/>")) }, isNil},
		{"client closed", func(s, c *net.TCPConn) { c.Close() }, isNil},
		{"deadline passed", func(s, c *net.TCPConn) { s.SetReadDeadline(time.Now().Add(20 * time.Millisecond)) }, timesOut},
		{"connection closed", func(s, c *net.TCPConn) { s.Close() }, isClosed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			server, client := tcpPair(t)
			tc.prepare(server, client)
			src := newSource(server).(tcpSource)
			tc.check(t, src.WaitReadable())
		})
	}
}

func isNil(t *testing.T, err error) {
	if err != nil {
		t.Fatalf("WaitReadable: %v", err)
	}
}

func timesOut(t *testing.T, err error) {
	if !isTimeout(err) {
		t.Fatalf("WaitReadable: %v, want a timeout", err)
	}
}

func isClosed(t *testing.T, err error) {
	if !errors.Is(err, net.ErrClosed) {
		t.Fatalf("WaitReadable: %v, want net.ErrClosed", err)
	}
}

// TestSourceWaitsThenReads checks that input arriving while the source
// waits wakes it, and that the wait consumed nothing.
func TestSourceWaitsThenReads(t *testing.T) {
	server, client := tcpPair(t)
	src := newSource(server).(tcpSource)
	// Write only once the source has looked, found nothing and gone to
	// wait, so that the write is what wakes it.
	parked := make(chan struct{})
	var once sync.Once
	look := src.wait.fn
	src.wait.fn = func(fd uintptr) bool {
		ready := look(fd)
		if !ready {
			once.Do(func() { close(parked) })
		}
		return ready
	}
	waited := make(chan error, 1)
	go func() { waited <- src.WaitReadable() }()
	select {
	case <-parked:
	case err := <-waited:
		t.Fatalf("WaitReadable returned %v before any input", err)
	case <-time.After(5 * time.Second):
		t.Fatal("WaitReadable never looked at the socket")
	}
	client.Write([]byte("<x/>"))
	if err := <-waited; err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 16)
	n, err := io.ReadAtLeast(src, buf, 4)
	if err != nil || string(buf[:n]) != "<x/>" {
		t.Fatalf("read %q, %v", buf[:n], err)
	}
}
