package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
)

// simSeen counts what a target's client got from a simulation.
type simSeen struct {
	pushed, removed, offline, changes, messages int
	online                                      map[string]bool // who was seen available, by full JID
}

// add counts one stanza from the simulated users.
func (s *simSeen) add(el *stanza.Element) {
	switch q := el.Child(stanza.NSRoster, "query"); {
	case el.Name.Local == "iq":
		if q == nil || q.FirstElement() == nil {
			return
		}
		if q.FirstElement().Get("subscription") == "remove" {
			s.removed++
		} else {
			s.pushed++
		}
	case !strings.HasPrefix(el.From(), "sim"):
	case el.Name.Local == "message":
		s.messages++
	case el.Type() == "unavailable":
		s.offline++
	case s.online[el.From()]:
		s.changes++
	default:
		s.online[el.From()] = true
	}
}

// watch reads the client's stanzas into seen until done says so.
func (c *xmppClient) watch(seen *simSeen, done func(*simSeen) bool) {
	c.t.Helper()
	deadline := time.After(waitTimeout)
	for !done(seen) {
		select {
		case el := <-c.got:
			seen.add(el)
		case <-deadline:
			c.t.Fatalf("%s: after %s, saw only %+v", c.jid, waitTimeout, *seen)
		}
	}
}

// targetOnline logs mine in, fetches the roster and sends presence.
func targetOnline(t *testing.T, srv *sandboxProcess) *xmppClient {
	mine := loginTo(t, srv.c2s, srv.domain, "mine", "mine")
	mine.fetchRoster()
	mine.goOnline()
	return mine
}

func TestSimulateForADuration(t *testing.T) {
	t.Parallel()
	srv := startServe(t, strangers)
	mine := targetOnline(t, srv)
	out := srv.run(t, "simulate", "--users", "5", "--presence-churn", "40/s", "--messages", "10", "--to", "mine", "--duration", "1s")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], "5 simulated users online as contacts of mine@localhost") ||
		!strings.HasPrefix(lines[1], "stopped after") || !strings.Contains(lines[1], "were removed") {
		t.Fatalf("simulate printed:\n%s", out)
	}
	seen := &simSeen{online: map[string]bool{}}
	mine.watch(seen, func(s *simSeen) bool { return s.removed == 5 })
	if seen.pushed != 5 || len(seen.online) != 5 || seen.offline != 5 || seen.changes < 10 || seen.messages < 3 {
		t.Errorf("the client saw %+v", *seen)
	}
	if items := rosterItems(t, srv, "mine"); len(items) != 1 {
		t.Errorf("mine's roster after the simulation: %v", items)
	}
}

func TestSimulateStopsOnInterrupt(t *testing.T) {
	t.Parallel()
	srv := startServe(t, strangers)
	mine := targetOnline(t, srv)
	ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, cliBinary, "simulate", "--users", "3", "--to", "mine", "--server", srv.server)
	cmd.Env = childEnv()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	seen := &simSeen{online: map[string]bool{}}
	mine.watch(seen, func(s *simSeen) bool { return len(s.online) == 3 })
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("simulate after an interrupt: %v; stderr %q", err, stderr.String())
	}
	if !strings.Contains(stdout.String(), "stopped after") {
		t.Errorf("simulate printed %q", stdout.String())
	}
	mine.watch(seen, func(s *simSeen) bool { return s.offline == 3 && s.removed == 3 })
}

func TestSimulateRefusesBadFlags(t *testing.T) {
	t.Parallel()
	srv := startServe(t, strangers)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no users", []string{"--to", "mine"}, "--users must be at least 1"},
		{"no target", []string{"--users", "3"}, "--to is required"},
		{"rate in words", []string{"--users", "3", "--to", "mine", "--presence-churn", "fast"}, `--presence-churn wants a rate from 0/s to 100000/s such as 100/s, not "fast"`},
		{"negative rate", []string{"--users", "3", "--to", "mine", "--messages", "-1/s"}, "--messages wants a rate"},
		{"unknown target", []string{"--users", "3", "--to", "nobody"}, `unknown user "nobody"`},
		{"stray argument", []string{"--users", "3", "--to", "mine", "now"}, `unexpected argument "now"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runCLI(t, nil, "", append(append([]string{"simulate"}, tt.args...), "--server", srv.server)...)
			if res.code == 0 || !strings.Contains(res.stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want a failure saying %q", res.code, res.stderr, tt.want)
			}
		})
	}
}

func TestParseRate(t *testing.T) {
	tests := []struct {
		text string
		want float64
		ok   bool
	}{
		{"1000/s", 1000, true},
		{"2.5", 2.5, true},
		{" 0/s ", 0, true},
		{"100000/s", 100000, true},
		{"100001/s", 0, false},
		{"-3/s", 0, false},
		{"10/m", 0, false},
		{"", 0, false},
		{"NaN", 0, false},
	}
	for _, tt := range tests {
		got, err := parseRate("--rate", tt.text)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("parseRate(%q) = %v, %v; want %v, ok=%v", tt.text, got, err, tt.want, tt.ok)
		}
	}
}
