package main

import (
	"reflect"
	"strings"
	"testing"
)

// badInput is a command that must fail without changing anything.
type badInput struct {
	name  string
	stdin string
	args  []string
	code  int    // the exit status wanted
	want  string // text the one stderr line must contain
}

// badInputs returns the cases; every one runs with --server appended
// unless it names its own.
func badInputs(unreachable string) []badInput {
	return []badInput{
		{name: "unknown sender", args: []string{"inject", "message", "--from", "nobody", "--to", "mine", "--body", "x"}, code: 1, want: `unknown user "nobody"`},
		{name: "unknown roster owner", args: []string{"roster", "add", "nobody", "mine1"}, code: 1, want: `unknown user "nobody"`},
		{name: "unknown owner listed", args: []string{"roster", "list", "nobody"}, code: 1, want: `unknown user "nobody"`},
		{name: "malformed contact", args: []string{"roster", "add", "mine", "bad jid@localhost"}, code: 1, want: `malformed JID "bad jid@localhost"`},
		{name: "owner with resource", args: []string{"roster", "add", "mine/phone", "mine1"}, code: 1, want: "bare JID"},
		{name: "malformed sender", args: []string{"inject", "presence", "--from", "a@b@c", "--to", "mine"}, code: 1, want: `malformed JID "a@b@c"`},
		{name: "malformed addressee", args: []string{"inject", "message", "--from", "admin", "--to", "mine@", "--body", "x"}, code: 1, want: `malformed JID "mine@"`},
		{name: "unknown show", args: []string{"inject", "presence", "--from", "mine1", "--to", "mine", "--show", "busy"}, code: 1, want: `--show "busy"`},
		{name: "presence probe", args: []string{"inject", "presence", "--from", "mine1", "--to", "mine", "--type", "probe"}, code: 1, want: `--type "probe"`},
		{name: "show on unavailable", args: []string{"inject", "presence", "--from", "mine1", "--type", "unavailable", "--show", "away"}, code: 1, want: "--show goes with available presence"},
		{name: "priority too high", args: []string{"inject", "presence", "--from", "mine1", "--priority", "128"}, code: 1, want: "outside -128..127"},
		{name: "priority too low", args: []string{"inject", "presence", "--from", "mine1", "--priority", "-129"}, code: 1, want: "outside -128..127"},
		{name: "priority not a number", args: []string{"inject", "presence", "--from", "mine1", "--priority", "high"}, code: 1, want: "invalid value"},
		{name: "groupchat message", args: []string{"inject", "message", "--from", "admin", "--to", "mine", "--body", "x", "--type", "groupchat"}, code: 1, want: `--type "groupchat"`},
		{name: "missing --to", args: []string{"inject", "message", "--from", "admin", "--body", "x"}, code: 1, want: "missing --to"},
		{name: "missing --body", args: []string{"inject", "message", "--from", "admin", "--to", "mine"}, code: 1, want: "missing --body"},
		{name: "missing --from", args: []string{"inject", "presence", "--to", "mine"}, code: 1, want: "missing --from"},
		{name: "stray argument", args: []string{"inject", "presence", "--from", "mine1", "now"}, code: 1, want: `unexpected argument "now"`},
		{name: "unclosed element", stdin: `<message from='admin' to='mine'><body>x</message>`, args: []string{"inject", "raw", "-"}, code: 1, want: "malformed XML"},
		{name: "truncated stanza", stdin: `<message from='admin' to='mine'><body>x</body>`, args: []string{"inject", "raw"}, code: 1, want: "is not closed"},
		{name: "stanza without from", stdin: `<message to='mine'><body>x</body></message>`, args: []string{"inject", "raw", "-"}, code: 1, want: "has no from"},
		{name: "second stanza bad", stdin: `<message from='admin' to='mine'/><message from='a b' to='mine'/>`, args: []string{"inject", "raw", "-"}, code: 1, want: "malformed JID"},
		{name: "comment", stdin: `<message from='admin' to='mine'><!-- hi --></message>`, args: []string{"inject", "raw", "-"}, code: 1, want: "comments are not allowed"},
		{name: "not a stanza", stdin: `<stream:features from='admin' xmlns:stream='http://etherx.jabber.org/streams'/>`, args: []string{"inject", "raw", "-"}, code: 1, want: "is not a stanza"},
		{name: "undeclared prefix", stdin: `<message from='admin' to='mine'><x:y/></message>`, args: []string{"inject", "raw", "-"}, code: 1, want: `prefix "x"`},
		{name: "unknown entity", stdin: `<message from='admin' to='mine'><body>&nbsp;</body></message>`, args: []string{"inject", "raw", "-"}, code: 1, want: "malformed XML"},
		{name: "empty input", stdin: "  \n", args: []string{"inject", "raw", "-"}, code: 1, want: "no stanza"},
		{name: "missing file", args: []string{"inject", "raw", "/nonexistent/stanzas.xml"}, code: 1, want: "no such file"},
		{name: "missing contact", args: []string{"roster", "add", "mine"}, code: 1, want: "missing CONTACT"},
		{name: "extra argument", args: []string{"roster", "add", "mine", "mine1", "admin"}, code: 1, want: `unexpected argument "admin"`},
		{name: "unknown flag after args", args: []string{"roster", "add", "mine", "mine1", "--nickname", "M"}, code: 1, want: "flag provided but not defined: --nickname"},
		{name: "unknown flag before args", args: []string{"roster", "add", "--nickname", "M", "mine", "mine1"}, code: 1, want: "flag provided but not defined"},
		{name: "unknown subcommand", args: []string{"roster", "rename", "mine"}, code: 1, want: `unknown command "rename" for xmppsandbox roster: want add, list, remove`},
		{name: "malformed kick", args: []string{"kick", "a@b@c"}, code: 1, want: "malformed JID"},
		{name: "malformed tail filter", args: []string{"tail", "--jid", "@localhost"}, code: 1, want: "malformed JID"},
		{name: "malformed server URL", args: []string{"sessions", "--server", "ftp://example.org"}, code: 1, want: "malformed --server URL"},
		{name: "unreachable read", args: []string{"sessions", "--server", "http://" + unreachable}, code: 2,
			want: "cannot reach the sandbox at http://" + unreachable + ": connection refused (is it running?)"},
		{name: "unreachable write", args: []string{"roster", "add", "mine", "mine1", "--server", unreachable}, code: 2, want: "connection refused"},
	}
}

