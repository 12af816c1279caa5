package load

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/xmppsandbox/xmppsandbox/sandbox/xclient"
)

// resource is the resource every load client binds.
const resource = "load"

// session is a client logged in as a user does: stream, SASL, bind,
// roster, initial presence. It frames the server's elements without
// parsing them and writes through the connection's buffer, flushing in
// batches.
type session struct {
	c        *xclient.Conn
	sc       *xclient.Scanner
	w        *bufio.Writer
	detached io.Closer // the socket once a reactor reads it, else nil
	closed   bool
}

// open logs in the i-th user.
func (cfg Config) open(i int) (*session, error) {
	name, password := cfg.user(i)
	return cfg.openAs(name, password, resource)
}

// openAs logs in a named user, binding res.
func (cfg Config) openAs(name, password, res string) (*session, error) {
	c, err := xclient.DialFast(cfg.Addr, name, password, cfg.options(res))
	if err != nil {
		return nil, err
	}
	s := &session{c: c, sc: c.Scanner(), w: c.Writer()}
	c.SetDeadline(time.Now().Add(cfg.loginTimeout()))
	if err := s.rosterThenPresence(); err != nil {
		c.Conn.Close()
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	c.SetDeadline(time.Time{})
	return s, nil
}

// rosterGetID is the id of the roster request.
const rosterGetID = "roster1"

// maxSkipped bounds the elements read past while waiting for the roster.
const maxSkipped = 1000

// rosterThenPresence gets the roster (RFC 6121 §2.1.3) and waits for it,
// as a client does before its initial presence, then sends that presence
// (§4.2), which makes the session available and has the server probe its
// contacts.
func (s *session) rosterThenPresence() error {
	s.w.WriteString(`<iq type='get' id='` + rosterGetID + `'><query xmlns='jabber:iq:roster'/></iq>`)
	if err := s.w.Flush(); err != nil {
		return err
	}
	for range maxSkipped {
		el, err := s.sc.Next()
		if err != nil {
			return err
		}
		if !xclient.Is(el, "iq") || string(xclient.Attr(el, "id")) != rosterGetID {
			continue
		}
		if string(xclient.Attr(el, "type")) != "result" {
			return errors.New("roster get refused: " + string(el))
		}
		return s.c.Available()
	}
	return errors.New("no answer to the roster get")
}

// read hands every element to handle until the stream or connection ends.
func (s *session) read(handle func(el []byte)) error {
	for {
		el, err := s.sc.Next()
		if err != nil {
			return err
		}
		handle(el)
	}
}

// close ends the stream and the connection, once.
func (s *session) close() {
	if s.closed {
		return
	}
	s.closed = true
	s.w.WriteString("</stream:stream>")
	s.w.Flush()
	if s.detached != nil {
		s.detached.Close()
		return
	}
	s.c.Conn.Close()
}

// openMany logs in users first..first+n-1 (as indexes from 0), at most
// cfg.Parallel at once, and has rx read each, handing its elements to
// handle(k, el). On any failure it returns the first error; rx.close
// closes the sessions opened.
func (cfg Config) openMany(ctx context.Context, rx *reactor, first, n int, handle func(k int, el []byte)) ([]*session, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sessions := make([]*session, n)
	var next atomic.Int64
	var firstErr error
	var once sync.Once
	var wg sync.WaitGroup
	for range min(cfg.Parallel, n) {
		wg.Go(func() {
			for k := int(next.Add(1) - 1); k < n && ctx.Err() == nil; k = int(next.Add(1) - 1) {
				s, err := cfg.open(first + k)
				if err != nil {
					once.Do(func() { firstErr = err })
					cancel()
					return
				}
				sessions[k] = s
				if err := rx.add(s, func(el []byte) { handle(k, el) }); err != nil {
					s.close()
					once.Do(func() { firstErr = err })
					cancel()
					return
				}
			}
		})
	}
	wg.Wait()
	if firstErr == nil && ctx.Err() != nil {
		firstErr = errors.New("timed out logging in")
	}
	if firstErr != nil {
		return nil, firstErr // rx.close closes those opened
	}
	return sessions, nil
}

// closeAll closes every open session.
func closeAll(sessions []*session) {
	for _, s := range sessions {
		if s != nil {
			s.close()
		}
	}
}

// ignore is a handler for connections whose input does not matter; it
// must still be read so that the server never blocks on it.
func ignore(int, []byte) {}
