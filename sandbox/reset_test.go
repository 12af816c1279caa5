package sandbox_test

import (
	"strings"
	"testing"

	"github.com/xmppsandbox/xmppsandbox/sandbox/sandboxtest"
)

// TestResetLeavesNoTrace runs a "first test" that changes rosters, leaves
// an offline message and a pending request, then resets: the second test
// finds exactly the fixtures, with no session, no message, no request.
func TestResetLeavesNoTrace(t *testing.T) {
	srv := sandboxtest.Start(t, seedUsers+"rosters:\n  mine:\n    - {jid: admin, subscription: both}\n")
	m := online(t, srv, "mine", "laptop")
	m.Send(`<iq type='set' id='rm'><query xmlns='jabber:iq:roster'><item jid='admin@localhost' subscription='remove'/></query></iq>`)
	m.Await(`<iq type='result' id='rm'/>`)
	m.Send(`<presence to='lihengz@localhost' type='subscribe'/>`)
	m.Send(`<message to='lihengz@localhost' type='chat'><body>left behind</body></message>`)
	m.Sync()

	if err := srv.Reset(false); err != nil {
		t.Fatal(err)
	}
	m.ExpectStreamEndWith("reset")
	var sessions []map[string]any
	call(t, srv, "GET", "/api/sessions", "", &sessions)
	if len(sessions) != 0 {
		t.Fatalf("sessions after reset: %v", sessions)
	}
	var roster struct{ Items []map[string]any }
	call(t, srv, "GET", "/api/rosters/mine", "", &roster)
	if len(roster.Items) != 1 || roster.Items[0]["jid"] != "admin@localhost" || roster.Items[0]["subscription"] != "both" {
		t.Fatalf("mine's roster after reset: %v", roster.Items)
	}
	l := sandboxtest.Login(t, srv, "lihengz", "lihengz", sandboxtest.LoginOptions{Resource: "pc"})
	l.Send(`<presence/>`)
	l.Expect(`<presence from='lihengz@localhost/pc'/>`)
	l.ExpectNothing() // no offline message, no kept subscription request
}

// TestResetKeepSessions keeps the connections and pushes the roster back.
func TestResetKeepSessions(t *testing.T) {
	srv := sandboxtest.Start(t, seedUsers)
	m := online(t, srv, "mine", "laptop")
	m.Send(`<iq type='set' id='add'><query xmlns='jabber:iq:roster'><item jid='lihengz@localhost' name='L'/></query></iq>`)
	m.Await(`<iq type='set'><query xmlns='jabber:iq:roster'><item jid='lihengz@localhost'/></query></iq>`)
	m.Sync()
	var res map[string]any
	if code := call(t, srv, "POST", "/api/reset", `{"keep_sessions":true}`, &res); code != 200 || res["reset"] != true {
		t.Fatalf("reset: %d %v", code, res)
	}
	m.Expect(`<iq type='set'><query xmlns='jabber:iq:roster'><item jid='lihengz@localhost' subscription='remove'/></query></iq>`)
	m.Send(`<message to='mine@localhost/laptop' id='still'><body>still connected</body></message>`)
	m.Expect(`<message id='still'/>`)
}

// TestResetBringsVirtualContactsBack: a reset closes every session, and
// the fixtures' virtual contacts are online again after it.
func TestResetBringsVirtualContactsBack(t *testing.T) {
	srv := sandboxtest.Start(t, seedUsers+"  bot: {password: bot, online: true}\nrosters:\n  mine:\n    - {jid: bot, subscription: both}\n")
	if err := srv.Reset(false); err != nil {
		t.Fatal(err)
	}
	m := online(t, srv, "mine", "laptop")
	_ = m
	var sessions []map[string]any
	call(t, srv, "GET", "/api/sessions", "", &sessions)
	found := false
	for _, s := range sessions {
		found = found || strings.HasPrefix(s["jid"].(string), "bot@localhost/")
	}
	if !found {
		t.Fatalf("the virtual contact is not online after a reset: %v", sessions)
	}
}
