package sandbox_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xmppsandbox/xmppsandbox/sandbox/sandboxtest"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
	"github.com/xmppsandbox/xmppsandbox/sandbox/virtual"
)

// virtualBase declares mine and two virtual contacts in its roster: bot
// shows away, echo answers messages.
const virtualBase = `domain: localhost
users:
  mine: {password: mine}
  bot:
    password: bot
    online: true
    presence: {show: away, status: "gone fishing", priority: 5}
  echo: {password: echo, online: true, echo: true}
rosters:
  mine:
    - {jid: bot, subscription: both}
    - {jid: echo, subscription: both}
`

// blinking declares mine and blink, which rotates between dnd and chat.
const blinking = `users:
  mine: {password: mine}
  blink:
    password: blink
    online: true
    presence: {show: dnd}
    cycle: {every: 50ms, shows: [dnd, chat]}
rosters:
  mine:
    - {jid: blink, subscription: both}
`

// virtualOnline logs user in (password = name) as resource r, fetches the
// roster so pushes reach it, and sends initial presence.
func virtualOnline(t *testing.T, srv *sandboxtest.Server, user, r string) *sandboxtest.Client {
	t.Helper()
	c := sandboxtest.Login(t, srv, user, user, sandboxtest.LoginOptions{Resource: r})
	c.Send(`<iq type='get' id='roster1'><query xmlns='jabber:iq:roster'/></iq>`)
	c.Await(`<iq type='result' id='roster1'/>`)
	c.Send(`<presence/>`)
	c.Await(sandboxtest.Fmt(`<presence from='%s@localhost/%s'/>`, user, r))
	return c
}

func TestVirtualContactsAnswerProbes(t *testing.T) {
	srv := sandboxtest.Start(t, virtualBase)
	mine := sandboxtest.Login(t, srv, "mine", "mine", sandboxtest.LoginOptions{Resource: "r"})
	mine.Send(`<presence/>`)
	mine.Await(`<presence from='bot@localhost/sandbox' to='mine@localhost/r'><show>away</show><status>gone fishing</status><priority>5</priority></presence>`)
}

func TestVirtualContactEchoes(t *testing.T) {
	srv := sandboxtest.Start(t, virtualBase)
	mine := virtualOnline(t, srv, "mine", "r")
	tests := []struct{ name, to string }{
		{"to the bare JID", "echo@localhost"},
		{"to the full JID", "echo@localhost/sandbox"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mine.Send(`<message to='` + tt.to + `' id='m1'><body>hello &amp; bye</body><thread>t1</thread></message>`)
			mine.Await(`<message from='echo@localhost/sandbox' to='mine@localhost/r' type='chat'><body>hello &amp; bye</body><thread>t1</thread></message>`)
		})
	}
	t.Run("not without a body", func(t *testing.T) {
		mine.Send(`<message to='echo@localhost' type='chat'><active xmlns='http://jabber.org/protocol/chatstates'/></message>`)
		mine.Send(`<message to='bot@localhost' type='chat'><body>bot does not echo</body></message>`)
		// The ping goes through the same queue as an echo would.
		mine.Send(`<iq type='get' id='p1' to='echo@localhost/sandbox'><ping xmlns='urn:xmpp:ping'/></iq>`)
		mine.Expect(`<iq type='result' id='p1' from='echo@localhost/sandbox'/>`)
		mine.ExpectNothing()
	})
}

func TestVirtualContactAnswersRequests(t *testing.T) {
	srv := sandboxtest.Start(t, virtualBase)
	mine := sandboxtest.Login(t, srv, "mine", "mine", sandboxtest.LoginOptions{Resource: "r"})
	mine.Send(`<iq type='get' id='ping1' to='bot@localhost/sandbox'><ping xmlns='urn:xmpp:ping'/></iq>`)
	mine.Expect(`<iq type='result' id='ping1' from='bot@localhost/sandbox'/>`)
	// RFC 6120 §8.4: what the client does not support is
	// service-unavailable.
	mine.Send(`<iq type='get' id='v1' to='bot@localhost/sandbox'><query xmlns='jabber:iq:version'/></iq>`)
	mine.Expect(`<iq type='error' id='v1' from='bot@localhost/sandbox'><error type='cancel'><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`)
}

func TestVirtualContactCycles(t *testing.T) {
	srv := sandboxtest.Start(t, blinking)
	mine := virtualOnline(t, srv, "mine", "r")
	// Several steps: dnd and chat alternate every 50ms.
	for range 2 {
		mine.Await(`<presence from='blink@localhost/sandbox'><show>chat</show></presence>`)
		mine.Await(`<presence from='blink@localhost/sandbox'><show>dnd</show></presence>`)
	}
}

// rewrite replaces the server's fixtures and reloads them.
func rewrite(t *testing.T, srv *sandboxtest.Server, fixtures string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(srv.Dir, "fixtures.yaml"), []byte(fixtures), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := srv.Reload(); err != nil {
		t.Fatal(err)
	}
}

