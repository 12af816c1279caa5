package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// fakeAPI answers every request with one canned status and body, and
// records what it was asked.
type fakeAPI struct {
	status int
	body   string

	mu   sync.Mutex
	reqs []fakeRequest
}

// fakeRequest is what the fake API saw of one request.
type fakeRequest struct {
	method, path, query, auth, contentType, body string
}

// startFakeAPI serves the fake on loopback until the test ends.
func startFakeAPI(t *testing.T, status int, body string) (*fakeAPI, string) {
	t.Helper()
	f := &fakeAPI{status: status, body: body}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv.URL
}

func (f *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.reqs = append(f.reqs, fakeRequest{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Get("Authorization"), r.Header.Get("Content-Type"), string(body)})
	f.mu.Unlock()
	w.WriteHeader(f.status)
	io.WriteString(w, f.body)
}

// requests returns what the fake saw so far.
func (f *fakeAPI) requests() []fakeRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]fakeRequest(nil), f.reqs...)
}

func TestServerFlagNearestWins(t *testing.T) {
	t.Parallel()
	const good, bad = "GOOD", "BAD"
	tests := []struct {
		name  string
		env   []string
		args  []string
		reach bool // whether the good server is the one asked
	}{
		{"before the command", nil, []string{"--server", good, "sessions"}, true},
		{"after the command", nil, []string{"sessions", "--server", good}, true},
		{"after beats before", nil, []string{"--server", bad, "sessions", "--server", good}, true},
		{"after beats before, the other way", nil, []string{"--server", good, "sessions", "--server", bad}, false},
		{"environment", []string{"XMPPSANDBOX_SERVER=" + good}, []string{"sessions"}, true},
		{"flag beats environment", []string{"XMPPSANDBOX_SERVER=" + bad}, []string{"sessions", "--server", good}, true},
		{"flag before beats environment", []string{"XMPPSANDBOX_SERVER=" + good}, []string{"--server", bad, "sessions"}, false},
		{"before a subcommand", nil, []string{"--server", good, "roster", "list", "mine"}, true},
		{"after the arguments", nil, []string{"roster", "list", "mine", "--server", good}, true},
		{"between flags", nil, []string{"inject", "message", "--from", "a", "--server", good, "--to", "b", "--body", "c"}, true},
		{"as --server=URL", nil, []string{"roster", "remove", "mine", "admin", "--server=" + good}, true},
		{"host and port only", nil, []string{"sessions", "--server", "HOSTPORT"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake, url := startFakeAPI(t, 200, "{}")
			unreachable := "http://" + unusedAddr(t)
			fill := strings.NewReplacer(good, url, bad, unreachable, "HOSTPORT", strings.TrimPrefix(url, "http://"))
			args, env := fillAll(fill, tt.args), fillAll(fill, tt.env)
			res := runCLI(t, env, "", args...)
			reached := len(fake.requests()) == 1
			if reached != tt.reach || (res.code == 2) == tt.reach {
				t.Fatalf("asked the good server: %v, exit %d (stderr %q); want asked: %v", reached, res.code, res.stderr, tt.reach)
			}
		})
	}
}

// fillAll applies r to every string of list.
func fillAll(r *strings.Replacer, list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = r.Replace(s)
	}
	return out
}

func TestTokenIsSentAsBearer(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		env  []string
		args []string
		want string
	}{
		{"none", nil, nil, ""},
		{"flag", nil, []string{"--token", "s3cret"}, "Bearer s3cret"},
		{"environment", []string{"XMPPSANDBOX_TOKEN=fromenv"}, nil, "Bearer fromenv"},
		{"flag beats environment", []string{"XMPPSANDBOX_TOKEN=fromenv"}, []string{"--token", "s3cret"}, "Bearer s3cret"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake, url := startFakeAPI(t, 200, `{"kicked":0}`)
			args := append([]string{"kick", "mine", "--server", url}, tt.args...)
			if res := runCLI(t, tt.env, "", args...); res.code != 0 {
				t.Fatalf("exit %d: %s", res.code, res.stderr)
			}
			reqs := fake.requests()
			if len(reqs) != 1 || reqs[0].auth != tt.want {
				t.Fatalf("requests %+v, want one with Authorization %q", reqs, tt.want)
			}
		})
	}
}

func TestRequestsFollowTheAPI(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args  []string
		stdin string
		want  fakeRequest
	}{
		{args: []string{"roster", "add", "mine", "mine1", "--name", "M", "--group", "A", "--group", "B"},
			want: fakeRequest{method: "POST", path: "/api/rosters/mine", contentType: "application/json", body: `{"jid":"mine1","name":"M","groups":["A","B"]}`}},
		{args: []string{"roster", "remove", "mine", "mine1@localhost"},
			want: fakeRequest{method: "DELETE", path: "/api/rosters/mine/mine1@localhost"}},
		{args: []string{"roster", "list", "mine@localhost"}, want: fakeRequest{method: "GET", path: "/api/rosters/mine@localhost"}},
		{args: []string{"sessions"}, want: fakeRequest{method: "GET", path: "/api/sessions"}},
		{args: []string{"kick", "mine/phone"}, want: fakeRequest{method: "POST", path: "/api/kick", contentType: "application/json", body: `{"jid":"mine/phone"}`}},
		{args: []string{"inject", "presence", "--from", "mine", "--priority", "-5", "--status", "out"},
			want: fakeRequest{method: "POST", path: "/api/inject/presence", contentType: "application/json", body: `{"from":"mine","status":"out","priority":-5}`}},
		{args: []string{"inject", "presence", "--from", "mine", "--type", "available", "--priority", "0"},
			want: fakeRequest{method: "POST", path: "/api/inject/presence", contentType: "application/json", body: `{"from":"mine","priority":0}`}},
		{args: []string{"inject", "message", "--from", "a", "--to", "b", "--body", ""},
			want: fakeRequest{method: "POST", path: "/api/inject/message", contentType: "application/json", body: `{"from":"a","to":"b","body":""}`}},
		{args: []string{"inject", "raw"}, stdin: "<?xml version='1.0'?><presence from='a'/>",
			want: fakeRequest{method: "POST", path: "/api/inject/raw", contentType: "application/xml; charset=utf-8", body: "<presence from='a'/>"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			t.Parallel()
			fake, url := startFakeAPI(t, 200, "{}")
			res := runCLI(t, nil, tt.stdin, append(tt.args, "--server", url)...)
			reqs := fake.requests()
			if len(reqs) != 1 || reqs[0] != tt.want {
				t.Fatalf("requests %+v (stderr %q), want %+v", reqs, res.stderr, tt.want)
			}
		})
	}
}

func TestRefusalsAreOneLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		status int
		body   string
		want   string
	}{
		{"API error as is", 403, `{"error": "a token is required: send Authorization: Bearer TOKEN"}`, "xmppsandbox: a token is required: send Authorization: Bearer TOKEN"},
		{"multi-line error folded", 400, `{"error": "first\nsecond"}`, "xmppsandbox: first second"},
		{"not JSON", 502, "<html>\n<body>Bad gateway</body>\n</html>", "xmppsandbox: the sandbox answered 502 Bad Gateway: <html> <body>Bad gateway</body> </html>"},
		{"empty", 500, "", "xmppsandbox: the sandbox answered 500 Internal Server Error"},
		{"answer not the API's", 200, "<html/>", "xmppsandbox: unexpected answer from the sandbox"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, url := startFakeAPI(t, tt.status, tt.body)
			res := runCLI(t, nil, "", "sessions", "--server", url)
			checkOneLineFailure(t, res, 1, strings.TrimPrefix(tt.want, "xmppsandbox: "))
			if !strings.HasPrefix(res.stderr, tt.want) {
				t.Errorf("stderr %q, want %q", res.stderr, tt.want)
			}
		})
	}
}

func TestTablesAlign(t *testing.T) {
	t.Parallel()
	_, url := startFakeAPI(t, 200, `[
		{"jid":"mine@localhost/phone","available":true,"priority":5,"show":"away","status":"brb","interested":true},
		{"jid":"lihengz@localhost/a-much-longer-resource","available":false,"priority":0,"interested":false}]`)
	out := mustRun(t, "sessions", "--server", url)
	want := "" +
		"JID                                       PRESENCE     PRIORITY  STATUS  ROSTER\n" +
		"mine@localhost/phone                      away         5         brb     fetched\n" +
		"lihengz@localhost/a-much-longer-resource  unavailable  0         -       -\n"
	if out != want {
		t.Fatalf("sessions printed\n%s\nwant\n%s", out, want)
	}
}

// traceStream is two events and a keepalive, as GET /api/trace sends
// them, after which the fake server ends the stream.
const traceStream = `: keepalive

data: {"seq":1,"time":"2024-05-01T12:00:00.123456Z","dir":"out","session":"mine@localhost/phone","kind":"message","xml":"<message from='admin@localhost' to='mine@localhost/phone'><body>hi &amp; bye</body><x xmlns='jabber:x:data'><field var='a'><value>1</value></field></x></message>"}

data: {"seq":2,"time":"2024-05-01T12:00:01Z","dir":"in","session":"mine@localhost/phone","kind":"presence","xml":"<presence/>"}

`

func TestTailPrintsBlocks(t *testing.T) {
	t.Parallel()
	fake, url := startFakeAPI(t, 200, traceStream)
	res := runCLI(t, []string{"TZ=UTC"}, "", "tail", "--jid", "mine", "--server", url)
	want := `12:00:00.123 S→C mine@localhost/phone
<message from='admin@localhost' to='mine@localhost/phone'>
  <body>hi &amp; bye</body>
  <x xmlns='jabber:x:data'>
    <field var='a'>
      <value>1</value>
    </field>
  </x>
</message>

12:00:01.000 C→S mine@localhost/phone
<presence/>

`
	if res.stdout != want {
		t.Errorf("tail printed\n%s\nwant\n%s", res.stdout, want)
	}
	checkOneLineFailure(t, result{code: res.code, stderr: res.stderr}, 1, "the sandbox closed the trace stream")
	if reqs := fake.requests(); len(reqs) != 1 || reqs[0].path != "/api/trace" || reqs[0].query != "jid=mine" {
		t.Errorf("requests %+v, want GET /api/trace?jid=mine", reqs)
	}
}

func TestTailJSONPrintsEventsAsTheyCame(t *testing.T) {
	t.Parallel()
	_, url := startFakeAPI(t, 200, traceStream)
	res := runCLI(t, nil, "", "tail", "--json", "--server", url)
	var want []string
	for _, l := range strings.Split(traceStream, "\n") {
		if data, ok := strings.CutPrefix(l, "data: "); ok {
			want = append(want, data)
		}
	}
	if got := strings.Split(strings.TrimSpace(res.stdout), "\n"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("tail --json printed\n%s\nwant\n%s", res.stdout, strings.Join(want, "\n"))
	}
}
