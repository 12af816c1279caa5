package sandbox

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const fuzzFixtures = `domain: localhost
users:
  mine:  {password: mine}
  admin: {password: admin, auto_accept: true}
rosters:
  mine:
    - {jid: admin, subscription: both}
`

// fuzzMethods are the methods FuzzAPI picks from.
var fuzzMethods = [...]string{"GET", "POST", "DELETE", "PUT", "HEAD", "OPTIONS", "PATCH"}

// FuzzAPI sends random requests (method, path and query, body, Origin and
// Host) to the HTTP handler of a started server. The handler must never
// panic nor answer 500, every /api/ answer but the event stream must be
// JSON, and the server must still answer its health check after each
// one. The seed corpus is in testdata/fuzz/FuzzAPI.
func FuzzAPI(f *testing.F) {
	seeds := []struct {
		method     uint8
		target     string
		body       string
		origin     string
		hostChoice uint8
	}{
		{0, "/api/health", "", "", 0},
		{0, "/api/users", "", "", 0},
		{0, "/api/rosters/mine", "", "", 0},
		{0, "/api/rosters/mine@localhost", "", "", 0},
		{0, "/api/rosters/%00", "", "", 0},
		{1, "/api/rosters/mine", `{"jid":"admin@localhost","name":"A","groups":["x"]}`, "", 0},
		{1, "/api/rosters/mine", `{"jid":"a@b@c"}`, "", 0},
		{2, "/api/rosters/mine/admin@localhost", "", "", 0},
		{1, "/api/kick", `{"jid":"mine"}`, "", 0},
		{1, "/api/inject/message", `{"from":"admin","to":"mine","body":"hi"}`, "", 0},
		{1, "/api/inject/presence", `{"from":"admin","to":"mine","priority":300}`, "", 0},
		{1, "/api/inject/raw", `<message from='admin' to='mine'><body>x</body></message>`, "", 0},
		{1, "/api/inject/raw", `<!DOCTYPE x [<!ENTITY a "b">]><message/>`, "", 0},
		{0, "/api/trace?since=0&jid=mine", "", "", 0},
		{0, "/api/sessions", "", "http://evil.example", 0},
		{1, "/api/inject/message", `{"from":"admin","to":"mine","body":"x"}`, "", 1},
		{0, "/.well-known/host-meta", "", "", 0},
		{0, "/", "", "", 0},
	}
	for _, s := range seeds {
		f.Add(s.method, s.target, s.body, s.origin, s.hostChoice)
	}
	srv := startFuzzServer(f)
	h := srv.httpHandler()
	f.Fuzz(func(t *testing.T, method uint8, target, body, origin string, hostChoice uint8) {
		u, err := url.ParseRequestURI(target)
		if err != nil {
			return // net/http refuses such a request line before any handler
		}
		req := fuzzRequest(fuzzMethods[int(method)%len(fuzzMethods)], u, body, origin, pickHost(srv, hostChoice))
		rec := serveWithin(t, h, req, 5*time.Second)
		checkAnswer(t, req, rec)
		health := httptest.NewRecorder()
		h.ServeHTTP(health, fuzzRequest("GET", &url.URL{Path: "/api/health"}, "", "", srv.HTTPAddr()))
		if health.Code != http.StatusOK {
			t.Fatalf("after %s %s: health check answered %d", req.Method, target, health.Code)
		}
	})
}

// startFuzzServer starts a server with two users on free loopback ports.
func startFuzzServer(f *testing.F) *Server {
	dir := f.TempDir()
	fix := filepath.Join(dir, "fixtures")
	if err := os.MkdirAll(fix, 0o755); err != nil {
		f.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(fix, "f.yaml"), []byte(fuzzFixtures), 0o644); err != nil {
		f.Fatal(err)
	}
	srv, err := New(Config{Fixtures: fix, CertDir: filepath.Join(dir, "cert"), NoWatch: true})
	if err != nil {
		f.Fatal(err)
	}
	if err := srv.Start(); err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { srv.Close() })
	return srv
}

// pickHost chooses the Host header: mostly the listener's own address,
// sometimes a name the guard must refuse or accept.
func pickHost(srv *Server, choice uint8) string {
	_, port, _ := strings.Cut(srv.HTTPAddr(), ":")
	hosts := []string{srv.HTTPAddr(), "localhost:" + port, "evil.example:" + port, "127.0.0.1:1", "[::1]:" + port, ""}
	return hosts[int(choice)%len(hosts)]
}

// fuzzRequest builds a request whose context is already over, so the
// event stream answers what it has and returns.
func fuzzRequest(method string, u *url.URL, body, origin, host string) *http.Request {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequestWithContext(ctx, "GET", "/", strings.NewReader(body))
	req.Method, req.URL, req.RequestURI, req.Host = method, u, u.RequestURI(), host
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	return req
}

// checkAnswer fails on a 500 and on an API answer, other than a
// redirect, that is not JSON.
func checkAnswer(t *testing.T, req *http.Request, rec *httptest.ResponseRecorder) {
	t.Helper()
	if rec.Code >= 500 {
		t.Fatalf("%s %s answered %d: %s", req.Method, req.URL, rec.Code, rec.Body)
	}
	ct := rec.Header().Get("Content-Type")
	redirect := rec.Code >= 300 && rec.Code < 400 // the mux cleaning a path such as /api/.
	if strings.HasPrefix(req.URL.Path, "/api/") && ct != "text/event-stream" && !redirect {
		if ct != "application/json" || !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("%s %s answered %d with %q: %q", req.Method, req.URL, rec.Code, ct, rec.Body)
		}
	}
}

// serveWithin serves req and fails the test if the handler takes longer
// than d: a request must never hang the server.
func serveWithin(t *testing.T, h http.Handler, req *http.Request, d time.Duration) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	done := make(chan struct{})
	go func() {
		defer close(done)
		h.ServeHTTP(rec, req)
	}()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("%s %s still unanswered after %v", req.Method, req.URL, d)
	}
	return rec
}
