package sandbox_test

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xmppsandbox/xmppsandbox/sandbox/sandboxtest"
)

// call makes an API request and decodes the JSON answer into out.
func call(t testing.TB, srv *sandboxtest.Server, method, path, body string, out any) int {
	t.Helper()
	req, err := http.NewRequest(method, "http://"+srv.HTTPAddr()+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("%s %s: %v in %s", method, path, err, data)
		}
	}
	return res.StatusCode
}

func TestAPIReadsState(t *testing.T) {
	srv := sandboxtest.Start(t, seedUsers+"rosters:\n  mine:\n    - {jid: admin, subscription: both, name: Admin}\n")
	m := online(t, srv, "mine", "laptop")
	m.Send(`<presence><show>away</show><status>lunch</status><priority>3</priority></presence>`)
	m.Expect(`<presence from='mine@localhost/laptop'/>`)
	m.Sync()

	var health map[string]string
	if code := call(t, srv, "GET", "/api/health", "", &health); code != 200 || health["status"] != "ok" {
		t.Fatalf("health: %d %v", code, health)
	}
	var users []map[string]any
	call(t, srv, "GET", "/api/users", "", &users)
	if len(users) != 4 || users[2]["name"] != "mine" || users[2]["online"] != float64(1) {
		t.Fatalf("users: %v", users)
	}
	var roster struct {
		Items []map[string]any
	}
	call(t, srv, "GET", "/api/rosters/mine", "", &roster)
	if len(roster.Items) != 1 || roster.Items[0]["jid"] != "admin@localhost" || roster.Items[0]["subscription"] != "both" {
		t.Fatalf("roster: %+v", roster)
	}
	var sessions []map[string]any
	call(t, srv, "GET", "/api/sessions", "", &sessions)
	want := map[string]any{"jid": "mine@localhost/laptop", "available": true, "priority": float64(3), "show": "away", "status": "lunch", "interested": true}
	for k, v := range want {
		if len(sessions) != 1 || sessions[0][k] != v {
			t.Fatalf("sessions: %v, want %s=%v", sessions, k, v)
		}
	}
}

func TestAPIInjectsAndAdds(t *testing.T) {
	srv := sandboxtest.Start(t, seedUsers)
	m := online(t, srv, "mine", "laptop")
	var res map[string]any
	if code := call(t, srv, "POST", "/api/inject/presence", `{"from":"mine1","to":"mine","show":"away","status":"brb"}`, &res); code != 200 {
		t.Fatalf("inject presence: %d %v", code, res)
	}
	m.Expect(`<presence from='mine1@localhost' to='mine@localhost'><show>away</show><status>brb</status></presence>`)
	call(t, srv, "POST", "/api/inject/message", `{"from":"admin","to":"mine","body":"hello"}`, &res)
	m.Expect(`<message from='admin@localhost' to='mine@localhost' type='chat'><body>hello</body></message>`)
	code := call(t, srv, "POST", "/api/inject/raw", `<message from='admin@localhost' to='mine@localhost/laptop' id='r1'><body>one</body></message>
		<message from='lihengz' to='mine' id='r2'><body>two</body></message>`, &res)
	if code != 200 || res["routed"] != float64(2) {
		t.Fatalf("inject raw: %d %v", code, res)
	}
	m.Expect(`<message id='r1' from='admin@localhost'><body>one</body></message>`)
	m.Expect(`<message id='r2' from='lihengz@localhost'><body>two</body></message>`)
	if code := call(t, srv, "POST", "/api/rosters/mine", `{"jid":"admin"}`, &res); code != 200 || res["ask"] != "subscribe" {
		t.Fatalf("roster add: %d %v", code, res)
	}
	m.Expect(`<iq type='set'><query xmlns='jabber:iq:roster'><item jid='admin@localhost' subscription='none' ask='subscribe'/></query></iq>`)
	if code := call(t, srv, "DELETE", "/api/rosters/mine/admin@localhost", "", &res); code != 200 {
		t.Fatalf("roster remove: %d %v", code, res)
	}
	m.Expect(`<iq type='set'><query xmlns='jabber:iq:roster'><item jid='admin@localhost' subscription='remove'/></query></iq>`)
	if code := call(t, srv, "POST", "/api/kick", `{"jid":"mine"}`, &res); code != 200 || res["kicked"] != float64(1) {
		t.Fatalf("kick: %d %v", code, res)
	}
	m.ExpectStreamEnd()
}

