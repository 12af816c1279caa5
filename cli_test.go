package main

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestMain builds the binary once; every test drives it as a user would.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "xmppsandbox-cli-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	cliBinary = filepath.Join(dir, "xmppsandbox")
	build := exec.Command("go", "build", "-o", cliBinary, ".")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	code := 1
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building the binary:", err)
	} else {
		code = m.Run()
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

// strangers declares mine and mine1 without roster items between them;
// mine1 does not approve requests by itself.
const strangers = `
domain: localhost
users:
  mine:  {password: mine}
  mine1: {password: mine1}
  admin: {password: admin}
rosters:
  mine:
    - {jid: admin@localhost, name: Admin, groups: [Friends], subscription: both}
`

// autoAccepting is strangers with mine1 approving every request.
var autoAccepting = strings.Replace(strangers, "mine1: {password: mine1}", "mine1: {password: mine1, auto_accept: true}", 1)

func TestInjectPresenceArrives(t *testing.T) {
	t.Parallel()
	srv := startServe(t, strangers)
	mine := loginTo(t, srv.c2s, srv.domain, "mine", "mine")
	mine.goOnline()
	out := srv.run(t, "inject", "presence", "--from", "mine1", "--to", "mine", "--show", "away", "--status", "brb")
	if strings.TrimSpace(out) != "routed 1 stanza" {
		t.Errorf("stdout = %q, want \"routed 1 stanza\"", out)
	}
	mine.await(`<presence from='mine1@localhost'><show>away</show><status>brb</status></presence>`)
}

func TestInjectPresenceBroadcast(t *testing.T) {
	t.Parallel()
	srv := startServe(t, strangers)
	mine := loginTo(t, srv.c2s, srv.domain, "mine", "mine")
	mine.goOnline()
	// admin is offline; without --to its presence goes to its subscribers,
	// mine among them (RFC 6121 §4.4.2).
	srv.run(t, "inject", "presence", "--from", "admin", "--status", "at my desk", "--priority", "3")
	mine.await(`<presence from='admin@localhost'><status>at my desk</status><priority>3</priority></presence>`)
}

func TestInjectMessageArrives(t *testing.T) {
	t.Parallel()
	srv := startServe(t, strangers)
	mine := loginTo(t, srv.c2s, srv.domain, "mine", "mine")
	mine.goOnline()
	srv.run(t, "inject", "message", "--from", "admin", "--to", "mine", "--body", "hello there", "--type", "chat")
	mine.await(`<message from='admin@localhost' type='chat'><body>hello there</body></message>`)
}

func TestInjectRawFromStdin(t *testing.T) {
	t.Parallel()
	srv := startServe(t, strangers)
	mine := loginTo(t, srv.c2s, srv.domain, "mine", "mine")
	mine.goOnline()
	stanzas := `<?xml version='1.0'?>
<message from='admin@localhost' to='mine@localhost' id='raw1'><body>first &amp; raw</body></message>
<message from='mine1' to='mine' type='chat' id='raw2'><body>second</body></message>`
	res := runCLI(t, nil, stanzas, "inject", "raw", "-", "--server", srv.server)
	if res.code != 0 || strings.TrimSpace(res.stdout) != "routed 2 stanzas" {
		t.Fatalf("inject raw: exit %d, stdout %q, stderr %q", res.code, res.stdout, res.stderr)
	}
	mine.await(`<message from='admin@localhost' id='raw1'><body>first &amp; raw</body></message>`)
	mine.await(`<message from='mine1@localhost' id='raw2'><body>second</body></message>`)
}

func TestInjectRawFromFile(t *testing.T) {
	t.Parallel()
	srv := startServe(t, strangers)
	mine := loginTo(t, srv.c2s, srv.domain, "mine", "mine")
	mine.goOnline()
	file := filepath.Join(t.TempDir(), "stanza.xml")
	os.WriteFile(file, []byte(`<message from='admin' to='mine' id='file1'><body>from a file</body></message>`), 0o644)
	srv.run(t, "inject", "raw", file)
	mine.await(`<message from='admin@localhost' id='file1'><body>from a file</body></message>`)
}

func TestRosterAddPushes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		fixtures string
		pushes   []string
	}{
		{"request stays pending", strangers, []string{
			`<item jid='mine1@localhost' subscription='none' ask='subscribe'/>`,
		}},
		{"auto_accept ends at both", autoAccepting, []string{
			`<item jid='mine1@localhost' subscription='none' ask='subscribe'/>`,
			`<item jid='mine1@localhost' subscription='both'/>`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := startServe(t, tt.fixtures)
			mine := loginTo(t, srv.c2s, srv.domain, "mine", "mine")
			mine.fetchRoster()
			out := srv.run(t, "roster", "add", "mine", "mine1", "--name", "Mine One", "--group", "Friends", "--group", "Work")
			if !strings.Contains(out, "mine1@localhost") {
				t.Errorf("roster add printed %q, want the contact named", out)
			}
			for _, item := range tt.pushes {
				mine.await(`<iq type='set'><query xmlns='jabber:iq:roster'>` + item + `</query></iq>`)
			}
			items := rosterItems(t, srv, "mine")
			got := items["mine1@localhost"]
			if got.Name != "Mine One" || strings.Join(got.Groups, ",") != "Friends,Work" {
				t.Errorf("roster list shows %+v, want name Mine One in Friends and Work", got)
			}
		})
	}
}

