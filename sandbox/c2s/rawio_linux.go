package c2s

import (
	"errors"
	"io"
	"net"
	"os"
	"syscall"
	"unsafe"
)

// directWriter returns a writer on the raw connection under a plain TCP
// stream, with which a sender may write without blocking; nil where
// writes must go through the writer goroutine (TLS, WebSocket, anything
// else).
func directWriter(c net.Conn) *rawWriter {
	_, rc, ok := rawTCP(c)
	if !ok {
		return nil
	}
	return newRawWriter(rc)
}

// rawTCP returns c's plain TCP connection and its raw connection, when c
// is one.
func rawTCP(c net.Conn) (*net.TCPConn, syscall.RawConn, bool) {
	tc, ok := c.(*net.TCPConn)
	if !ok {
		return nil, nil, false
	}
	rc, err := tc.SyscallConn()
	return tc, rc, err == nil
}

// rawWriter makes one non-blocking write at a time on a raw connection.
// Its callback is made once, so a write allocates nothing; the queue's
// lock serialises its use.
type rawWriter struct {
	rc  syscall.RawConn
	fn  func(fd uintptr) bool
	b   []byte
	n   int
	err error
}

func newRawWriter(rc syscall.RawConn) *rawWriter {
	w := &rawWriter{rc: rc}
	w.fn = w.writeFd
	return w
}

// writeFd writes with a raw system call, outside the scheduler's
// accounting: the socket is non-blocking, so the call never waits, and a
// presence fan-out makes hundreds of them in a row from one goroutine,
// which the runtime would otherwise take its processor from.
func (w *rawWriter) writeFd(fd uintptr) bool {
	if len(w.b) == 0 {
		return true
	}
	for {
		n, _, errno := syscall.RawSyscall(syscall.SYS_WRITE, fd, uintptr(unsafe.Pointer(&w.b[0])), uintptr(len(w.b)))
		switch errno {
		case syscall.EINTR:
			continue
		case 0:
			w.n, w.err = int(n), nil
		default:
			w.n, w.err = -1, errno
		}
		return true // never wait for the socket to become writable
	}
}

// write makes one non-blocking write of b: it may run under the queue's
// lock, since it never waits.
func (w *rawWriter) write(b []byte) (int, error) {
	w.b = b
	rerr := w.rc.Write(w.fn)
	n, err := max(w.n, 0), w.err
	w.b, w.n, w.err = nil, 0, nil
	if rerr != nil {
		return 0, rerr
	}
	return n, err
}

// wouldBlock reports whether a write refused by writeNow can still be
// made by the writer: the socket was full, or a write deadline left by the
// writer had passed.
func wouldBlock(err error) bool {
	return errors.Is(err, syscall.EAGAIN) || errors.Is(err, os.ErrDeadlineExceeded)
}

// tcpSource is a plain TCP connection as a stream reader's source. Its
// WaitReadable lets the reader wait for input before it takes a buffer to
// read into, so that an idle connection holds none.
type tcpSource struct {
	*net.TCPConn
	raw  syscall.RawConn
	wait *readWait
}

// readWait is WaitReadable's callback, made once per connection so that
// waiting allocates nothing.
type readWait struct {
	fn     func(fd uintptr) bool
	polled bool // the callback has peeked once in this wait
}

// ready is asked first, then each time the poller reports the socket
// readable. Only the first asking peeks: after a wake-up the read comes
// next anyway, and a rare spurious one only makes that read wait.
func (w *readWait) ready(fd uintptr) bool {
	if w.polled {
		return true
	}
	w.polled = true
	return peekable(fd)
}

// newSource returns what the stream reader of connection c reads. The
// reader buffers by itself and hands its buffer back whenever it has
// consumed all it read; on plain TCP the source can also wait for input
// (tcpSource.WaitReadable), so a connection waiting for its next stanza
// holds no buffer at all.
func newSource(c net.Conn) io.Reader {
	tc, rc, ok := rawTCP(c)
	if !ok {
		return c
	}
	w := &readWait{}
	w.fn = w.ready
	return tcpSource{tc, rc, w}
}

// WaitReadable blocks until a Read would not block: input, the peer's
// end or an error is waiting. It honours the read deadline, and fails as
// Read would.
func (t tcpSource) WaitReadable() error {
	t.wait.polled = false
	err := t.raw.Read(t.wait.fn)
	var oe *net.OpError
	if errors.As(err, &oe) {
		oe.Op = "read" // as Read names it
	}
	return err
}

// peekable reports whether the socket has something for a read: a byte,
// the end of input, or an error. It consumes nothing.
func peekable(fd uintptr) bool {
	var b [1]byte
	for {
		_, _, errno := syscall.Syscall6(syscall.SYS_RECVFROM, fd, uintptr(unsafe.Pointer(&b[0])), 1,
			syscall.MSG_PEEK|syscall.MSG_DONTWAIT, 0, 0)
		switch errno {
		case syscall.EINTR:
			continue
		case syscall.EAGAIN:
			return false
		}
		return true
	}
}
