package sandbox_test

import (
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/xmppsandbox/xmppsandbox/sandbox/fault"
	"github.com/xmppsandbox/xmppsandbox/sandbox/sandboxtest"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stream"
)

// faultUsers are the accounts of the fault and toggle tests: mine is the
// client under test, admin the other side of its conversations.
const faultUsers = `
domain: localhost
users:
  mine:  {password: mine}
  admin: {password: admin}
`

// mustCall makes an API request that must answer status.
func mustCall(t *testing.T, srv *sandboxtest.Server, method, path, body string, status int, out any) {
	t.Helper()
	if code := call(t, srv, method, path, body, out); code != status {
		t.Fatalf("%s %s %s: status %d, want %d (%v)", method, path, body, code, status, out)
	}
}

// setFault posts a fault and fails the test if it is refused.
func setFault(t *testing.T, srv *sandboxtest.Server, body string) {
	t.Helper()
	var res map[string]any
	mustCall(t, srv, "POST", "/api/faults", body, 200, &res)
}

func TestFaultDelayHoldsStanzasBack(t *testing.T) {
	srv := sandboxtest.Start(t, faultUsers)
	mine := sandboxtest.Login(t, srv, "mine", "mine", sandboxtest.LoginOptions{Resource: "phone"})
	admin := sandboxtest.Login(t, srv, "admin", "admin", sandboxtest.LoginOptions{Resource: "desk"})
	const delay = time.Second
	setFault(t, srv, `{"jid":"mine@localhost/phone","delay":"1s"}`)
	start := time.Now()
	admin.Send(`<message to='mine@localhost/phone' id='d1'><body>late</body></message>`)
	mine.Expect(`<message id='d1'/>`)
	if took := time.Since(start); took < delay {
		t.Fatalf("a message delayed by %s arrived after %s", delay, took)
	}

	// A random delay per stanza still keeps their order: the writer holds
	// each one back in turn.
	if _, err := srv.SetFault("mine", fault.Patch{Delay: &fault.Delay{Min: 20 * time.Millisecond, Max: 200 * time.Millisecond}}); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.ClearFaults("mine@localhost/phone"); err != nil {
		t.Fatal(err)
	}
	for i := range 6 {
		admin.Send(fmt.Sprintf(`<message to='mine@localhost/phone' id='o%d'><body>%d</body></message>`, i, i))
	}
	for i := range 6 {
		mine.Expect(fmt.Sprintf(`<message id='o%d'/>`, i))
	}

	var cleared map[string]int
	mustCall(t, srv, "DELETE", "/api/faults/mine", "", 200, &cleared)
	if cleared["cleared"] != 1 {
		t.Fatalf("clearing mine answered %v", cleared)
	}
	start = time.Now()
	admin.Send(`<message to='mine@localhost/phone' id='d2'><body>on time</body></message>`)
	mine.Expect(`<message id='d2'/>`)
	if took := time.Since(start); took >= delay {
		t.Fatalf("after clearing, a message took %s", took)
	}
}

func TestFaultDelayDoesNotHoldUpAClose(t *testing.T) {
	srv := sandboxtest.Start(t, faultUsers)
	mine := sandboxtest.Login(t, srv, "mine", "mine", sandboxtest.LoginOptions{Resource: "phone"})
	admin := sandboxtest.Login(t, srv, "admin", "admin", sandboxtest.LoginOptions{Resource: "desk"})
	setFault(t, srv, `{"jid":"mine","delay":"1m"}`)
	admin.Send(`<message to='mine@localhost/phone' id='held'><body>held</body></message>`)
	admin.Sync()
	start := time.Now()
	mustCall(t, srv, "POST", "/api/kick", `{"jid":"mine"}`, 200, nil)
	// Within sandboxtest.Timeout, far below the minute of delay.
	mine.ExpectStreamEnd()
	t.Logf("the stream ended %s after the kick", time.Since(start))
}

// versionGet is an iq admin sends to mine's client, which answers it: a
// marker that is neither a message nor dropped with messages.
func versionGet(id string) string {
	return `<iq type='get' id='` + id + `' to='mine@localhost/phone'><query xmlns='jabber:iq:version'/></iq>`
}

