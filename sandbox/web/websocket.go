package web

import (
	"context"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"

	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stream"
)

// Subprotocol is the WebSocket subprotocol of RFC 7395.
const Subprotocol = "xmpp"

// WebSocket serves XMPP over WebSocket (RFC 7395): it upgrades the request
// and hands serve a net.Conn that reads the client's frames as one
// ordinary stream and writes each element as its own message. Any origin
// may connect: the stream still has to authenticate, as a TCP one does.
func WebSocket(maxStanza int, serve func(net.Conn)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := websocket.Accept(w, r, &websocket.AcceptOptions{
			Subprotocols:       []string{Subprotocol},
			InsecureSkipVerify: true,
		})
		if err != nil {
			return
		}
		if c.Subprotocol() != Subprotocol {
			c.Close(websocket.StatusProtocolError, "the xmpp subprotocol is required (RFC 7395)")
			return
		}
		c.SetReadLimit(int64(maxStanza) + 4096)
		serve(newConn(c, r))
	})
}

// conn adapts a WebSocket to the byte stream the c2s machine reads: the
// framing elements <open/> and <close/> become a stream header and its
// end, and stanzas pass through unchanged.
type conn struct {
	ws     *websocket.Conn
	local  net.Addr
	remote net.Addr
	buf    []byte

	mu            sync.Mutex
	readDeadline  time.Time
	writeDeadline time.Time
}

func newConn(ws *websocket.Conn, r *http.Request) *conn {
	c := &conn{ws: ws, remote: addr(r.RemoteAddr)}
	if a, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr); ok {
		c.local = a
	} else {
		c.local = addr("")
	}
	return c
}

func (c *conn) Read(p []byte) (int, error) {
	for len(c.buf) == 0 {
		ctx, cancel := c.context(false)
		_, data, err := c.ws.Read(ctx)
		cancel()
		if err != nil {
			return 0, err
		}
		c.buf = translate(data)
	}
	n := copy(p, c.buf)
	c.buf = c.buf[n:]
	return n, nil
}

func (c *conn) Write(p []byte) (int, error) {
	ctx, cancel := c.context(true)
	defer cancel()
	if err := c.ws.Write(ctx, websocket.MessageText, p); err != nil {
		return 0, err
	}
	return len(p), nil
}

// context bounds one read or write by its deadline.
func (c *conn) context(write bool) (context.Context, context.CancelFunc) {
	c.mu.Lock()
	d := c.readDeadline
	if write {
		d = c.writeDeadline
	}
	c.mu.Unlock()
	if d.IsZero() {
		return context.WithCancel(context.Background())
	}
	return context.WithDeadline(context.Background(), d)
}

func (c *conn) Close() error                  { return c.ws.Close(websocket.StatusNormalClosure, "") }
func (c *conn) LocalAddr() net.Addr           { return c.local }
func (c *conn) RemoteAddr() net.Addr          { return c.remote }
func (c *conn) SetDeadline(t time.Time) error { c.SetReadDeadline(t); return c.SetWriteDeadline(t) }
func (c *conn) SetReadDeadline(t time.Time) error {
	c.mu.Lock()
	c.readDeadline = t
	c.mu.Unlock()
	return nil
}
func (c *conn) SetWriteDeadline(t time.Time) error {
	c.mu.Lock()
	c.writeDeadline = t
	c.mu.Unlock()
	return nil
}

// translate turns one client frame into stream text. RFC 7395 §3.3.1:
// the stream opens with <open/> and ends with <close/>, both in the
// framing namespace; anything else is a stanza or a negotiation element.
func translate(frame []byte) []byte {
	text := strings.TrimSpace(string(frame))
	if !strings.HasPrefix(text, "<open") && !strings.HasPrefix(text, "<close") {
		return frame
	}
	el, err := stream.Parse(text, len(text)+1)
	if err != nil || el.Name.Space != stanza.NSFraming {
		return frame // the stream reader reports what is wrong with it
	}
	switch el.Name.Local {
	case "close":
		return []byte("</stream:stream>")
	case "open":
	default:
		return frame // RFC 7395 §3.3 frames only with <open/> and <close/>
	}
	h := stanza.New("", "stream:stream", "xmlns", stanza.NSClient, "xmlns:stream", stanza.NSStream,
		"to", el.Get("to"), "from", el.Get("from"), "version", el.Get("version"))
	if lang := el.Lang(); lang != "" {
		h.Set("xml:lang", lang)
	}
	out := h.AppendXML(nil, "")
	// A header opens the stream; it is not an empty element.
	return append(out[:len(out)-2], '>')
}

type addr string

func (a addr) Network() string { return "websocket" }
func (a addr) String() string  { return string(a) }
