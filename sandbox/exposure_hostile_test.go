package sandbox_test

import (
	"encoding/base64"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/xmppsandbox/xmppsandbox/sandbox/sandboxtest"
	"github.com/xmppsandbox/xmppsandbox/sandbox/xclient"
)

// passwordsNeverShown logs users in with every mechanism, fails one
// login, and then looks for the passwords (and PLAIN's base64 payloads)
// in the server's log, its trace stream and its API answers.
func passwordsNeverShown(t *testing.T, bin string) {
	const fixtures = `domain: localhost
users:
  alice: {password: Alice-Secret-7781}
  bob:   {password: Bob-Secret-9902}
`
	p := startProcess(t, bin, "--fixtures", writeFixtures(t, fixtures), "--verbose")
	secrets := []string{"Alice-Secret-7781", "Bob-Secret-9902", "Wrong-Secret-4455"}
	for i, login := range []struct{ user, password, mech string }{
		{"alice", "Alice-Secret-7781", "SCRAM-SHA-256"},
		{"alice", "Alice-Secret-7781", "SCRAM-SHA-1"},
		{"alice", "Wrong-Secret-4455", "PLAIN"},
		{"alice", "Alice-Secret-7781", "PLAIN"},
		{"bob", "Bob-Secret-9902", "PLAIN"},
	} {
		c, err := xclient.Dial(p.c2s, login.user, login.password, xclient.Options{Domain: "localhost", Mechanism: login.mech})
		if wrong := strings.HasPrefix(login.password, "Wrong"); wrong != (err != nil) {
			t.Fatalf("%s with %s: %v", login.user, login.mech, err)
		}
		if err == nil {
			c.SendRaw(`<message to='bob@localhost' id='login` + strconv.Itoa(i) + `'><body>hello</body></message>`)
			c.Close()
		}
		secrets = append(secrets, base64.StdEncoding.EncodeToString([]byte("\x00"+login.user+"\x00"+login.password)))
	}
	shown := map[string]string{"log": p.stderr.String(), "trace": readTrace(t, p)}
	for _, path := range []string{"/api/users", "/api/sessions", "/api/status", "/api/rosters/alice"} {
		shown[path] = httpBody(t, "http://"+p.http+path)
	}
	if n := strings.Count(shown["trace"], `"kind":"auth"`); n < 5 || !strings.Contains(shown["trace"], "[redacted]") {
		t.Fatalf("the trace shows %d of the 5 authentications, so it proves little:\n%.2000s", n, shown["trace"])
	}
	for where, text := range shown {
		for _, s := range secrets {
			if strings.Contains(text, s) {
				t.Errorf("the %s shows %q", where, s)
			}
		}
	}
	p.terminate(t)
	if log := p.stderr.String(); containsAny(log, secrets) {
		t.Errorf("the log shows a secret after shutdown:\n%s", log)
	}
	t.Logf("no secret in %d bytes of log, %d of trace, and the API's users, sessions, status and roster", len(p.stderr.String()), len(shown["trace"]))
}

// readTrace reads the trace stream from its start for a moment.
func readTrace(t *testing.T, p *serverProcess) string {
	t.Helper()
	res, err := http.Get("http://" + p.http + "/api/trace?since=0")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	// bob's message, after the last login, is the last event to wait for.
	return readUntil(res.Body, sandboxtest.Timeout, func(seen string) bool { return strings.Contains(seen, `login4`) })
}

func httpBody(t *testing.T, url string) string {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return string(b)
}

func containsAny(text string, subs []string) bool {
	for _, s := range subs {
		if strings.Contains(text, s) {
			return true
		}
	}
	return false
}
