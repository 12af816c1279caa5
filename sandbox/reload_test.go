package sandbox_test

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	xmppstream "mellium.im/xmpp/stream"

	"github.com/xmppsandbox/xmppsandbox/sandbox"
	"github.com/xmppsandbox/xmppsandbox/sandbox/sandboxtest"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stream"
)

// reloadBase is where the reload tests start: alice and bob subscribed
// to each other, passwords equal to the names.
const reloadBase = `domain: localhost
users:
  alice: {password: alice}
  bob:   {password: bob}
rosters:
  alice:
    - {jid: bob, name: Bob, subscription: both}
`

// fixtureFile is one file of a save.
type fixtureFile struct{ name, text string }

// saveFunc writes fixture files the way one kind of editor saves them.
type saveFunc func(t testing.TB, dir string, files ...fixtureFile)

// writeInPlace opens each file, truncating it, and writes it at once.
func writeInPlace(t testing.TB, dir string, files ...fixtureFile) {
	t.Helper()
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(dir, f.name), []byte(f.text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// renameOver writes each file to a hidden temporary file in the same
// directory and renames it over the old one, as atomic savers do.
func renameOver(t testing.TB, dir string, files ...fixtureFile) {
	t.Helper()
	for _, f := range files {
		tmp, err := os.CreateTemp(dir, "."+f.name+"-*")
		if err != nil {
			t.Fatal(err)
		}
		_, err = tmp.WriteString(f.text)
		if err = errors.Join(err, tmp.Close()); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp.Name(), filepath.Join(dir, f.name)); err != nil {
			t.Fatal(err)
		}
	}
}

// truncateThenWrite empties each file, then writes it in two halves, as
// separate system calls: a reload between them would see a broken file.
func truncateThenWrite(t testing.TB, dir string, files ...fixtureFile) {
	t.Helper()
	for _, f := range files {
		fh, err := os.OpenFile(filepath.Join(dir, f.name), os.O_WRONLY|os.O_CREATE, 0o644)
		if err != nil {
			t.Fatal(err)
		}
		half := len(f.text) / 2
		err = fh.Truncate(0)
		if err == nil {
			_, err = fh.WriteString(f.text[:half])
		}
		if err == nil {
			_, err = fh.WriteString(f.text[half:])
		}
		if err = errors.Join(err, fh.Close()); err != nil {
			t.Fatal(err)
		}
	}
}

// logSink collects a server's log so a test can wait for a line.
type logSink struct {
	mu    sync.Mutex
	text  strings.Builder
	wrote chan struct{}
}

func (l *logSink) Write(p []byte) (int, error) {
	l.mu.Lock()
	l.text.Write(p)
	l.mu.Unlock()
	select {
	case l.wrote <- struct{}{}:
	default:
	}
	return len(p), nil
}

// count returns how many log lines contain s.
func (l *logSink) count(s string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Count(l.text.String(), s)
}

// await waits until n log lines contain s.
func (l *logSink) await(t testing.TB, s string, n int) {
	t.Helper()
	deadline := time.After(sandboxtest.Timeout)
	for l.count(s) < n {
		select {
		case <-l.wrote:
		case <-deadline:
			t.Fatalf("the log never had %d lines with %q; it has:\n%s", n, s, l.String())
		}
	}
}

func (l *logSink) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.text.String()
}

// startWatched starts a server on fixtures whose log the test can read.
func startWatched(t testing.TB, fixtures string) (*sandboxtest.Server, *logSink) {
	t.Helper()
	sink := &logSink{wrote: make(chan struct{}, 1)}
	srv := sandboxtest.Start(t, fixtures, func(c *sandbox.Config) {
		c.Logger = slog.New(slog.NewTextHandler(sink, nil))
	})
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("server log:\n%s", sink)
		}
	})
	if strings.Contains(sink.String(), "will not reload") {
		t.Fatalf("the fixtures are not watched:\n%s", sink)
	}
	return srv, sink
}