func TestFaultDropsOneKindOfStanza(t *testing.T) {
	srv := sandboxtest.Start(t, faultUsers)
	mine := sandboxtest.Login(t, srv, "mine", "mine", sandboxtest.LoginOptions{Resource: "phone"})
	admin := sandboxtest.Login(t, srv, "admin", "admin", sandboxtest.LoginOptions{Resource: "desk"})
	setFault(t, srv, `{"jid":"mine","drop_percent":100,"drop_kind":"message"}`)
	admin.Send(`<message to='mine@localhost/phone' id='lost'><body>lost</body></message>`)
	admin.Send(versionGet("q1"))
	mine.Expect(`<iq type='get' id='q1'/>`)
	mine.ExpectNothing()

	setFault(t, srv, `{"jid":"mine","drop_percent":50,"drop_kind":"message"}`)
	const sent = 60
	for i := range sent {
		admin.Send(fmt.Sprintf(`<message to='mine@localhost/phone' id='m%d'><body>%d</body></message>`, i, i))
	}
	admin.Send(versionGet("q2"))
	got := 0
	for el := mine.Next(); el.ID() != "q2"; el = mine.Next() {
		got++
	}
	// Each message is dropped with odds of one half: all or none of 60
	// only once in 10^17 runs.
	if got == 0 || got == sent {
		t.Fatalf("%d of %d messages arrived with 50%% dropped", got, sent)
	}

	mustCall(t, srv, "DELETE", "/api/faults/mine", "", 200, nil)
	admin.Send(`<message to='mine@localhost/phone' id='kept'><body>kept</body></message>`)
	mine.Expect(`<message id='kept'/>`)
}

func TestFaultIQErrorReachesFutureSessions(t *testing.T) {
	srv := sandboxtest.Start(t, faultUsers)
	setFault(t, srv, `{"jid":"mine","iq_error_ns":"jabber:iq:roster","iq_error_condition":"internal-server-error"}`)
	mine := sandboxtest.Login(t, srv, "mine", "mine", sandboxtest.LoginOptions{Resource: "phone"})
	mine.Send(`<iq type='get' id='r1'><query xmlns='jabber:iq:roster'/></iq>`)
	mine.Expect(`<iq type='error' id='r1'><error type='cancel'><internal-server-error xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`)
	mine.Send(`<iq type='get' id='v1' to='localhost'><query xmlns='jabber:iq:version'/></iq>`)
	mine.Expect(`<iq type='result' id='v1'/>`)

	setFault(t, srv, `{"jid":"mine","iq_error_ns":"jabber:iq:version","iq_error_condition":"resource-constraint"}`)
	mine.Send(`<iq type='get' id='v2' to='localhost'><query xmlns='jabber:iq:version'/></iq>`)
	mine.Expect(`<iq type='error' id='v2' from='localhost'><error type='wait'><resource-constraint xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`)
	var list []sandboxFault
	mustCall(t, srv, "GET", "/api/faults", "", 200, &list)
	if len(list) != 1 || list[0].JID != "mine@localhost" || len(list[0].IQErrors) != 2 {
		t.Fatalf("faults listed: %+v", list)
	}

	mustCall(t, srv, "DELETE", "/api/faults/mine@localhost", "", 200, nil)
	mine.Send(`<iq type='get' id='r2'><query xmlns='jabber:iq:roster'/></iq>`)
	mine.Expect(`<iq type='result' id='r2'/>`)
}

// sandboxFault is a fault as GET /api/faults lists it.
type sandboxFault struct {
	JID         string            `json:"jid"`
	Delay       string            `json:"delay"`
	DelayMax    string            `json:"delay_max"`
	DropPercent int               `json:"drop_percent"`
	DropKind    string            `json:"drop_kind"`
	IQErrors    map[string]string `json:"iq_errors"`
	NoPingReply bool              `json:"no_ping_reply"`
}

func TestFaultNoPingReplyForOneResource(t *testing.T) {
	srv := sandboxtest.Start(t, faultUsers)
	phone := sandboxtest.Login(t, srv, "mine", "mine", sandboxtest.LoginOptions{Resource: "phone"})
	laptop := sandboxtest.Login(t, srv, "mine", "mine", sandboxtest.LoginOptions{Resource: "laptop"})
	setFault(t, srv, `{"jid":"mine@localhost/phone","no_ping_reply":true}`)
	phone.Send(`<iq type='get' id='p1' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>`)
	phone.Send(`<iq type='get' id='d1' to='localhost'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>`)
	// The server handles one client's stanzas in order: had it answered
	// the ping, the answer would come before the disco result.
	phone.Expect(`<iq type='result' id='d1'/>`)
	laptop.Sync()

	mustCall(t, srv, "DELETE", "/api/faults/mine@localhost/phone", "", 200, nil)
	phone.Send(`<iq type='get' id='p2' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>`)
	phone.Expect(`<iq type='result' id='p2'/>`)
}