func TestVirtualContactsFollowReloads(t *testing.T) {
	srv := sandboxtest.Start(t, virtualBase)
	mine := virtualOnline(t, srv, "mine", "r")
	mine.Await(`<presence from='bot@localhost/sandbox'><show>away</show></presence>`)

	t.Run("presence changes", func(t *testing.T) {
		rewrite(t, srv, strings.Replace(virtualBase, `{show: away, status: "gone fishing", priority: 5}`, `{show: xa, status: "on holiday"}`, 1))
		mine.Await(`<presence from='bot@localhost/sandbox'><show>xa</show><status>on holiday</status></presence>`)
	})
	t.Run("online removed", func(t *testing.T) {
		rewrite(t, srv, strings.Replace(virtualBase, "    online: true\n    presence: {show: away", "    presence: {show: away", 1))
		mine.Await(`<presence from='bot@localhost/sandbox' type='unavailable'/>`)
		if n := sessionsOf(t, srv, "bot@localhost"); n != 0 {
			t.Fatalf("bot still has %d sessions", n)
		}
	})
	t.Run("online again", func(t *testing.T) {
		rewrite(t, srv, virtualBase)
		mine.Await(`<presence from='bot@localhost/sandbox'><show>away</show></presence>`)
	})
	t.Run("user removed", func(t *testing.T) {
		rewrite(t, srv, strings.Replace(strings.Replace(virtualBase, "    - {jid: bot, subscription: both}\n", "", 1),
			"  bot:\n    password: bot\n    online: true\n    presence: {show: away, status: \"gone fishing\", priority: 5}\n", "", 1))
		mine.Await(`<presence from='bot@localhost/sandbox' type='unavailable'/>`)
	})
}

func TestVirtualContactsLeaveAtShutdown(t *testing.T) {
	srv := sandboxtest.Start(t, virtualBase)
	mine := virtualOnline(t, srv, "mine", "r")
	mine.Await(`<presence from='bot@localhost/sandbox'><show>away</show></presence>`)
	srv.Close()
	mine.Await(`<presence from='bot@localhost/sandbox' type='unavailable'/>`)
}

func TestVirtualContactKickedByLogin(t *testing.T) {
	// A client that takes the virtual contact's resource replaces it, as
	// any newer session with the same full JID does (RFC 6120 §7.7.2.2).
	srv := sandboxtest.Start(t, virtualBase)
	mine := virtualOnline(t, srv, "mine", "r")
	mine.Await(`<presence from='bot@localhost/sandbox'><show>away</show></presence>`)
	virtualOnline(t, srv, "bot", virtual.Resource)
	mine.Await(`<presence from='bot@localhost/sandbox' type='unavailable'/>`)
	mine.Await(`<presence from='bot@localhost/sandbox'/>`)
}

// sessionsOf counts the sessions of a bare JID the API lists.
func sessionsOf(t *testing.T, srv *sandboxtest.Server, bare string) int {
	t.Helper()
	var list []struct {
		JID string `json:"jid"`
	}
	call(t, srv, "GET", "/api/sessions", "", &list)
	n := 0
	for _, s := range list {
		if strings.HasPrefix(s.JID, bare+"/") {
			n++
		}
	}
	return n
}

// simTally counts what a target's client got from a simulation.
type simTally struct {
	pushed, removed   map[string]bool // roster items, by JID
	online, offline   map[string]bool // full JIDs
	changes, messages int             // presence with a show, chat messages
}

func newSimTally() *simTally {
	return &simTally{pushed: map[string]bool{}, removed: map[string]bool{}, online: map[string]bool{}, offline: map[string]bool{}}
}

// add counts one stanza.
func (s *simTally) add(el *stanza.Element) {
	switch el.Name.Local {
	case "iq":
		if q := el.Child(stanza.NSRoster, "query"); q != nil && el.Type() == "set" {
			for _, it := range q.Elements() {
				if it.Get("subscription") == "remove" {
					s.removed[it.Get("jid")] = true
				} else if it.Get("subscription") == "both" {
					s.pushed[it.Get("jid")] = true
				}
			}
		}
	case "presence":
		switch {
		case el.Type() == "unavailable":
			s.offline[el.From()] = true
		case el.ChildText("show") != "":
			s.changes++
		default:
			s.online[el.From()] = true
		}
	case "message":
		if strings.HasPrefix(el.ChildText("body"), "simulated message") {
			s.messages++
		}
	}
}

// tallyUntil reads the client's stanzas into tally until done says so;
// each read waits at most sandboxtest.Timeout.
func tallyUntil(c *sandboxtest.Client, tally *simTally, done func(*simTally) bool) {
	for !done(tally) {
		tally.add(c.Next())
	}
}

