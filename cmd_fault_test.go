package main

import (
	"encoding/json"
	"errors"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
)

// nextStanza returns the very next stanza c received, failing after
// waitTimeout: unlike await, it skips nothing.
func (c *xmppClient) nextStanza() *stanza.Element {
	c.t.Helper()
	select {
	case el := <-c.got:
		return el
	case <-time.After(waitTimeout):
		c.t.Fatalf("%s received nothing within %s", c.jid, waitTimeout)
		return nil
	}
}

func TestFaultDelayListAndClear(t *testing.T) {
	t.Parallel()
	srv := startServe(t, strangers)
	mine := loginTo(t, srv.c2s, srv.domain, "mine", "mine")
	mine.goOnline()
	const delay = 700 * time.Millisecond
	if out := srv.run(t, "fault", "set", "mine", "--delay", "700ms"); strings.TrimSpace(out) != "mine@localhost: delay 700ms" {
		t.Errorf("fault set printed %q", out)
	}
	start := time.Now()
	srv.run(t, "inject", "message", "--from", "admin", "--to", "mine", "--body", "late")
	mine.await(`<message from='admin@localhost'><body>late</body></message>`)
	if took := time.Since(start); took < delay {
		t.Fatalf("a message delayed by %s arrived after %s", delay, took)
	}

	srv.run(t, "fault", "set", mine.jid.String(), "--delay", "10ms-20ms", "--drop", "40", "--drop-kind", "presence")
	table := srv.run(t, "fault", "list")
	lines := strings.Split(strings.TrimSpace(table), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "JID") || !strings.Contains(lines[1], "700ms") ||
		!strings.Contains(lines[2], mine.jid.String()) || !strings.Contains(lines[2], "10ms-20ms") || !strings.Contains(lines[2], "40% of presence") {
		t.Fatalf("fault list printed\n%s", table)
	}
	var list []struct {
		JID   string `json:"jid"`
		Delay string `json:"delay"`
	}
	if err := json.Unmarshal([]byte(srv.run(t, "fault", "list", "--json")), &list); err != nil || len(list) != 2 || list[0].Delay != "700ms" {
		t.Fatalf("fault list --json: %+v, %v", list, err)
	}

	if out := srv.run(t, "fault", "clear", "mine"); strings.TrimSpace(out) != "cleared 2 faults for mine" {
		t.Errorf("fault clear printed %q", out)
	}
	if out := srv.run(t, "fault", "list"); strings.TrimSpace(out) != "no faults" {
		t.Fatalf("after clear, fault list printed %q", out)
	}
	start = time.Now()
	srv.run(t, "inject", "message", "--from", "admin", "--to", "mine", "--body", "prompt")
	mine.await(`<message from='admin@localhost'><body>prompt</body></message>`)
	t.Logf("after clearing, the message took %s", time.Since(start))
}

func TestFaultErrorsDropsAndPings(t *testing.T) {
	t.Parallel()
	srv := startServe(t, strangers)
	mine := loginTo(t, srv.c2s, srv.domain, "mine", "mine")
	mine.goOnline()
	out := srv.run(t, "fault", "set", "mine", "--iq-error", "jabber:iq:roster=forbidden", "--drop", "100", "--drop-kind", "message")
	if !strings.Contains(out, "drop 100% of message") || !strings.Contains(out, "iq errors jabber:iq:roster=forbidden") {
		t.Errorf("fault set printed %q", out)
	}
	mine.send(`<iq type='get' id='r1'><query xmlns='jabber:iq:roster'/></iq>`)
	mine.await(`<iq type='error' id='r1'><error type='auth'><forbidden xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`)
	srv.run(t, "inject", "message", "--from", "admin", "--to", "mine", "--body", "lost")
	mine.expectNothing()

	srv.run(t, "fault", "set", "mine", "--no-ping-reply")
	mine.send(`<iq type='get' id='p1' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>`)
	mine.send(`<iq type='get' id='d1' to='localhost'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>`)
	if el := mine.nextStanza(); el.ID() != "d1" {
		t.Fatalf("with pings unanswered, the next stanza is %s", el)
	}
	srv.run(t, "fault", "set", "mine", "--no-ping-reply=false")
	mine.sync()

	srv.run(t, "fault", "clear", "mine")
	mine.fetchRoster()
	srv.run(t, "inject", "message", "--from", "admin", "--to", "mine", "--body", "kept")
	mine.await(`<message from='admin@localhost'><body>kept</body></message>`)
}