// present logs user in (password = name) as resource r, fetches the
// roster so pushes reach it, and sends initial presence.
func present(t testing.TB, srv *sandboxtest.Server, user, r string) *sandboxtest.Client {
	t.Helper()
	c := sandboxtest.Login(t, srv, user, user, sandboxtest.LoginOptions{Resource: r})
	c.Send(`<iq type='get' id='r0'><query xmlns='jabber:iq:roster'/></iq>`)
	c.Expect(`<iq type='result' id='r0'/>`)
	c.Send(`<presence/>`)
	c.Await(sandboxtest.Fmt(`<presence from='%s@localhost/%s'/>`, user, r))
	c.Sync()
	return c
}

// withCarolUser adds carol to reloadBase, without roster items.
const withCarolUser = `domain: localhost
users:
  alice: {password: alice}
  bob:   {password: bob}
  carol: {password: carol}
rosters:
  alice:
    - {jid: bob, name: Bob, subscription: both}
`

// carolItem puts carol in alice's roster.
const carolItem = "    - {jid: carol, name: Carol, subscription: both}\n"

func TestReloadAppliesEachEditorSave(t *testing.T) {
	saves := []struct {
		name  string
		save  saveFunc
		files []fixtureFile
	}{
		{"write in place", writeInPlace, []fixtureFile{{"fixtures.yaml", withCarolUser + carolItem}}},
		{"temp file renamed over", renameOver, []fixtureFile{{"fixtures.yaml", withCarolUser + carolItem}}},
		{"truncate then write in two steps", truncateThenWrite, []fixtureFile{{"fixtures.yaml", withCarolUser + carolItem}}},
		// The roster file alone names an undeclared user: only a reload
		// of both files together is clean.
		{"two files saved together", writeInPlace, []fixtureFile{
			{"rosters.yaml", "rosters:\n  alice:\n" + carolItem},
			{"fixtures.yaml", withCarolUser},
		}},
	}
	for _, tc := range saves {
		t.Run(tc.name, func(t *testing.T) {
			srv, sink := startWatched(t, reloadBase)
			alice := present(t, srv, "alice", "pc")
			tc.save(t, srv.Dir, tc.files...)
			alice.Expect(`<iq type='set'><query xmlns='jabber:iq:roster'><item jid='carol@localhost' name='Carol' subscription='both'/></query></iq>`)
			alice.ExpectNothing()
			carol := present(t, srv, "carol", "phone")
			alice.Expect(`<presence from='carol@localhost/phone'/>`)
			carol.Sync()
			if sink.count("fixture error") > 0 {
				t.Fatalf("a reload saw a half-saved state:\n%s", sink)
			}
		})
	}
}

// serveUntilEnd runs a raw session and returns the error that ends it.
func serveUntilEnd(t *testing.T, srv *sandboxtest.Server, user, r string) <-chan error {
	t.Helper()
	sess, err := sandboxtest.Dial(srv, user, user, sandboxtest.LoginOptions{Resource: r})
	if err != nil {
		t.Fatalf("login %s: %v", user, err)
	}
	t.Cleanup(func() { sess.Conn().Close() })
	ended := make(chan error, 1)
	go func() { ended <- sess.Serve(nil) }()
	return ended
}

func TestReloadDisconnectsRemovedUser(t *testing.T) {
	srv, _ := startWatched(t, reloadBase)
	alice := present(t, srv, "alice", "pc")
	bob := present(t, srv, "bob", "pc")
	alice.Expect(`<presence from='bob@localhost/pc'/>`)
	raw := serveUntilEnd(t, srv, "bob", "raw")

	renameOver(t, srv.Dir, fixtureFile{"fixtures.yaml", "domain: localhost\nusers:\n  alice: {password: alice}\n"})
	select {
	case err := <-raw:
		var se xmppstream.Error
		if !errors.As(err, &se) || se.Err != "not-authorized" {
			t.Fatalf("the removed user's session ended with %v, want a not-authorized stream error", err)
		}
	case <-time.After(sandboxtest.Timeout):
		t.Fatal("the removed user's session did not end")
	}
	bob.ExpectStreamEnd()
	expectInAnyOrder(t, alice,
		`<iq type='set'><query xmlns='jabber:iq:roster'><item jid='bob@localhost' subscription='remove'/></query></iq>`,
		`<presence from='bob@localhost/pc' type='unavailable'/>`)
	alice.ExpectNothing()
	if _, err := sandboxtest.Dial(srv, "bob", "bob", sandboxtest.LoginOptions{}); err == nil || !strings.Contains(err.Error(), "not-authorized") {
		t.Fatalf("the removed user logged in again: %v", err)
	}
}

