package main

import (
	"encoding/json"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// noteSeq runs expect --seq and returns the number it prints.
func noteSeq(t *testing.T, srv *sandboxProcess) string {
	t.Helper()
	out := strings.TrimSpace(srv.run(t, "expect", "--seq"))
	if _, err := strconv.ParseUint(out, 10, 64); err != nil {
		t.Fatalf("expect --seq printed %q, want a number", out)
	}
	return out
}

// answerSubscription has mine1 ask mine, and mine's client answer with
// typ, as a client under test would; it returns the number noted first.
func answerSubscription(t *testing.T, srv *sandboxProcess, mine *xmppClient, typ string) string {
	t.Helper()
	seq := noteSeq(t, srv)
	srv.run(t, "inject", "presence", "--from", "mine1", "--to", "mine", "--type", "subscribe")
	mine.await(`<presence type='subscribe' from='mine1@localhost'/>`)
	mine.send(`<presence type='` + typ + `' to='mine1@localhost'/>`)
	mine.sync()
	return seq
}

func TestExpectPrintsTheAnswer(t *testing.T) {
	t.Parallel()
	srv := startServe(t, strangers)
	mine := loginTo(t, srv.c2s, srv.domain, "mine", "mine")
	mine.fetchRoster() // so that the roster push comes
	mine.goOnline()
	seq := answerSubscription(t, srv, mine, "subscribed")
	out := srv.run(t, "expect", "--since", seq, "--from", "mine", "--kind", "presence", "--type", "subscribed", "--dir", "in", "--to", "mine1")
	if !strings.HasPrefix(out, "<presence ") || !strings.Contains(out, "type='subscribed'") || strings.Count(out, "\n") != 1 {
		t.Fatalf("expect printed %q, want the client's answer on one line", out)
	}
	out = srv.run(t, "expect", "--since", "all", "--dir", "out", "--match", "query[@xmlns='jabber:iq:roster']/item[@subscription='from']")
	if !strings.Contains(out, "\n  <query xmlns='jabber:iq:roster'") {
		t.Fatalf("expect printed %q, want the roster push, indented", out)
	}
}

func TestExpectJSON(t *testing.T) {
	t.Parallel()
	srv := startServe(t, strangers)
	mine := loginTo(t, srv.c2s, srv.domain, "mine", "mine")
	mine.goOnline()
	seq := answerSubscription(t, srv, mine, "subscribed")
	out := srv.run(t, "expect", "--json", "--since", seq, "--from", "mine", "--type", "subscribed")
	var ev struct {
		Seq  uint64
		Dir  string
		Kind string
		Type string
	}
	if err := json.Unmarshal([]byte(out), &ev); err != nil {
		t.Fatalf("--json printed %q: %v", out, err)
	}
	if n, _ := strconv.ParseUint(seq, 10, 64); ev.Seq <= n || ev.Dir != "in" || ev.Kind != "presence" || ev.Type != "subscribed" {
		t.Fatalf("--json printed %+v", ev)
	}
	var seqAnswer struct{ Seq uint64 }
	if err := json.Unmarshal([]byte(srv.run(t, "expect", "--seq", "--json")), &seqAnswer); err != nil || seqAnswer.Seq < ev.Seq {
		t.Fatalf("expect --seq --json: %+v %v", seqAnswer, err)
	}
}

func TestExpectFailsWithClosest(t *testing.T) {
	t.Parallel()
	srv := startServe(t, strangers)
	mine := loginTo(t, srv.c2s, srv.domain, "mine", "mine")
	mine.goOnline()
	seq := answerSubscription(t, srv, mine, "unsubscribed")
	res := runCLI(t, nil, "", "expect", "--server", srv.server, "--since", seq, "--from", "mine", "--kind", "presence", "--type", "subscribed", "--timeout", "300ms")
	lines := strings.Split(strings.TrimSpace(res.stderr), "\n")
	if res.code != 1 || lines[0] != "xmppsandbox: no matching stanza within 300ms; closest:" {
		t.Fatalf("exit %d, stderr %q; want 1 and the timeout", res.code, res.stderr)
	}
	if len(lines) < 3 || !strings.HasPrefix(lines[1], "  #") || !strings.Contains(lines[1], `type: got "unsubscribed", want "subscribed"`) ||
		!strings.HasPrefix(lines[2], "    <presence ") || !strings.Contains(lines[2], "unsubscribed") {
		t.Fatalf("stderr %q: want the unsubscribed answer first, indented", res.stderr)
	}
	if res.stdout != "" {
		t.Fatalf("stdout %q, want nothing", res.stdout)
	}
	res = runCLI(t, nil, "", "expect", "--server", srv.server, "--json", "--since", seq, "--from", "mine", "--type", "subscribed", "--timeout", "100ms")
	var answer struct {
		Error   string
		Closest []struct{ Missed []string }
	}
	if err := json.Unmarshal([]byte(res.stdout), &answer); err != nil || res.code != 1 || answer.Error != "no matching stanza within 100ms" || len(answer.Closest) == 0 {
		t.Fatalf("--json: exit %d, stdout %q (%v); want 1 and the API's answer", res.code, res.stdout, err)
	}
}

// TestExpectActThenWait acts, then waits: run after run, the stanza has
// already passed when expect starts, and --since must find it.
func TestExpectActThenWait(t *testing.T) {
	t.Parallel()
	srv := startServe(t, strangers)
	mine := loginTo(t, srv.c2s, srv.domain, "mine", "mine")
	mine.goOnline()
	for i := range 10 {
		seq := noteSeq(t, srv)
		body := "round " + strconv.Itoa(i)
		srv.run(t, "inject", "message", "--from", "mine1", "--to", "mine", "--body", body)
		out := srv.run(t, "expect", "--since", seq, "--to", "mine", "--dir", "out", "--body", body, "--timeout", "5s")
		if !strings.Contains(out, "<body>"+body+"</body>") {
			t.Fatalf("round %d: expect printed %q", i, out)
		}
	}
}

func TestExpectRefusesBadFlags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--dir", "up"}, `xmppsandbox: --dir "up" is not one of in, out`},
		{[]string{"--from", "a@b@c"}, `xmppsandbox: malformed JID "a@b@c" for --from`},
		{[]string{"--match", "a//b"}, `xmppsandbox: --match: bad path "a//b" at character 3`},
		{[]string{"--timeout", "soon"}, `xmppsandbox: --timeout "soon" is not a duration`},
		{[]string{"--since", "yesterday"}, `xmppsandbox: --since "yesterday": want a sequence number`},
		{[]string{"--seq", "--kind", "iq"}, "xmppsandbox: --seq takes no other flag"},
		{[]string{"stray"}, `xmppsandbox: unexpected argument "stray"`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			t.Parallel()
			// No server listens there: every mistake is caught first.
			res := runCLI(t, nil, "", append([]string{"expect", "--server", "http://127.0.0.1:1"}, tt.args...)...)
			if res.code != 1 || !strings.HasPrefix(res.stderr, tt.want) || strings.Count(res.stderr, "\n") != 1 {
				t.Fatalf("exit %d, stderr %q; want 1 and one line starting %q", res.code, res.stderr, tt.want)
			}
		})
	}
}