func TestFaultCloseGracefullyWithStreamError(t *testing.T) {
	srv := sandboxtest.Start(t, faultUsers)
	for _, cond := range []string{"conflict", "host-gone", ""} {
		t.Run("condition "+cond, func(t *testing.T) {
			c := rawLogin(t, srv, "mine", "phone", false)
			var res map[string]int
			mustCall(t, srv, "POST", "/api/faults/close", `{"jid":"mine@localhost/phone","mode":"graceful","condition":"`+cond+`"}`, 200, &res)
			if res["closed"] != 1 {
				t.Fatalf("close answered %v", res)
			}
			want := cond
			if want == "" {
				want = fault.DefaultCondition
			}
			c.expectStreamErrorThenEnd(want)
		})
	}
}

func TestFaultCloseResetsTheConnection(t *testing.T) {
	srv := sandboxtest.Start(t, faultUsers)
	for _, useTLS := range []bool{false, true} {
		t.Run(fmt.Sprintf("tls %v", useTLS), func(t *testing.T) {
			c := rawLogin(t, srv, "mine", "phone", useTLS)
			other := sandboxtest.Login(t, srv, "mine", "mine", sandboxtest.LoginOptions{Resource: "other"})
			var res map[string]int
			mustCall(t, srv, "POST", "/api/faults/close", `{"jid":"mine@localhost/phone","mode":"reset"}`, 200, &res)
			got, err := c.readToEnd()
			if strings.Contains(got, "</stream:stream>") || strings.Contains(got, "error") {
				t.Fatalf("a reset stream sent %q before ending", got)
			}
			if !errors.Is(err, syscall.ECONNRESET) {
				t.Fatalf("the connection ended with %v, want a reset", err)
			}
			other.Sync()
			if n := sessionCount(t, srv); n != 1 {
				t.Fatalf("%d sessions left, want the other resource alone", n)
			}
		})
	}
}