func TestReloadChangedPassword(t *testing.T) {
	srv, sink := startWatched(t, reloadBase)
	// A first login caches SCRAM keys derived from the old password.
	sandboxtest.Login(t, srv, "bob", "bob", sandboxtest.LoginOptions{}).Close()

	renameOver(t, srv.Dir, fixtureFile{"fixtures.yaml", strings.Replace(reloadBase, "{password: bob}", "{password: hunter2}", 1)})
	sink.await(t, "fixtures reloaded", 1)
	if _, err := sandboxtest.Dial(srv, "bob", "bob", sandboxtest.LoginOptions{}); err == nil || !strings.Contains(err.Error(), "not-authorized") {
		t.Fatalf("the old password gave %v, want not-authorized", err)
	}
	sandboxtest.Login(t, srv, "bob", "hunter2", sandboxtest.LoginOptions{}).Sync()
}

func TestReloadAutoAcceptActsAtOnce(t *testing.T) {
	srv, sink := startWatched(t, "domain: localhost\nusers:\n  alice: {password: alice}\n  bob: {password: bob}\n")
	alice := present(t, srv, "alice", "pc")

	writeInPlace(t, srv.Dir, fixtureFile{"fixtures.yaml", "domain: localhost\nusers:\n  alice: {password: alice}\n  bob: {password: bob, auto_accept: true}\n"})
	sink.await(t, "fixtures reloaded", 1)
	alice.Send(`<presence to='bob@localhost' type='subscribe'/>`)
	alice.Await(`<presence from='bob@localhost' type='subscribed'/>`)
}

func TestReloadNoneToBothBetweenOnlineUsers(t *testing.T) {
	none := strings.Replace(reloadBase, "subscription: both", "subscription: none", 1)
	srv, _ := startWatched(t, none)
	alice := present(t, srv, "alice", "pc")
	bob := present(t, srv, "bob", "phone")
	alice.ExpectNothing()

	writeInPlace(t, srv.Dir, fixtureFile{"fixtures.yaml", reloadBase})
	expectInAnyOrder(t, alice,
		`<iq type='set'><query xmlns='jabber:iq:roster'><item jid='bob@localhost' name='Bob' subscription='both'/></query></iq>`,
		`<presence from='bob@localhost/phone' to='alice@localhost'/>`)
	expectInAnyOrder(t, bob,
		`<iq type='set'><query xmlns='jabber:iq:roster'><item jid='alice@localhost' subscription='both'/></query></iq>`,
		`<presence from='alice@localhost/pc' to='bob@localhost'/>`)
	alice.ExpectNothing()
	bob.ExpectNothing()
	// Presence now flows both ways, as after a subscription by stanzas.
	bob.Send(`<presence><show>away</show></presence>`)
	alice.Await(`<presence from='bob@localhost/phone'><show>away</show></presence>`)
}

func TestReloadPendingRequestReachesContact(t *testing.T) {
	users := "domain: localhost\nusers:\n  alice: {password: alice}\n  bob: {password: bob}\n"
	srv, _ := startWatched(t, users)
	alice := present(t, srv, "alice", "pc")

	writeInPlace(t, srv.Dir, fixtureFile{"fixtures.yaml", users + "rosters:\n  bob:\n    - {jid: alice, ask: subscribe}\n"})
	alice.Expect(`<presence from='bob@localhost' to='alice@localhost' type='subscribe'/>`)
	alice.ExpectNothing() // a pending-in item is never pushed
	alice.Send(`<presence to='bob@localhost' type='subscribed'/>`)
	alice.Expect(`<iq type='set'><query xmlns='jabber:iq:roster'><item jid='bob@localhost' subscription='from'/></query></iq>`)
}