func TestFaultCloseEndsSessions(t *testing.T) {
	t.Parallel()
	srv := startServe(t, strangers)
	phone := loginTo(t, srv.c2s, srv.domain, "mine", "mine")
	laptop := loginTo(t, srv.c2s, srv.domain, "mine", "mine")
	out := srv.run(t, "fault", "close", phone.jid.String(), "--error", "conflict")
	if strings.TrimSpace(out) != "closed 1 session of "+phone.jid.String()+" with <conflict/>" {
		t.Errorf("fault close printed %q", out)
	}
	phone.waitEnded()
	if phone.endErr == nil || !strings.Contains(phone.endErr.Error(), "conflict") {
		t.Errorf("the client saw the stream end with %v, want conflict", phone.endErr)
	}
	out = srv.run(t, "fault", "close", "mine", "--reset")
	if strings.TrimSpace(out) != "closed 1 session of mine with a TCP reset" {
		t.Errorf("fault close --reset printed %q", out)
	}
	laptop.waitEnded()
	// The reset reaches the client library as a failed read or, when it
	// answers the dead stream first, a failed write.
	if !errors.Is(laptop.endErr, syscall.ECONNRESET) && !errors.Is(laptop.endErr, syscall.EPIPE) {
		t.Errorf("the client saw the stream end with %v, want a reset connection", laptop.endErr)
	}
	res := runCLI(t, nil, "", "fault", "close", "mine", "--server", srv.server)
	if res.code != 1 || !strings.Contains(res.stderr, "no session for mine@localhost") {
		t.Errorf("closing a user with no session: exit %d, stderr %q", res.code, res.stderr)
	}
}

func TestFaultRefusesBadUsage(t *testing.T) {
	t.Parallel()
	srv := startServe(t, strangers)
	tests := []struct {
		name string
		args []string
		says string
	}{
		{"nothing to set", []string{"fault", "set", "mine"}, "nothing to set"},
		{"no JID", []string{"fault", "clear"}, "missing JID"},
		{"bad delay", []string{"fault", "set", "mine", "--delay", "soon"}, "duration"},
		{"open range", []string{"fault", "set", "mine", "--delay", "2s-"}, "range such as 100ms-2s"},
		{"inverted range", []string{"fault", "set", "mine", "--delay", "2s-1s"}, "below its minimum"},
		{"iq error without condition", []string{"fault", "set", "mine", "--iq-error", "jabber:iq:roster"}, "NS=condition"},
		{"unknown condition", []string{"fault", "set", "mine", "--iq-error", "x=oops"}, "§8.3.3"},
		{"kind without drop", []string{"fault", "set", "mine", "--drop-kind", "iq"}, "goes with --drop"},
		{"unknown user", []string{"fault", "set", "nobody", "--no-ping-reply"}, "unknown user"},
		{"reset with error", []string{"fault", "close", "mine", "--reset", "--error", "conflict"}, "exclude each other"},
		{"stanza condition for a stream", []string{"fault", "close", "mine", "--error", "forbidden"}, "§4.9.3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runCLI(t, nil, "", append(tt.args, "--server", srv.server)...)
			if res.code != 1 || !strings.Contains(res.stderr, tt.says) {
				t.Fatalf("exit %d, stderr %q; want 1 saying %q", res.code, res.stderr, tt.says)
			}
		})
	}
}
