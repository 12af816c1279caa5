package main

import (
	"bufio"
	"io"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestTailShowsWhatAClientSends(t *testing.T) {
	t.Parallel()
	srv := startServe(t, strangers)
	mine := loginTo(t, srv.c2s, srv.domain, "mine", "mine")
	tail := startTail(t, srv, "--jid", "mine")
	// tail prints only stanzas that pass after it subscribed, and says
	// nothing when it has: send pings until one shows.
	var block string
	deadline := time.Now().Add(waitTimeout)
	for block == "" && time.Now().Before(deadline) {
		id := mine.nextID("tail")
		mine.send(`<iq type='get' id='` + id + `' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>`)
		block, _ = tail.waitFor("id='"+id+"'", 300*time.Millisecond)
	}
	if block == "" {
		t.Fatalf("tail never showed a ping; it printed:\n%s", tail.out)
	}
	header := strings.SplitN(block, "\n", 2)[0]
	if !strings.Contains(header, "C→S") || !strings.Contains(header, mine.jid.String()) {
		t.Errorf("header line %q: want the arrow C→S and the session %s", header, mine.jid)
	}
	if !strings.Contains(block, "\n  <ping xmlns='urn:xmpp:ping'/>") {
		t.Errorf("the ping is not indented under its iq:\n%s", block)
	}
	checkFiltered(t, tail, mine, loginTo(t, srv.c2s, srv.domain, "admin", "admin"))
	tail.interrupt(t)
}

// checkFiltered checks that tail --jid mine leaves out what admin sends:
// admin pings, then mine does, and nothing of admin's shows in between.
func checkFiltered(t *testing.T, tail *tailProcess, mine, admin *xmppClient) {
	t.Helper()
	adminID, mineID := admin.nextID("admin-ping"), mine.nextID("after-admin")
	admin.send(`<iq type='get' id='` + adminID + `' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>`)
	admin.sync()
	mine.send(`<iq type='get' id='` + mineID + `' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>`)
	block, skipped := tail.waitFor("id='"+mineID+"'", waitTimeout)
	if block == "" {
		t.Fatalf("tail did not show mine's ping %s; it printed:\n%s", mineID, tail.out)
	}
	for _, b := range skipped {
		if strings.Contains(b, adminID) || strings.Contains(b, "admin@localhost/") {
			t.Fatalf("tail --jid mine showed admin's stanza:\n%s", b)
		}
	}
}

// tailProcess is "xmppsandbox tail" running in the background.
type tailProcess struct {
	cmd    *exec.Cmd
	out    *syncBuffer
	blocks chan string
	ended  chan struct{}
}

// startTail starts tail against srv and collects its blocks.
func startTail(t *testing.T, srv *sandboxProcess, args ...string) *tailProcess {
	t.Helper()
	cmd := exec.Command(cliBinary, append([]string{"tail", "--server", srv.server}, args...)...)
	cmd.Env = childEnv()
	p := &tailProcess{cmd: cmd, out: &syncBuffer{}, blocks: make(chan string, 256), ended: make(chan struct{})}
	cmd.Stderr = p.out
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); <-p.ended })
	go p.read(stdout)
	return p
}

// read splits tail's output into blocks at blank lines.
func (p *tailProcess) read(r io.Reader) {
	defer close(p.ended)
	sc := bufio.NewScanner(r)
	var block []string
	for sc.Scan() {
		p.out.Write([]byte(sc.Text() + "\n"))
		if sc.Text() != "" {
			block = append(block, sc.Text())
			continue
		}
		p.blocks <- strings.Join(block, "\n")
		block = nil
	}
	p.cmd.Wait()
}

// waitFor returns the first block containing text, or "" after wait,
// and the blocks it passed over.
func (p *tailProcess) waitFor(text string, wait time.Duration) (string, []string) {
	var skipped []string
	deadline := time.After(wait)
	for {
		select {
		case b := <-p.blocks:
			if strings.Contains(b, text) {
				return b, skipped
			}
			skipped = append(skipped, b)
		case <-deadline:
			return "", skipped
		}
	}
}

// interrupt sends SIGINT and checks that tail exits 0.
func (p *tailProcess) interrupt(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.ended:
	case <-time.After(waitTimeout):
		t.Fatalf("tail did not end within %s of SIGINT", waitTimeout)
	}
	if code := p.cmd.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("tail exited %d after SIGINT; output:\n%s", code, p.out)
	}
}