func TestAPIRefusesBadInput(t *testing.T) {
	srv := sandboxtest.Start(t, seedUsers)
	cases := []struct {
		name, method, path, body string
		code                     int
		says                     string
	}{
		{"unknown user roster", "GET", "/api/rosters/nobody", "", 404, "unknown user"},
		{"unknown sender", "POST", "/api/inject/message", `{"from":"nobody","to":"mine","body":"x"}`, 404, "unknown user"},
		{"malformed JID", "POST", "/api/inject/message", `{"from":"mine","to":"a@b@c","body":"x"}`, 400, "malformed JID"},
		{"malformed XML", "POST", "/api/inject/raw", `<message from='mine' to='admin'><body>x</message>`, 400, "malformed XML"},
		{"not a stanza", "POST", "/api/inject/raw", `<foo from='mine'/>`, 400, "not a stanza"},
		{"bad show", "POST", "/api/inject/presence", `{"from":"mine","show":"sleeping"}`, 400, "show must be"},
		{"unknown field", "POST", "/api/inject/presence", `{"from":"mine","shwo":"away"}`, 400, "unknown field"},
		{"no such endpoint", "GET", "/api/nothing", "", 404, "no such endpoint"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var res map[string]string
			if code := call(t, srv, tc.method, tc.path, tc.body, &res); code != tc.code || !strings.Contains(res["error"], tc.says) {
				t.Fatalf("got %d %v, want %d saying %q", code, res, tc.code, tc.says)
			}
		})
	}
}

func TestAPIRefusesCrossOriginAndRebinding(t *testing.T) {
	srv := sandboxtest.Start(t, seedUsers)
	m := online(t, srv, "mine", "laptop")
	for _, tc := range []struct{ name, header, value string }{
		{"cross-origin POST", "Origin", "http://evil.example"},
		{"rebound Host", "Host", "evil.example:5280"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest("POST", "http://"+srv.HTTPAddr()+"/api/inject/message", strings.NewReader(`{"from":"admin","to":"mine","body":"csrf"}`))
			if tc.header == "Host" {
				req.Host = tc.value
			} else {
				req.Header.Set(tc.header, tc.value)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusForbidden {
				t.Fatalf("status %d, want 403", res.StatusCode)
			}
		})
	}
	m.ExpectNothing() // nothing was injected
}

func TestAPITraceStreamsClientStanzas(t *testing.T) {
	srv := sandboxtest.Start(t, seedUsers)
	m := online(t, srv, "mine", "laptop")
	res, err := http.Get("http://" + srv.HTTPAddr() + "/api/trace?jid=mine&since=0")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	m.Send(`<message to='admin@localhost' id='traced'><body>watch me</body></message>`)
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(res.Body)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	deadline := time.After(sandboxtest.Timeout)
	sawAuth := false
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatal("trace stream ended")
			}
			if strings.Contains(l, `"kind":"auth"`) {
				sawAuth = true
				if !strings.Contains(l, "[redacted]") {
					t.Fatalf("SASL payload not redacted: %s", l)
				}
			}
			if strings.Contains(l, `id=\"traced\"`) && strings.Contains(l, `"dir":"in"`) {
				if !sawAuth {
					t.Log("auth not in the filtered trace (no JID before bind)")
				}
				return
			}
		case <-deadline:
			t.Fatal("the client's message never appeared in the trace")
		}
	}
}
