//go:build linux

package load

import (
	"bufio"
	"errors"
	"sync"
	"syscall"

	"github.com/xmppsandbox/xmppsandbox/sandbox/xclient"
)

// reactor reads every session of a scenario in one goroutine, waiting on
// all of them with one epoll set: with a goroutine per connection, each
// element cost the load generator a scheduler wake-up and a read that
// found nothing, on the CPUs the server under test needs.
type reactor struct {
	ep       int
	wake     [2]int // a pipe whose reading end stops the loop
	mu       sync.Mutex
	conns    []*rconn // by the id given to epoll
	done     chan struct{}
	stopOnce sync.Once
}

// rconn is a session the reactor reads, with the input not yet framed.
type rconn struct {
	s      *session
	fd     int
	handle func(el []byte)
	in     []byte
	gone   bool
}

// wakeID marks the stop pipe's events.
const wakeID = -1

// Read buffers start small, for the idle scenario's thousands of
// connections, and grow for the connections that receive in bursts.
const (
	minRead = 4 << 10
	maxRead = 64 << 10
)

func newReactor() (*reactor, error) {
	ep, err := syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
	if err != nil {
		return nil, err
	}
	r := &reactor{ep: ep, done: make(chan struct{})}
	if err := syscall.Pipe2(r.wake[:], syscall.O_CLOEXEC|syscall.O_NONBLOCK); err != nil {
		syscall.Close(ep)
		return nil, err
	}
	ev := syscall.EpollEvent{Events: syscall.EPOLLIN, Fd: wakeID}
	if err := syscall.EpollCtl(ep, syscall.EPOLL_CTL_ADD, r.wake[0], &ev); err != nil {
		r.closeFDs()
		return nil, err
	}
	go r.run()
	return r, nil
}

// add hands s's input to handle, from now on in the reactor's goroutine.
// What s had already read is handled here first.
func (r *reactor) add(s *session, handle func(el []byte)) error {
	fd, pending, err := s.detach()
	if err != nil {
		return err
	}
	c := &rconn{s: s, fd: fd, handle: handle, in: pending}
	c.gone = !c.frame()
	r.mu.Lock()
	id := len(r.conns)
	r.conns = append(r.conns, c)
	r.mu.Unlock()
	if c.gone {
		return nil
	}
	ev := syscall.EpollEvent{Events: syscall.EPOLLIN | syscall.EPOLLRDHUP, Fd: int32(id)}
	return syscall.EpollCtl(r.ep, syscall.EPOLL_CTL_ADD, fd, &ev)
}

// run reads the ready connections until stopped.
func (r *reactor) run() {
	defer close(r.done)
	events := make([]syscall.EpollEvent, 256)
	ready := make([]*rconn, 0, len(events))
	for {
		n, err := syscall.EpollWait(r.ep, events, -1)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return
		}
		ready = ready[:0]
		r.mu.Lock()
		for _, ev := range events[:n] {
			if ev.Fd == wakeID {
				r.mu.Unlock()
				return
			}
			ready = append(ready, r.conns[ev.Fd])
		}
		r.mu.Unlock()
		for _, c := range ready {
			r.read(c)
		}
	}
}

// read takes what one connection has and hands on its elements; level
// triggering brings back a connection that had more than fitted.
func (r *reactor) read(c *rconn) {
	if c.gone {
		return
	}
	if len(c.in) == cap(c.in) {
		c.grow()
	}
	n, err := syscall.Read(c.fd, c.in[len(c.in):cap(c.in)])
	if err == syscall.EAGAIN || err == syscall.EINTR {
		return
	}
	if n <= 0 || !c.frameGrown(n) {
		// The server closed the stream or the connection: nothing more to read.
		syscall.EpollCtl(r.ep, syscall.EPOLL_CTL_DEL, c.fd, nil)
		c.gone = true
	}
}

// frameGrown frames after n more bytes were read.
func (c *rconn) frameGrown(n int) bool {
	c.in = c.in[:len(c.in)+n]
	return c.frame()
}

// grow makes room to read: double the buffer, up to maxRead at a time.
func (c *rconn) grow() {
	size := min(max(2*cap(c.in), minRead), cap(c.in)+maxRead)
	bigger := make([]byte, len(c.in), size)
	copy(bigger, c.in)
	c.in = bigger
}

// frame hands on every complete element and keeps the rest; false once
// the stream has ended.
func (c *rconn) frame() bool {
	off := 0
	for {
		el, n, err := xclient.Frame(c.in[off:])
		if err != nil {
			return false
		}
		if n == 0 {
			break
		}
		off += n
		if el != nil {
			c.handle(el)
		}
	}
	c.in = c.in[:copy(c.in, c.in[off:])]
	return true
}

// close stops reading, then closes every session added.
func (r *reactor) close() {
	r.stopOnce.Do(func() {
		syscall.Write(r.wake[1], []byte{0})
		<-r.done
		r.closeFDs()
		for _, c := range r.conns {
			c.s.close()
		}
	})
}

func (r *reactor) closeFDs() {
	syscall.Close(r.ep)
	syscall.Close(r.wake[0])
	syscall.Close(r.wake[1])
}

// detach takes s's socket from the Go runtime's poller, which would
// otherwise be woken by every arrival as well: it keeps a duplicate of
// the descriptor, closes the original and writes through the duplicate.
// It returns the duplicate and what s had read but not yet framed.
func (s *session) detach() (int, []byte, error) {
	if err := s.w.Flush(); err != nil {
		return 0, nil, err
	}
	sc, ok := s.c.Conn.(syscall.Conn)
	if !ok {
		return 0, nil, errors.New("not a socket")
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return 0, nil, err
	}
	fd, dupErr := -1, error(nil)
	if err := raw.Control(func(orig uintptr) { fd, dupErr = dupCloexec(int(orig)) }); err != nil {
		return 0, nil, err
	}
	if dupErr != nil {
		return 0, nil, dupErr
	}
	br := s.c.Raw()
	pending, _ := br.Peek(br.Buffered())
	pending = append(make([]byte, 0, max(minRead, len(pending))), pending...)
	s.c.Conn.Close()
	w := fdWriter(fd)
	s.w, s.detached = bufio.NewWriter(w), w
	return fd, pending, nil
}

func dupCloexec(fd int) (int, error) {
	syscall.ForkLock.RLock()
	defer syscall.ForkLock.RUnlock()
	dup, err := syscall.Dup(fd)
	if err == nil {
		syscall.CloseOnExec(dup)
	}
	return dup, err
}
