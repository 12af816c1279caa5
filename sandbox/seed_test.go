package sandbox_test

import (
	"path/filepath"
	"testing"

	"github.com/xmppsandbox/xmppsandbox/sandbox"
	"github.com/xmppsandbox/xmppsandbox/sandbox/sandboxtest"
)

const seedUsers = `
domain: localhost
users:
  mine:    {password: mine}
  mine1:   {password: mine1, auto_accept: true}
  admin:   {password: admin}
  lihengz: {password: lihengz}
`

// online logs user in as resource r, fetches the roster (so pushes reach
// it) and sends initial presence, consuming the answers.
func online(t *testing.T, srv *sandboxtest.Server, user, r string) *sandboxtest.Client {
	t.Helper()
	c := sandboxtest.Login(t, srv, user, user, sandboxtest.LoginOptions{Resource: r})
	c.Send(`<iq type='get' id='r0'><query xmlns='jabber:iq:roster'/></iq>`)
	c.Expect(`<iq type='result' id='r0'/>`)
	c.Send(`<presence/>`)
	c.Expect(sandboxtest.Fmt(`<presence from='%s@localhost/%s'/>`, user, r))
	c.Sync()
	return c
}

// rosterShows checks what a roster get returns for one contact: the
// subscription and ask attributes, or no item when sub is "".
func rosterShows(t *testing.T, c *sandboxtest.Client, contact, sub, ask string) {
	t.Helper()
	c.Send(`<iq type='get' id='check'><query xmlns='jabber:iq:roster'/></iq>`)
	res := c.Expect(`<iq type='result' id='check'/>`)
	for _, it := range res.Payload().Elements() {
		if it.Get("jid") != contact {
			continue
		}
		if sub == "" {
			t.Fatalf("%s: roster shows %s, want no item", c.JID, it)
		}
		if it.Get("subscription") != sub || it.Get("ask") != ask {
			t.Fatalf("%s: roster shows %s, want subscription=%q ask=%q", c.JID, it, sub, ask)
		}
		return
	}
	if sub != "" {
		t.Fatalf("%s: roster has no item for %s, want subscription=%q", c.JID, contact, sub)
	}
}

// TestSeedSection2 replays the seed's "add buddy" walk-through between
// lihengz and admin, step by step, checking the wire and both rosters.
func TestSeedSection2(t *testing.T) {
	srv := sandboxtest.Start(t, seedUsers)
	l := online(t, srv, "lihengz", "pc")
	a := online(t, srv, "admin", "pc")

	// Step 1: lihengz {none,out}, admin {none,in}.
	l.Send(`<presence to='admin@localhost' type='subscribe'/>`)
	l.Expect(`<iq type='set'><query xmlns='jabber:iq:roster' ver='{any}'><item jid='admin@localhost' subscription='none' ask='subscribe'/></query></iq>`)
	a.Expect(`<presence from='lihengz@localhost' to='admin@localhost' type='subscribe'/>`)
	a.ExpectNothing() // a pending-in item is never pushed
	rosterShows(t, l, "admin@localhost", "none", "subscribe")
	rosterShows(t, a, "lihengz@localhost", "", "")

	// Step 2: admin approves: admin {from,none}, lihengz {to,none}.
	a.Send(`<presence to='lihengz@localhost' type='subscribed'/>`)
	a.Expect(`<iq type='set'><query xmlns='jabber:iq:roster'><item jid='lihengz@localhost' subscription='from'/></query></iq>`)
	l.Expect(`<presence from='admin@localhost' type='subscribed'/>`)
	l.Expect(`<iq type='set'><query xmlns='jabber:iq:roster'><item jid='admin@localhost' subscription='to'/></query></iq>`)
	l.Expect(`<presence from='admin@localhost/pc'/>`)
	rosterShows(t, a, "lihengz@localhost", "from", "")
	rosterShows(t, l, "admin@localhost", "to", "")

	// Step 3: admin subscribes back: admin {from,out}, lihengz {to,in}.
	a.Send(`<presence to='lihengz@localhost' type='subscribe'/>`)
	a.Expect(`<iq type='set'><query xmlns='jabber:iq:roster'><item jid='lihengz@localhost' subscription='from' ask='subscribe'/></query></iq>`)
	l.Expect(`<presence from='admin@localhost' type='subscribe'/>`)
	l.ExpectNothing() // pending-in is not shown: no push
	rosterShows(t, a, "lihengz@localhost", "from", "subscribe")
	rosterShows(t, l, "admin@localhost", "to", "")

	// Step 4: lihengz approves: both {both,none}, presence both ways.
	l.Send(`<presence to='admin@localhost' type='subscribed'/>`)
	l.Expect(`<iq type='set'><query xmlns='jabber:iq:roster'><item jid='admin@localhost' subscription='both'/></query></iq>`)
	a.Expect(`<presence from='lihengz@localhost' type='subscribed'/>`)
	a.Expect(`<iq type='set'><query xmlns='jabber:iq:roster'><item jid='lihengz@localhost' subscription='both'/></query></iq>`)
	a.Expect(`<presence from='lihengz@localhost/pc'/>`)
	// Having approved a contact it was already subscribed to, lihengz
	// gets admin's presence refreshed.
	l.Expect(`<presence from='admin@localhost/pc'/>`)
	rosterShows(t, l, "admin@localhost", "both", "")
	rosterShows(t, a, "lihengz@localhost", "both", "")

	// Presence now flows both ways.
	l.Send(`<presence><show>away</show></presence>`)
	a.Await(`<presence from='lihengz@localhost/pc'><show>away</show></presence>`)
	a.Send(`<presence><show>dnd</show></presence>`)
	l.Await(`<presence from='admin@localhost/pc'><show>dnd</show></presence>`)
}