func TestBadInputChangesNothing(t *testing.T) {
	t.Parallel()
	srv := startServe(t, strangers)
	mine := loginTo(t, srv.c2s, srv.domain, "mine", "mine")
	mine.fetchRoster()
	mine.goOnline()
	mine.sync()
	before := rosterItems(t, srv, "mine")
	for _, tt := range badInputs(unusedAddr(t)) {
		t.Run(tt.name, func(t *testing.T) {
			args := tt.args
			if !strings.Contains(strings.Join(args, " "), "--server") {
				args = append(args, "--server", srv.server)
			}
			res := runCLI(t, nil, tt.stdin, args...)
			checkOneLineFailure(t, res, tt.code, tt.want)
			if after := rosterItems(t, srv, "mine"); !reflect.DeepEqual(after, before) {
				t.Errorf("mine's roster changed:\nbefore %+v\nafter  %+v", before, after)
			}
			mine.expectNothing()
		})
	}
}

// checkOneLineFailure checks the exit status, that stdout is empty and
// that stderr is one line, prefixed with the program's name, saying want.
func checkOneLineFailure(t *testing.T, res result, code int, want string) {
	t.Helper()
	if res.code != code {
		t.Errorf("exit status %d, want %d (stderr %q)", res.code, code, res.stderr)
	}
	if res.stdout != "" {
		t.Errorf("stdout %q, want nothing", res.stdout)
	}
	lines := strings.Split(strings.TrimSuffix(res.stderr, "\n"), "\n")
	if len(lines) != 1 || !strings.HasSuffix(res.stderr, "\n") {
		t.Fatalf("stderr %q: want exactly one line", res.stderr)
	}
	if !strings.HasPrefix(lines[0], "xmppsandbox: ") || !strings.Contains(lines[0], want) {
		t.Errorf("stderr %q: want \"xmppsandbox: …%s…\"", lines[0], want)
	}
}
