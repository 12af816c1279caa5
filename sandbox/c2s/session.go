package c2s

import (
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"io"
	"net"
	"time"

	"github.com/xmppsandbox/xmppsandbox/sandbox/router"
	"github.com/xmppsandbox/xmppsandbox/sandbox/sasl"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stream"
	"github.com/xmppsandbox/xmppsandbox/sandbox/toggle"
)

// session is one client connection and its place in the state machine.
type session struct {
	cfg  *Config
	fr   framer
	conn net.Conn
	in   io.Reader // what each stream's reader reads
	// inChanged is set when in is replaced (STARTTLS): the next stream
	// needs a reader of its own rather than a restarted one.
	inChanged bool
	reader    *stream.Reader
	state     State
	id        string
	lang      string

	secure       bool
	user         string // authenticated localpart
	exchange     *sasl.Exchange
	saslFailures int
	attempted    string     // the account the current SASL exchange named
	rate         *rateLimit // set once bound, when a rate limit applies

	bound *router.Session
	out   *outQueue // set once bound; before that, writes are direct
	// unsent holds, on a stream transport before binding, what the
	// session wrote while handling its input, for one write (flush).
	unsent *[]byte
	// offered is the toggles in force when this stream last offered its
	// features: what the session negotiated, whatever changes later.
	offered toggle.State
}

// Serve runs the state machine on conn until the stream ends.
func Serve(cfg *Config, conn net.Conn) {
	s := &session{cfg: cfg, fr: tcpFraming{}, conn: conn, in: newSource(conn), state: WaitForStream}
	if cfg.Framed {
		s.fr = wsFraming{}
	}
	_, s.secure = conn.(*tls.Conn)
	s.run()
}

func (s *session) run() {
	defer s.finish()
	if s.cfg.AuthTimeout > 0 {
		s.conn.SetReadDeadline(time.Now().Add(s.cfg.AuthTimeout))
	}
	for {
		var err error
		if s.state == WaitForStream {
			err = s.waitForStream()
		} else {
			var el *stanza.Element
			if el, err = s.reader.Next(); err == nil {
				s.trace(true, el, s.rawIn())
				if s.out != nil {
					s.out.cork()
				}
				err = s.handle(el)
				if s.out != nil {
					s.out.uncork() // corked since bind, if bound just now
				}
			}
		}
		if err == nil {
			err = s.flush()
		}
		if err != nil {
			s.fail(err)
			return
		}
	}
}

// fail ends the stream after an error: a stream error is sent to the
// client, a broken connection is just closed.
func (s *session) fail(err error) {
	var se *stream.Error
	switch {
	case errors.As(err, &se):
		s.closeStream(s.ending(streamError(se.Condition, se.Text)))
	case errors.Is(err, stream.ErrClosed):
		s.closeStream(s.ending(nil))
	case isTimeout(err) && s.cfg.shuttingDown():
		s.closeStream(s.ending(streamError(stream.SystemShutdown, "the server is shutting down")))
	case isTimeout(err) && s.user == "":
		s.closeStream(s.ending(streamError(stream.ConnectionTimeout, "authentication took too long")))
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		s.closeStream(nil)
	default:
		s.closeStream(nil)
	}
}

// closeStream writes tail (a stream error and the stream's end) and
// closes the connection.
func (s *session) closeStream(tail [][]byte) {
	if s.state == WaitForStream && len(tail) > 0 && s.reader == nil {
		// RFC 6120 §4.9.1.1: an error before our header still opens the
		// stream first.
		tail = append([][]byte{[]byte(s.header(""))}, tail...)
	}
	if s.out != nil {
		s.out.close(tail)
		return
	}
	if s.unsent != nil {
		tail = append([][]byte{*s.unsent}, tail...)
	}
	s.conn.SetWriteDeadline(time.Now().Add(writeTimeout))
	for _, chunk := range joinUnlessFramed(s.fr, tail) {
		if len(chunk) > 0 {
			s.conn.Write(chunk)
		}
	}
	s.conn.Close()
	s.dropUnsent()
}

