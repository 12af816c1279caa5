package script

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xmppsandbox/xmppsandbox/sandbox/sandboxtest"
)

const chat = `[Client] Ada
	jid: ada@localhost/engine
	password: notes

[Client] Grace
	jid: grace@localhost
	password: cobol
---
Ada connects
Grace connects
Ada sends:
	<message to="${Grace's full JID}" type="chat" id="c1"><body>Hello, Grace.</body></message>
Grace receives:
	<message from="${Ada's full JID}" to="${Grace's full JID}" type="chat" id="c1">
		<body>Hello, Grace.</body>
	</message>
Grace receives: nothing
Grace disconnects
Grace disconnects
Grace connects
Ada sends: <message to="${Grace's JID}" type="chat"><body>Still there?</body></message>
`

func mustParse(t *testing.T, text string) *Script {
	t.Helper()
	s, err := Parse("t.scs", strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestRunPlaysAConversation(t *testing.T) {
	s := mustParse(t, chat)
	srv := sandboxtest.Start(t, FixturesFor(s, "localhost"))
	s.Run(t, srv)
}

// recorder is a testing.TB that keeps failures instead of failing, so a
// test can check how a script run fails.
type recorder struct {
	testing.TB
	mu    sync.Mutex
	fails []string
}

func (r *recorder) Helper() {}

func (r *recorder) Fatalf(format string, args ...any) { r.Fatal(fmt.Sprintf(format, args...)) }

func (r *recorder) Fatal(args ...any) {
	r.mu.Lock()
	r.fails = append(r.fails, fmt.Sprint(args...))
	r.mu.Unlock()
	runtime.Goexit()
}

func (r *recorder) Errorf(format string, args ...any) { r.Fatalf(format, args...) }

func (r *recorder) Error(args ...any) { r.Fatal(args...) }

// failure runs the script and returns its one failure message.
func failure(t *testing.T, text string) string {
	t.Helper()
	s := mustParse(t, text)
	srv := sandboxtest.Start(t, FixturesFor(s, "localhost"))
	rec := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.run(rec, srv)
	}()
	select {
	case <-done:
	case <-time.After(2 * sandboxtest.Timeout):
		t.Fatal("the script did not end")
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.fails) != 1 {
		t.Fatalf("failures %q, want one", rec.fails)
	}
	return rec.fails[0]
}

func TestRunFailsAtTheStep(t *testing.T) {
	const ada = "[Client] Ada\n\tjid: ada@localhost/engine\n\tpassword: notes\n---\nAda connects\n"
	tests := []struct {
		name, steps string
		want        []string
	}{
		{"mismatch", "Ada sends: <presence/>\nAda receives:\n\t<presence type='away'/>\n",
			[]string{"t.scs:7: Ada receives: the stanza received does not match (presence: attribute type is missing", "got:\n\t<presence", "want:\n\t<presence type='away'/>"}},
		{"something arrived", "Ada sends: <presence/>\nAda receives: nothing\n",
			[]string{"t.scs:7: Ada receives: ", "unexpected stanzas", "<presence"}},
		{"not connected", "Ada disconnects\nAda sends: <presence/>\n",
			[]string{"t.scs:7: Ada sends: Ada is not connected"}},
		{"connected twice", "Ada connects\n", []string{"t.scs:6: Ada connects: Ada is already connected"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := failure(t, ada+tc.steps)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("failure %q does not say %q", got, w)
				}
			}
		})
	}
}

func TestRunNeedsTheScriptsDomain(t *testing.T) {
	got := failure(t, "[Client] Ada\n\tjid: ada@example.org\n\tpassword: p\n---\nAda connects\n")
	if !strings.Contains(got, "t.scs:5: Ada connects: Ada's JID is on example.org, but the server serves localhost") {
		t.Fatalf("failure %q", got)
	}
}

func TestRunNeedsAConnectionForAServerChosenResource(t *testing.T) {
	const text = "[Client] Ada\n\tjid: ada@localhost/engine\n\tpassword: p\n[Client] Grace\n\tjid: grace@localhost\n\tpassword: q\n---\n" +
		"Ada connects\nAda sends: <message to=\"${Grace's full JID}\"/>\n"
	got := failure(t, text)
	if !strings.Contains(got, "t.scs:9: Ada sends: Grace has not connected yet") {
		t.Fatalf("failure %q", got)
	}
}