func TestSimulateThroughTheAPI(t *testing.T) {
	const n = 20
	srv := sandboxtest.Start(t, "users:\n  mine: {password: mine}\n")
	mine := virtualOnline(t, srv, "mine", "r")
	var st virtual.Status
	if code := call(t, srv, "POST", "/api/simulate", `{"users": 20, "presence_churn": 200, "messages": 50, "to": "mine"}`, &st); code != http.StatusCreated || !st.Running || st.Users != n || st.To != "mine@localhost" {
		t.Fatalf("POST /api/simulate: %d %+v", code, st)
	}
	tally := newSimTally()
	tallyUntil(mine, tally, func(s *simTally) bool {
		return len(s.pushed) == n && len(s.online) == n && s.changes >= 2*n && s.messages >= 10
	})
	if code := call(t, srv, "POST", "/api/simulate", `{"users": 1, "to": "mine"}`, nil); code != http.StatusConflict {
		t.Errorf("a second simulation: status %d, want 409", code)
	}
	if code := call(t, srv, "DELETE", "/api/simulate", "", &st); code != http.StatusOK || st.Running || st.PresencesSent == 0 || st.MessagesSent == 0 {
		t.Fatalf("DELETE /api/simulate: %d %+v", code, st)
	}
	tallyUntil(mine, tally, func(s *simTally) bool { return len(s.offline) == n && len(s.removed) == n })
	if code := call(t, srv, "DELETE", "/api/simulate", "", nil); code != http.StatusNotFound {
		t.Errorf("DELETE with no simulation: status %d, want 404", code)
	}
	var users []struct{ Name string }
	call(t, srv, "GET", "/api/users", "", &users)
	if len(users) != 1 {
		t.Errorf("users after the simulation: %+v", users)
	}
}

func TestSimulationEndsAfterItsDuration(t *testing.T) {
	const n = 5
	srv := sandboxtest.Start(t, "users:\n  mine: {password: mine}\n")
	mine := virtualOnline(t, srv, "mine", "r")
	if code := call(t, srv, "POST", "/api/simulate", `{"users": 5, "presence_churn": 50, "to": "mine@localhost", "duration": "200ms"}`, nil); code != http.StatusCreated {
		t.Fatalf("POST /api/simulate: %d", code)
	}
	tally := newSimTally()
	tallyUntil(mine, tally, func(s *simTally) bool { return len(s.removed) == n })
	// Whether churn got a tick in within 200 ms depends on the machine's
	// load; the churn itself is TestSimulateThroughTheAPI's business.
	if len(tally.offline) != n {
		t.Errorf("before the removals: %d left", len(tally.offline))
	}
	if st := srv.SimulationStatus(); st.Running || st.Duration != "200ms" {
		t.Errorf("status after the end: %+v", st)
	}
}

func TestSimulatedUsersAnswerProbes(t *testing.T) {
	const n = 50
	srv := sandboxtest.Start(t, "users:\n  mine: {password: mine}\n")
	if _, err := srv.Simulate(virtual.Request{Users: n, To: "mine"}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.StopSimulation() })
	mine := virtualOnline(t, srv, "mine", "r")
	tally := newSimTally()
	tallyUntil(mine, tally, func(s *simTally) bool { return len(s.online) == n })
}

func TestSimulateRefusesBadRequests(t *testing.T) {
	srv := sandboxtest.Start(t, "users:\n  mine: {password: mine}\n  sim2: {password: x}\n")
	tests := []struct {
		name, body string
		status     int
	}{
		{"no users", `{"users": 0, "to": "mine"}`, http.StatusBadRequest},
		{"too many users", `{"users": 1000000, "to": "mine"}`, http.StatusBadRequest},
		{"negative rate", `{"users": 1, "presence_churn": -1, "to": "mine"}`, http.StatusBadRequest},
		{"no target", `{"users": 1}`, http.StatusBadRequest},
		{"unknown target", `{"users": 1, "to": "nobody"}`, http.StatusNotFound},
		{"bad duration", `{"users": 1, "to": "mine", "duration": "soon"}`, http.StatusBadRequest},
		{"unknown field", `{"users": 1, "to": "mine", "rate": 3}`, http.StatusBadRequest},
		{"name taken", `{"users": 3, "to": "mine"}`, http.StatusConflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var answer struct{ Error string }
			if code := call(t, srv, "POST", "/api/simulate", tt.body, &answer); code != tt.status || answer.Error == "" {
				t.Errorf("status %d (%q), want %d with an error", code, answer.Error, tt.status)
			}
		})
	}
	var users []struct{ Name string }
	call(t, srv, "GET", "/api/users", "", &users)
	if st := srv.SimulationStatus(); st.Running || len(users) != 2 {
		t.Errorf("after refusals: %+v, users %+v", st, users)
	}
}

func TestVirtualContactAcceptsSubscriptions(t *testing.T) {
	// auto_accept approves and subscribes back; the requester's side,
	// having asked, takes that as approved, so both end at both.
	srv := sandboxtest.Start(t, `users:
  mine: {password: mine}
  bot: {password: bot, online: true, auto_accept: true, presence: {status: "ask me"}}
`)
	mine := virtualOnline(t, srv, "mine", "r")
	mine.Send(`<presence to='bot@localhost' type='subscribe'/>`)
	mine.Await(`<presence from='bot@localhost' type='subscribed'/>`)
	mine.Await(`<presence from='bot@localhost/sandbox'><status>ask me</status></presence>`)
	mine.Await(`<iq type='set'><query xmlns='jabber:iq:roster'><item jid='bot@localhost' subscription='both'/></query></iq>`)
}