// rosterItems reads owner's roster with roster list --json.
func rosterItems(t *testing.T, srv *sandboxProcess, owner string) map[string]rosterItem {
	t.Helper()
	var roster struct {
		Items []rosterItem `json:"items"`
	}
	out := srv.run(t, "roster", "list", owner, "--json")
	if err := json.Unmarshal([]byte(out), &roster); err != nil {
		t.Fatalf("roster list --json printed %q: %v", out, err)
	}
	items := map[string]rosterItem{}
	for _, it := range roster.Items {
		items[it.JID] = it
	}
	return items
}

func TestRosterListAndRemove(t *testing.T) {
	t.Parallel()
	srv := startServe(t, strangers)
	table := srv.run(t, "roster", "list", "mine")
	lines := strings.Split(strings.TrimSpace(table), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "JID") || !strings.Contains(lines[1], "admin@localhost") || !strings.Contains(lines[1], "both") {
		t.Fatalf("roster list mine printed\n%s\nwant a header and admin at both", table)
	}
	if strings.Contains(table, "\x1b[") {
		t.Errorf("colour codes written to a pipe:\n%q", table)
	}
	srv.run(t, "roster", "remove", "mine", "admin@localhost")
	if items := rosterItems(t, srv, "mine"); len(items) != 0 {
		t.Fatalf("after roster remove, mine's roster is %v", items)
	}
}

func TestSessionsListsResources(t *testing.T) {
	t.Parallel()
	srv := startServe(t, strangers)
	if out := srv.run(t, "sessions"); strings.Contains(out, "mine@") {
		t.Fatalf("sessions before login printed %q", out)
	}
	mine := loginTo(t, srv.c2s, srv.domain, "mine", "mine")
	mine.goOnline()
	out := srv.run(t, "sessions")
	if !strings.Contains(out, mine.jid.String()) {
		t.Fatalf("sessions printed\n%s\nwant %s", out, mine.jid)
	}
	var list []session
	if err := json.Unmarshal([]byte(srv.run(t, "sessions", "--json")), &list); err != nil || len(list) != 1 || list[0].JID != mine.jid.String() || !list[0].Available {
		t.Fatalf("sessions --json = %+v, %v; want mine's one available resource", list, err)
	}
}

func TestKickEndsTheStream(t *testing.T) {
	t.Parallel()
	srv := startServe(t, strangers)
	phone := loginTo(t, srv.c2s, srv.domain, "mine", "mine")
	laptop := loginTo(t, srv.c2s, srv.domain, "mine", "mine")
	out := srv.run(t, "kick", phone.jid.String())
	if !strings.Contains(out, "kicked 1 session") {
		t.Errorf("kick of a full JID printed %q", out)
	}
	phone.waitEnded()
	if out := srv.run(t, "sessions"); strings.Contains(out, phone.jid.String()) || !strings.Contains(out, laptop.jid.String()) {
		t.Fatalf("after kicking %s, sessions printed:\n%s", phone.jid, out)
	}
	srv.run(t, "kick", "mine")
	laptop.waitEnded()
	if out := srv.run(t, "sessions"); strings.Contains(out, "mine@") {
		t.Fatalf("after kicking mine, sessions printed:\n%s", out)
	}
}

// unusedAddr returns a loopback address where nothing listens: one the
// system just gave out and took back.
func unusedAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}