// joinUnlessFramed merges chunks into one write on a stream transport.
func joinUnlessFramed(fr framer, chunks [][]byte) [][]byte {
	if fr.oneElementPerWrite() || len(chunks) < 2 {
		return chunks
	}
	var all []byte
	for _, c := range chunks {
		all = append(all, c...)
	}
	return [][]byte{all}
}

// finish unbinds the session after the stream ended, however it ended.
func (s *session) finish() {
	if s.bound != nil {
		s.cfg.Hooks.SessionClosed.Run(s.bound)
		s.cfg.Router.Unregister(s.bound)
	}
	if s.out != nil {
		s.out.close(s.ending(nil))
		select {
		case <-s.out.finished():
		case <-time.After(writeTimeout):
		}
		s.conn.Close()
	}
}

// send writes one element to the client.
func (s *session) send(el *stanza.Element) {
	if s.out != nil {
		s.out.send(el)
		return
	}
	if s.fr.oneElementPerWrite() {
		wire := s.fr.element(nil, el)
		s.trace(false, el, wire)
		s.writeRaw(wire)
		return
	}
	s.hold(nil)
	mark := len(*s.unsent)
	*s.unsent = s.fr.element(*s.unsent, el)
	s.trace(false, el, (*s.unsent)[mark:])
}

// hold appends b to what flush writes, on a stream transport; a framed
// one writes it at once.
func (s *session) hold(b []byte) error {
	if s.fr.oneElementPerWrite() {
		return s.writeRaw(b)
	}
	if s.unsent == nil {
		s.unsent = getWireBuf()
	}
	*s.unsent = append(*s.unsent, b...)
	return nil
}

// flush writes what the session held back while handling its input.
func (s *session) flush() error {
	if s.unsent == nil {
		return nil
	}
	var err error
	if len(*s.unsent) > 0 {
		err = s.writeRaw(*s.unsent)
	}
	s.dropUnsent()
	return err
}

func (s *session) dropUnsent() {
	if s.unsent != nil {
		putWireBuf(s.unsent)
		s.unsent = nil
	}
}

func (s *session) writeRaw(b []byte) error {
	s.conn.SetWriteDeadline(time.Now().Add(writeTimeout))
	_, err := s.conn.Write(b)
	return err
}

// trace reports an element to the Trace hook; wire is its bytes as
// written, when known, so recording it costs no second serialisation.
func (s *session) trace(in bool, el *stanza.Element, wire []byte) {
	if s.cfg.Hooks.Trace.Empty() {
		return
	}
	// Formatting the address costs allocations; a bound session, the
	// one that sends and receives in bulk, is named by its JID instead.
	var name string
	if s.bound != nil {
		name = s.bound.Full
	} else {
		name = s.conn.RemoteAddr().String()
	}
	s.cfg.Hooks.Trace.Run(Trace{In: in, Session: name, El: el, Wire: wire, Time: time.Now()})
}

// rawIn returns the bytes of the element just read, as the client wrote
// them, for the trace to record without serialising the element again.
func (s *session) rawIn() []byte {
	if s.cfg.Hooks.Trace.Empty() {
		return nil
	}
	return s.reader.Raw()
}

// conn is the router's view of a bound session.
type conn struct{ s *session }

// Send queues el, unless a fault injected for the session drops it or
// holds it back (the writer waits, keeping the order).
func (c conn) Send(el *stanza.Element) {
	due, drop := c.s.cfg.Faults.Outgoing(c.s.bound.Bare, c.s.bound.Full, el.Name.Local)
	if !drop {
		c.s.out.sendAt(el, due)
	}
}

// Abort drops the connection at once, without a closing tag.
func (c conn) Abort() { c.s.out.abort() }

// Negotiated returns the toggles the session's stream was offered under.
func (c conn) Negotiated() toggle.State { return c.s.offered }

func (c conn) Close(condition, text string) {
	c.s.out.close(c.s.ending(streamError(condition, text)))
}

func newID() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