func TestFaultCloseResetsAWebSocket(t *testing.T) {
	srv := sandboxtest.Start(t, faultUsers)
	c := dialWS(t, srv)
	c.send(`<open xmlns='` + framing + `' to='localhost' version='1.0'/>`)
	c.expect(`<open`)
	c.expect(`<stream:features`)
	c.send(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>` + base64.StdEncoding.EncodeToString([]byte("\x00mine\x00mine")) + `</auth>`)
	c.expect(`<success`)
	c.send(`<open xmlns='` + framing + `' to='localhost' version='1.0'/>`)
	c.expect(`<open`)
	c.expect(`<bind`)
	c.send(`<iq type='set' id='b' xmlns='jabber:client'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>web</resource></bind></iq>`)
	c.expect(`type="result"`)
	mustCall(t, srv, "POST", "/api/faults/close", `{"jid":"mine@localhost/web","mode":"reset"}`, 200, nil)
	for {
		_, data, err := c.ws.Read(c.ctx)
		if err != nil {
			if websocket.CloseStatus(err) == -1 && !errors.Is(err, io.EOF) {
				t.Logf("the WebSocket ended with %v", err)
			}
			break
		}
		if strings.Contains(string(data), "<close") || strings.Contains(string(data), "error") {
			t.Fatalf("a reset WebSocket sent %q", data)
		}
	}
}

func TestFaultAPIRefusesBadInput(t *testing.T) {
	srv := sandboxtest.Start(t, faultUsers)
	cases := []struct {
		name, method, path, body string
		code                     int
		says                     string
	}{
		{"unknown user", "POST", "/api/faults", `{"jid":"nobody","no_ping_reply":true}`, 404, "unknown user"},
		{"no jid", "POST", "/api/faults", `{"no_ping_reply":true}`, 400, "jid is required"},
		{"bad delay", "POST", "/api/faults", `{"jid":"mine","delay":"soon"}`, 400, "duration"},
		{"inverted delay", "POST", "/api/faults", `{"jid":"mine","delay":"2s","delay_max":"1s"}`, 400, "below its minimum"},
		{"drop over 100", "POST", "/api/faults", `{"jid":"mine","drop_percent":150}`, 400, "between 0 and 100"},
		{"drop kind alone", "POST", "/api/faults", `{"jid":"mine","drop_kind":"iq"}`, 400, "goes with drop_percent"},
		{"bad drop kind", "POST", "/api/faults", `{"jid":"mine","drop_percent":5,"drop_kind":"stanza"}`, 400, "message, presence, iq or all"},
		{"iq error without condition", "POST", "/api/faults", `{"jid":"mine","iq_error_ns":"jabber:iq:roster"}`, 400, "go together"},
		{"iq error with a stream condition", "POST", "/api/faults", `{"jid":"mine","iq_error_ns":"x","iq_error_condition":"host-gone"}`, 400, "§8.3.3"},
		{"unknown field", "POST", "/api/faults", `{"jid":"mine","dealy":"1s"}`, 400, "unknown field"},
		{"clear unknown user", "DELETE", "/api/faults/nobody", "", 404, "unknown user"},
		{"close without session", "POST", "/api/faults/close", `{"jid":"mine"}`, 404, "no session"},
		{"close mode", "POST", "/api/faults/close", `{"jid":"mine","mode":"hangup"}`, 400, "close mode"},
		{"close stanza condition", "POST", "/api/faults/close", `{"jid":"mine","condition":"item-not-found"}`, 400, "§4.9.3"},
		{"close see-other-host", "POST", "/api/faults/close", `{"jid":"mine","condition":"see-other-host"}`, 400, "host to redirect to"},
		{"reset with condition", "POST", "/api/faults/close", `{"jid":"mine","mode":"reset","condition":"conflict"}`, 400, "no stream error"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var res map[string]string
			if code := call(t, srv, tc.method, tc.path, tc.body, &res); code != tc.code || !strings.Contains(res["error"], tc.says) {
				t.Fatalf("got %d %v, want %d saying %q", code, res, tc.code, tc.says)
			}
		})
	}
	var list []sandboxFault
	mustCall(t, srv, "GET", "/api/faults", "", 200, &list)
	if len(list) != 0 {
		t.Fatalf("refused requests left faults: %+v", list)
	}
}

func TestFaultAPIMergesAndLists(t *testing.T) {
	srv := sandboxtest.Start(t, faultUsers)
	var got sandboxFault
	mustCall(t, srv, "POST", "/api/faults", `{"jid":"mine","delay":"100ms","delay_max":"2s"}`, 200, &got)
	mustCall(t, srv, "POST", "/api/faults", `{"jid":"mine","drop_percent":30}`, 200, &got)
	want := sandboxFault{JID: "mine@localhost", Delay: "100ms", DelayMax: "2s", DropPercent: 30, DropKind: "all"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("after two posts: %+v, want %+v", got, want)
	}
	mustCall(t, srv, "POST", "/api/faults", `{"jid":"mine/phone","no_ping_reply":true}`, 200, &got)
	var list []sandboxFault
	mustCall(t, srv, "GET", "/api/faults", "", 200, &list)
	if len(list) != 2 || list[0].JID != "mine@localhost" || list[1].JID != "mine@localhost/phone" || !list[1].NoPingReply {
		t.Fatalf("listed %+v", list)
	}
	mustCall(t, srv, "POST", "/api/faults", `{"jid":"mine","delay":"0","drop_percent":0}`, 200, &got)
	var cleared map[string]int
	mustCall(t, srv, "DELETE", "/api/faults/mine", "", 200, &cleared)
	if cleared["cleared"] != 1 {
		t.Fatalf("a fault switched wholly off was kept: cleared %v", cleared)
	}
}

// sessionCount returns how many sessions the server has bound.
func sessionCount(t *testing.T, srv *sandboxtest.Server) int {
	t.Helper()
	var list []map[string]any
	mustCall(t, srv, "GET", "/api/sessions", "", 200, &list)
	return len(list)
}

// rawSession is a client connection written by hand, to see exactly
// what the server sends and how the connection ends.
type rawSession struct {
	t    *testing.T
	conn net.Conn
	r    *stream.Reader
}

// rawLogin connects, optionally negotiates STARTTLS, authenticates user
// with PLAIN (password = user name) and binds resource.
func rawLogin(t *testing.T, srv *sandboxtest.Server, user, resource string, useTLS bool) *rawSession {
	t.Helper()
	c := rawDial(t, srv)
	c.open()
	if useTLS {
		c.startTLS(srv.Domain())
	}
	c.auth("PLAIN", user)
	c.open()
	c.send(`<iq type='set' id='bind'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>` + resource + `</resource></bind></iq>`)
	if res := c.next(); res.Type() != "result" {
		t.Fatalf("bind refused: %s", res)
	}
	return c
}

func rawDial(t *testing.T, srv *sandboxtest.Server) *rawSession {
	t.Helper()
	conn, err := net.DialTimeout("tcp", srv.C2SAddr(), sandboxtest.Timeout)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return &rawSession{t: t, conn: conn}
}

func (c *rawSession) send(text string) {
	c.t.Helper()
	c.conn.SetWriteDeadline(time.Now().Add(sandboxtest.Timeout))
	if _, err := io.WriteString(c.conn, text); err != nil {
		c.t.Fatalf("send %.60q: %v", text, err)
	}
}

// open starts a stream and returns the server's features.
func (c *rawSession) open() *stanza.Element {
	c.t.Helper()
	c.r = stream.NewReader(c.conn, 1<<20)
	c.send(`<?xml version='1.0'?><stream:stream to='localhost' version='1.0' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>`)
	c.conn.SetReadDeadline(time.Now().Add(sandboxtest.Timeout))
	if _, err := c.r.Header(); err != nil {
		c.t.Fatalf("the server's stream header: %v", err)
	}
	return c.next()
}

func (c *rawSession) next() *stanza.Element {
	c.t.Helper()
	c.conn.SetReadDeadline(time.Now().Add(sandboxtest.Timeout))
	el, err := c.r.Next()
	if err != nil {
		c.t.Fatalf("reading from the server: %v", err)
	}
	return el
}

// startTLS upgrades the connection and opens the encrypted stream.
func (c *rawSession) startTLS(domain string) {
	c.t.Helper()
	c.send(`<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>`)
	if el := c.next(); el.Name.Local != "proceed" {
		c.t.Fatalf("STARTTLS answered with %s", el)
	}
	tc := tls.Client(c.conn, &tls.Config{ServerName: domain, InsecureSkipVerify: true})
	tc.SetDeadline(time.Now().Add(sandboxtest.Timeout))
	if err := tc.Handshake(); err != nil {
		c.t.Fatalf("TLS handshake: %v", err)
	}
	c.conn = tc
	c.open()
}

// auth authenticates user (whose password is its name) with PLAIN and
// returns the server's answer.
func (c *rawSession) auth(mech, user string) *stanza.Element {
	c.t.Helper()
	c.send(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='` + mech + `'>` + base64.StdEncoding.EncodeToString([]byte("\x00"+user+"\x00"+user)) + `</auth>`)
	return c.next()
}