func TestExpectUnreachable(t *testing.T) {
	t.Parallel()
	res := runCLI(t, nil, "", "expect", "--server", "http://127.0.0.1:1", "--kind", "iq")
	if res.code != 2 || !strings.Contains(res.stderr, "cannot reach the sandbox") {
		t.Fatalf("exit %d, stderr %q; want 2 and cannot reach", res.code, res.stderr)
	}
}

// scriptRun is examples/subscription.sh running against a test server.
type scriptRun struct {
	cmd            *exec.Cmd
	stdout, stderr *syncBuffer
	ended          chan struct{}
}

// startScript runs the example script as a user would, with the binary
// under test and the server's address, waiting at most timeout.
func startScript(t *testing.T, srv *sandboxProcess, timeout string) *scriptRun {
	t.Helper()
	cmd := exec.Command("sh", "examples/subscription.sh")
	cmd.Env = childEnv("XMPPSANDBOX="+cliBinary, "XMPPSANDBOX_SERVER="+srv.server, "TIMEOUT="+timeout)
	r := &scriptRun{cmd: cmd, stdout: &syncBuffer{}, stderr: &syncBuffer{}, ended: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = r.stdout, r.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { cmd.Wait(); close(r.ended) }()
	t.Cleanup(func() { cmd.Process.Kill(); <-r.ended })
	return r
}

// exitCode waits for the script and returns its exit status.
func (r *scriptRun) exitCode(t *testing.T, within time.Duration) int {
	t.Helper()
	select {
	case <-r.ended:
		return r.cmd.ProcessState.ExitCode()
	case <-time.After(within):
		t.Fatalf("the script did not end within %s; stdout:\n%s\nstderr:\n%s", within, r.stdout, r.stderr)
		return -1
	}
}

func TestSubscriptionScriptWithoutAClient(t *testing.T) {
	t.Parallel()
	srv := startServe(t, strangers)
	// Logged in but not available: a request would not reach it yet.
	loginTo(t, srv.c2s, srv.domain, "mine", "mine")
	run := startScript(t, srv, "30s")
	if code := run.exitCode(t, waitTimeout); code != 1 || !strings.Contains(run.stderr.String(), "no client is online as mine") {
		t.Fatalf("exit %d, stderr %q; want 1 and the explanation, at once", code, run.stderr)
	}
}

func TestSubscriptionScript(t *testing.T) {
	t.Parallel()
	tests := []struct {
		answer string
		code   int
		says   string
	}{
		{"subscribed", 0, "PASS: the client approved"},
		{"unsubscribed", 1, "FAIL: the client did not approve"},
	}
	for _, tt := range tests {
		t.Run(tt.answer, func(t *testing.T) {
			t.Parallel()
			srv := startServe(t, strangers)
			mine := loginTo(t, srv.c2s, srv.domain, "mine", "mine")
			mine.fetchRoster()
			mine.goOnline()
			run := startScript(t, srv, "2s")
			mine.await(`<presence type='subscribe' from='mine1@localhost'/>`)
			mine.send(`<presence type='` + tt.answer + `' to='mine1@localhost'/>`)
			code := run.exitCode(t, waitTimeout)
			if code != tt.code || !strings.Contains(run.stdout.String()+run.stderr.String(), tt.says) {
				t.Fatalf("exit %d, stdout %q, stderr %q; want %d and %q", code, run.stdout, run.stderr, tt.code, tt.says)
			}
		})
	}
}
