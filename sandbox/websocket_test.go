package sandbox_test

import (
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/xmppsandbox/xmppsandbox/sandbox/sandboxtest"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stream"
)

// wsClient speaks RFC 7395 frames by hand, to check the framing exactly.
type wsClient struct {
	t   *testing.T
	ws  *websocket.Conn
	ctx context.Context
}

func dialWS(t *testing.T, srv *sandboxtest.Server) *wsClient {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	ws, _, err := websocket.Dial(ctx, "ws://"+srv.HTTPAddr()+"/xmpp-websocket", &websocket.DialOptions{Subprotocols: []string{"xmpp"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.CloseNow() })
	return &wsClient{t, ws, ctx}
}

func (c *wsClient) send(frame string) {
	c.t.Helper()
	if err := c.ws.Write(c.ctx, websocket.MessageText, []byte(frame)); err != nil {
		c.t.Fatal(err)
	}
}

// expect reads one frame, which must be one complete element containing
// each of the given fragments.
func (c *wsClient) expect(fragments ...string) string {
	c.t.Helper()
	_, data, err := c.ws.Read(c.ctx)
	if err != nil {
		c.t.Fatal(err)
	}
	frame := string(data)
	if _, err := stream.Parse(frame, 0); err != nil {
		c.t.Fatalf("frame %q is not one complete element: %v", frame, err)
	}
	for _, f := range fragments {
		if !strings.Contains(frame, f) {
			c.t.Fatalf("frame %q lacks %q", frame, f)
		}
	}
	return frame
}

const framing = "urn:ietf:params:xml:ns:xmpp-framing"

func TestWebSocketLoginAndMessage(t *testing.T) {
	srv := sandboxtest.Start(t, seedUsers)
	tcp := online(t, srv, "admin", "desk")
	c := dialWS(t, srv)
	c.send(`<open xmlns='` + framing + `' to='localhost' version='1.0'/>`)
	c.expect(`<open xmlns='`+framing+`'`, `from='localhost'`)
	features := c.expect(`<stream:features xmlns:stream="http://etherx.jabber.org/streams">`, `PLAIN`)
	if strings.Contains(features, "starttls") {
		t.Fatal("STARTTLS offered over WebSocket")
	}
	c.send(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>` + base64.StdEncoding.EncodeToString([]byte("\x00mine\x00mine")) + `</auth>`)
	c.expect(`<success`)
	c.send(`<open xmlns='` + framing + `' to='localhost' version='1.0'/>`)
	c.expect(`<open`)
	c.expect(`<bind xmlns="urn:ietf:params:xml:ns:xmpp-bind"/>`)
	c.send(`<iq type='set' id='b' xmlns='jabber:client'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>web</resource></bind></iq>`)
	c.expect(`<iq xmlns="jabber:client"`, `mine@localhost/web`)
	c.send(`<iq type='get' id='r' xmlns='jabber:client'><query xmlns='jabber:iq:roster'/></iq>`)
	c.expect(`id="r"`, `<query xmlns="jabber:iq:roster"`)
	c.send(`<message to='admin@localhost/desk' type='chat' xmlns='jabber:client'><body>from the browser</body></message>`)
	tcp.Expect(`<message from='mine@localhost/web'><body>from the browser</body></message>`)
	tcp.Send(`<message to='mine@localhost/web' type='chat'><body>back to the browser</body></message>`)
	c.expect(`from="admin@localhost/desk"`, `back to the browser`)
	c.send(`<close xmlns='` + framing + `'/>`)
	c.expect(`<close xmlns='` + framing + `'/>`)
}

func TestWebSocketStreamErrorIsFramed(t *testing.T) {
	srv := sandboxtest.Start(t, seedUsers)
	c := dialWS(t, srv)
	c.send(`<open xmlns='` + framing + `' to='localhost' version='1.0'/>`)
	c.expect(`<open`)
	c.expect(`<stream:features`)
	c.send(`<message xmlns='jabber:client' to='admin@localhost'><body>too early</body></message>`)
	c.expect(`<stream:error xmlns:stream="http://etherx.jabber.org/streams">`, `not-authorized`)
	c.expect(`<close xmlns='` + framing + `'/>`)
}

func TestWebSocketNeedsTheXMPPSubprotocol(t *testing.T) {
	srv := sandboxtest.Start(t, seedUsers)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ws, _, err := websocket.Dial(ctx, "ws://"+srv.HTTPAddr()+"/xmpp-websocket", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.CloseNow()
	_, _, err = ws.Read(ctx)
	if websocket.CloseStatus(err) != websocket.StatusProtocolError {
		t.Fatalf("read: %v, want a close with status protocol error", err)
	}
}

func TestHostMetaAdvertisesWebSocket(t *testing.T) {
	srv := sandboxtest.Start(t, seedUsers)
	for _, path := range []string{"/.well-known/host-meta", "/.well-known/host-meta.json"} {
		res, err := http.Get("http://" + srv.HTTPAddr() + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		want := "ws://" + srv.HTTPAddr() + "/xmpp-websocket"
		if res.StatusCode != 200 || !strings.Contains(string(body), "urn:xmpp:alt-connections:websocket") || !strings.Contains(string(body), want) {
			t.Fatalf("%s: %d %s, want a link to %s", path, res.StatusCode, body, want)
		}
	}
}