func TestReloadKeepsRuntimeSubscriptions(t *testing.T) {
	fixtures := "domain: localhost\nusers:\n  alice: {password: alice}\n  bob: {password: bob}\n  carol: {password: carol}\n" +
		"rosters:\n  alice:\n    - {jid: carol, name: C}\n"
	srv, _ := startWatched(t, fixtures)
	alice := present(t, srv, "alice", "pc")
	bob := present(t, srv, "bob", "pc")
	alice.Send(`<presence to='bob@localhost' type='subscribe'/>`)
	alice.Expect(`<iq type='set'><query xmlns='jabber:iq:roster'><item jid='bob@localhost' subscription='none' ask='subscribe'/></query></iq>`)
	bob.Expect(`<presence from='alice@localhost' type='subscribe'/>`)
	bob.Send(`<presence to='alice@localhost' type='subscribed'/>`)
	bob.Expect(`<iq type='set'><query xmlns='jabber:iq:roster'><item jid='alice@localhost' subscription='from'/></query></iq>`)
	expectInAnyOrder(t, alice,
		`<iq type='set'><query xmlns='jabber:iq:roster'><item jid='bob@localhost' subscription='to'/></query></iq>`,
		`<presence from='bob@localhost' type='subscribed'/>`,
		`<presence from='bob@localhost/pc'/>`)

	writeInPlace(t, srv.Dir, fixtureFile{"fixtures.yaml", strings.Replace(fixtures, "name: C}", "name: Carol}", 1)})
	alice.Expect(`<iq type='set'><query xmlns='jabber:iq:roster'><item jid='carol@localhost' name='Carol' subscription='none'/></query></iq>`)
	alice.ExpectNothing()
	bob.ExpectNothing()
	rosterSubscription(t, alice, "bob@localhost", "to")
	rosterSubscription(t, bob, "alice@localhost", "from")
}

func TestReloadRefusesBrokenFixtures(t *testing.T) {
	cases := []struct {
		name, text, where string
	}{
		{"unknown local contact", reloadBase + "    - {jid: nobody}\n", "fixtures.yaml:8:"},
		{"bad YAML", reloadBase + "    - {jid: [\n", "fixtures.yaml:8:"},
		{"another domain", strings.Replace(reloadBase, "domain: localhost", "domain: example.org", 1), "fixtures.yaml:1:"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, sink := startWatched(t, reloadBase)
			alice := present(t, srv, "alice", "pc")
			writeInPlace(t, srv.Dir, fixtureFile{"fixtures.yaml", tc.text})
			sink.await(t, "fixture error: "+tc.where, 1)
			if got := fixtureError(t, srv); !strings.HasPrefix(got, tc.where) {
				t.Fatalf("status fixture_error = %q, want it to start with %s", got, tc.where)
			}
			// The old state still serves.
			alice.ExpectNothing()
			rosterSubscription(t, alice, "bob@localhost", "both")
			sandboxtest.Login(t, srv, "bob", "bob", sandboxtest.LoginOptions{}).Sync()

			writeInPlace(t, srv.Dir, fixtureFile{"fixtures.yaml", reloadBase + "    - {jid: dave@example.org}\n"})
			alice.Expect(`<iq type='set'><query xmlns='jabber:iq:roster'><item jid='dave@example.org' subscription='none'/></query></iq>`)
			if got := fixtureError(t, srv); got != "" {
				t.Fatalf("a good load left fixture_error = %q", got)
			}
		})
	}
}

