//go:build linux

package load

import (
	"errors"
	"syscall"
)

// fdWriter writes to a non-blocking socket descriptor the reactor reads,
// waiting while the socket's buffer is full.
type fdWriter int

// writeWait bounds one wait for room in the socket's buffer, in ms.
const writeWait = 30_000

func (w fdWriter) Write(b []byte) (int, error) {
	written := 0
	for written < len(b) {
		n, err := syscall.Write(int(w), b[written:])
		if n > 0 {
			written += n
		}
		switch {
		case err == syscall.EAGAIN:
			if err := w.waitWritable(); err != nil {
				return written, err
			}
		case err == syscall.EINTR:
		case err != nil:
			return written, err
		}
	}
	return written, nil
}

// waitWritable waits for room to write; rare enough (a sender far ahead
// of the server) that an epoll set of its own is cheap.
func (w fdWriter) waitWritable() error {
	ep, err := syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
	if err != nil {
		return err
	}
	defer syscall.Close(ep)
	ev := syscall.EpollEvent{Events: syscall.EPOLLOUT, Fd: int32(w)}
	if err := syscall.EpollCtl(ep, syscall.EPOLL_CTL_ADD, int(w), &ev); err != nil {
		return err
	}
	events := make([]syscall.EpollEvent, 1)
	for {
		n, err := syscall.EpollWait(ep, events, writeWait)
		switch {
		case err == syscall.EINTR:
		case err != nil:
			return err
		case n == 0:
			return errors.New("timed out writing to the server")
		default:
			return nil
		}
	}
}

func (w fdWriter) Close() error { return syscall.Close(int(w)) }