// expectStreamErrorThenEnd reads the stream error the server closes the
// stream with, then </stream:stream> (RFC 6120 §4.9.1.1).
func (c *rawSession) expectStreamErrorThenEnd(condition string) {
	c.t.Helper()
	el := c.next()
	if el.Name.Space != stanza.NSStream || el.Name.Local != "error" || el.Child(stanza.NSStreams, condition) == nil {
		c.t.Fatalf("server sent %s, want a <%s/> stream error", el, condition)
	}
	c.conn.SetReadDeadline(time.Now().Add(sandboxtest.Timeout))
	if _, err := c.r.Next(); !errors.Is(err, stream.ErrClosed) {
		c.t.Fatalf("after the stream error: %v, want </stream:stream>", err)
	}
}

// readToEnd returns what the server sends until the connection ends, and
// how it ended.
func (c *rawSession) readToEnd() (string, error) {
	c.t.Helper()
	var got []byte
	buf := make([]byte, 4096)
	for {
		c.conn.SetReadDeadline(time.Now().Add(sandboxtest.Timeout))
		n, err := c.conn.Read(buf)
		got = append(got, buf[:n]...)
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			c.t.Fatalf("the connection stayed open; the server sent %q", got)
		}
		if err != nil {
			return string(got), err
		}
	}
}