func TestReloadOnDemand(t *testing.T) {
	srv := sandboxtest.Start(t, reloadBase, func(c *sandbox.Config) { c.NoWatch = true })
	alice := present(t, srv, "alice", "pc")
	writeInPlace(t, srv.Dir, fixtureFile{"fixtures.yaml", reloadBase + "    - {jid: nobody}\n"})
	err := srv.Reload()
	if err == nil || !strings.HasPrefix(err.Error(), "fixtures.yaml:8: ") {
		t.Fatalf("Reload of a broken set returned %v, want an error at fixtures.yaml:8", err)
	}
	writeInPlace(t, srv.Dir, fixtureFile{"fixtures.yaml", reloadBase + "    - {jid: dave@example.org, groups: [Remote]}\n"})
	if err := srv.Reload(); err != nil {
		t.Fatal(err)
	}
	alice.Expect(`<iq type='set'><query xmlns='jabber:iq:roster'><item jid='dave@example.org' subscription='none'><group>Remote</group></item></query></iq>`)
	if err := srv.Reload(); err != nil {
		t.Fatal(err)
	}
	alice.ExpectNothing() // nothing changed since the last reload
}

// expectInAnyOrder checks that the next stanzas c receives match the
// patterns, one each, in whatever order the server sends them.
func expectInAnyOrder(t *testing.T, c *sandboxtest.Client, patterns ...string) {
	t.Helper()
	want := make([]*stanza.Element, len(patterns))
	for i, p := range patterns {
		el, err := stream.Parse(p, 0)
		if err != nil {
			t.Fatalf("bad pattern %q: %v", p, err)
		}
		want[i] = el
	}
	for range patterns {
		got := c.Next()
		i := slices.IndexFunc(want, func(w *stanza.Element) bool { return sandboxtest.Match(w, got) })
		if i < 0 {
			t.Fatalf("%s received\n\t%s\nwhile waiting for\n\t%v", c.JID, got, want)
		}
		want = slices.Delete(want, i, i+1)
	}
}

// fixtureError returns fixture_error from GET /api/status.
func fixtureError(t *testing.T, srv *sandboxtest.Server) string {
	t.Helper()
	res, err := http.Get("http://" + srv.HTTPAddr() + "/api/status")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var status struct {
		FixtureError string `json:"fixture_error"`
	}
	if err := json.NewDecoder(res.Body).Decode(&status); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("status: %d %v", res.StatusCode, err)
	}
	return status.FixtureError
}

// rosterSubscription checks the subscription a roster get shows for
// contact.
func rosterSubscription(t *testing.T, c *sandboxtest.Client, contact, sub string) {
	t.Helper()
	c.Send(`<iq type='get' id='roster-check'><query xmlns='jabber:iq:roster'/></iq>`)
	res := c.Expect(`<iq type='result' id='roster-check'/>`)
	for _, it := range res.Payload().Elements() {
		if it.Get("jid") == contact {
			if it.Get("subscription") != sub {
				t.Fatalf("%s: roster shows %s, want subscription=%q", c.JID, it, sub)
			}
			return
		}
	}
	t.Fatalf("%s: roster has no item for %s", c.JID, contact)
}

// BenchmarkReloadToPush measures the time from saving a fixture file to
// the roster push it implies arriving at a connected client: the quiet
// period, the load, the transaction and the push. Run it with
// -benchtime=20x for the p50 and p99 of twenty saves.
func BenchmarkReloadToPush(b *testing.B) {
	srv := sandboxtest.Start(b, reloadBase)
	alice := present(b, srv, "alice", "pc")
	var took []time.Duration
	for i := range b.N {
		name := sandboxtest.Fmt("Bob %d", i)
		start := time.Now()
		writeInPlace(b, srv.Dir, fixtureFile{"fixtures.yaml", strings.Replace(reloadBase, "name: Bob", "name: "+name, 1)})
		alice.Expect(sandboxtest.Fmt(`<iq type='set'><query xmlns='jabber:iq:roster'><item jid='bob@localhost' name='%s'/></query></iq>`, name))
		took = append(took, time.Since(start))
	}
	slices.Sort(took)
	b.ReportMetric(percentile(took, 50).Seconds()*1000, "p50-ms")
	b.ReportMetric(percentile(took, 99).Seconds()*1000, "p99-ms")
}

// percentile returns the p-th percentile of sorted durations.
func percentile(sorted []time.Duration, p int) time.Duration {
	return sorted[(len(sorted)-1)*p/100]
}