// TestSeedSection3Pending adds a contact that does not auto-accept on the
// server's side: the owner gets one push with ask='subscribe' and nothing
// more, and the pending state survives a restart on a file database.
func TestSeedSection3Pending(t *testing.T) {
	db := filepath.Join(t.TempDir(), "sandbox.db")
	withDB := func(c *sandbox.Config) { c.DB = db }
	srv := sandboxtest.Start(t, seedUsers, withDB)
	m := online(t, srv, "mine", "spark")
	if err := srv.AddContact("mine", "admin", "", nil); err != nil {
		t.Fatal(err)
	}
	m.Expect(`<iq type='set' to='mine@localhost/spark'><query xmlns='jabber:iq:roster'><item jid='admin@localhost' subscription='none' ask='subscribe'/></query></iq>`)
	m.ExpectNothing()
	m.Close()
	srv.Close()

	srv = sandboxtest.Start(t, seedUsers, withDB)
	m = online(t, srv, "mine", "spark")
	rosterShows(t, m, "admin@localhost", "none", "subscribe")
	a := sandboxtest.Login(t, srv, "admin", "admin", sandboxtest.LoginOptions{Resource: "pc"})
	a.Send(`<presence/>`)
	a.Expect(`<presence from='admin@localhost/pc'/>`)
	a.Expect(`<presence from='mine@localhost' type='subscribe'/>`) // the kept request
	m.ExpectNothing()
}

// TestSeedSection3AutoAccept adds an auto-accepting contact: the owner
// ends with subscription='both' and sees the contact's presence.
func TestSeedSection3AutoAccept(t *testing.T) {
	srv := sandboxtest.Start(t, seedUsers)
	m := online(t, srv, "mine", "spark")
	m1 := online(t, srv, "mine1", "bot")
	if err := srv.AddContact("mine", "mine1@localhost", "Mine One", []string{"Friends"}); err != nil {
		t.Fatal(err)
	}
	m.Expect(`<iq type='set'><query xmlns='jabber:iq:roster'><item jid='mine1@localhost' name='Mine One' subscription='none' ask='subscribe'><group>Friends</group></item></query></iq>`)
	// mine1 approves (the approval, push 'to', its presence), then
	// subscribes back and mine's side takes it as approved: 'both'.
	m.Expect(`<presence from='mine1@localhost' type='subscribed'/>`)
	m.Expect(`<iq type='set'><query xmlns='jabber:iq:roster'><item jid='mine1@localhost' subscription='to'/></query></iq>`)
	m.Expect(`<presence from='mine1@localhost/bot'/>`)
	m.Expect(`<iq type='set'><query xmlns='jabber:iq:roster'><item jid='mine1@localhost' subscription='both'/></query></iq>`)
	m.ExpectNothing()
	rosterShows(t, m, "mine1@localhost", "both", "")
	m1.Await(`<presence from='mine@localhost/spark'/>`)
	rosterShows(t, m1, "mine@localhost", "both", "")
}

// TestSeedSection1InitialPresence checks presence_broadcast_first: probes
// to to/both contacts, presence to from/both contacts, nothing to a
// to-only contact.
func TestSeedSection1InitialPresence(t *testing.T) {
	srv := sandboxtest.Start(t, `
domain: localhost
users:
  u:    {password: u}
  b:    {password: b}
  t:    {password: t}
  f:    {password: f}
  gone: {password: gone}
rosters:
  u:
    - {jid: b, subscription: both}
    - {jid: t, subscription: to}
    - {jid: f, subscription: from}
    - {jid: gone, subscription: both}
`)
	b, to, f := online(t, srv, "b", "r"), online(t, srv, "t", "r"), online(t, srv, "f", "r")
	// b and t are subscribed-from u's side? No: they send their presence to
	// contacts subscribed to them; u is offline, so nothing reaches u.
	u := sandboxtest.Login(t, srv, "u", "u", sandboxtest.LoginOptions{Resource: "r"})
	u.Send(`<presence><status>here</status></presence>`)
	u.Expect(`<presence from='u@localhost/r'><status>here</status></presence>`)
	got := map[string]bool{}
	for i := 0; i < 2; i++ {
		got[u.Next().From()] = true
	}
	if !got["b@localhost/r"] || !got["t@localhost/r"] {
		t.Fatalf("u got presence from %v, want b and t", got)
	}
	u.ExpectNothing() // not from f (u is not subscribed to f), not from gone (offline)
	b.Expect(`<presence from='u@localhost/r'><status>here</status></presence>`)
	f.Expect(`<presence from='u@localhost/r'><status>here</status></presence>`)
	to.ExpectNothing() // t only lets u see it; u's presence is not for t
	b.ExpectNothing()
	f.ExpectNothing()
}
