package sandbox_test

import (
	"strings"
	"testing"

	"mellium.im/sasl"

	"github.com/xmppsandbox/xmppsandbox/sandbox/sandboxtest"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stream"
)

// toggleUsers gives mine a contact, admin, and a stranger, mine1.
const toggleUsers = faultUsers + `  mine1: {password: mine1}
rosters:
  mine:
    - {jid: admin, subscription: both}
`

// setToggles posts toggles and returns them all as the server answers.
func setToggles(t *testing.T, srv *sandboxtest.Server, body string) map[string]bool {
	t.Helper()
	var all map[string]bool
	mustCall(t, srv, "POST", "/api/toggles", body, 200, &all)
	return all
}

// streamFeatures opens a stream and returns the features offered before
// authentication, or after it when authed is true.
func streamFeatures(t *testing.T, srv *sandboxtest.Server, authed bool) *stanza.Element {
	t.Helper()
	c := rawDial(t, srv)
	f := c.open()
	if authed {
		if res := c.auth("PLAIN", "mine"); res.Name.Local != "success" {
			t.Fatalf("PLAIN refused: %s", res)
		}
		f = c.open()
	}
	return f
}

func TestToggleStreamFeatures(t *testing.T) {
	srv := sandboxtest.Start(t, toggleUsers)
	tests := []struct {
		toggle string
		authed bool
		ns     string
		local  string
	}{
		{"starttls", false, stanza.NSTLS, "starttls"},
		{"session", true, stanza.NSSession, "session"},
		{"roster-versioning", true, stanza.NSRosterVer, "ver"},
		{"pre-approval", true, stanza.NSPreApproval, "sub"},
	}
	for _, tt := range tests {
		t.Run(tt.toggle, func(t *testing.T) {
			for _, on := range []bool{true, false, true} {
				if all := setToggles(t, srv, `{"`+tt.toggle+`":`+boolText(on)+`}`); all[tt.toggle] != on {
					t.Fatalf("the server answered %v", all)
				}
				f := streamFeatures(t, srv, tt.authed)
				if offered := f.Child(tt.ns, tt.local) != nil; offered != on {
					t.Fatalf("with %s %s, the features are %s", tt.toggle, onOff(on), f)
				}
			}
		})
	}
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

func TestToggleSASLMechanisms(t *testing.T) {
	srv := sandboxtest.Start(t, toggleUsers)
	tests := []struct {
		toggle string
		mech   sasl.Mechanism
		other  sasl.Mechanism
	}{
		{"sasl-plain", sasl.Plain, sasl.ScramSha256},
		{"sasl-scram-sha-1", sasl.ScramSha1, sasl.Plain},
		{"sasl-scram-sha-256", sasl.ScramSha256, sasl.ScramSha1},
	}
	for _, tt := range tests {
		t.Run(tt.toggle, func(t *testing.T) {
			setToggles(t, srv, `{"`+tt.toggle+`":false}`)
			defer setToggles(t, srv, `{"`+tt.toggle+`":true}`)
			if mechs := streamFeatures(t, srv, false).Child(stanza.NSSASL, "mechanisms"); strings.Contains(mechs.String(), ">"+tt.mech.Name+"<") {
				t.Fatalf("%s still offered: %s", tt.mech.Name, mechs)
			}
			c := rawDial(t, srv)
			c.open()
			if res := c.auth(tt.mech.Name, "mine"); res.Child(stanza.NSSASL, "invalid-mechanism") == nil {
				t.Fatalf("auth with %s answered %s", tt.mech.Name, res)
			}
			if s, err := sandboxtest.Dial(srv, "mine", "mine", sandboxtest.LoginOptions{Mechanism: tt.mech}); err == nil {
				s.Close()
				t.Fatalf("a client logged in with %s switched off", tt.mech.Name)
			}
			sandboxtest.Login(t, srv, "mine", "mine", sandboxtest.LoginOptions{Mechanism: tt.other}).Sync()
		})
	}
}

func TestToggleRefusesBadChanges(t *testing.T) {
	srv := sandboxtest.Start(t, toggleUsers)
	cases := []struct{ name, body, says string }{
		{"every mechanism", `{"sasl-plain":false,"sasl-scram-sha-1":false,"sasl-scram-sha-256":false}`, "every SASL mechanism"},
		{"unknown toggle", `{"ping":false,"carbons":false}`, "unknown toggle"},
		{"not a switch", `{"ping":"off"}`, "invalid JSON"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var res map[string]string
			if code := call(t, srv, "POST", "/api/toggles", tc.body, &res); code != 400 || !strings.Contains(res["error"], tc.says) {
				t.Fatalf("got %d %v, want 400 saying %q", code, res, tc.says)
			}
		})
	}
	setToggles(t, srv, `{"sasl-plain":false,"sasl-scram-sha-1":false}`)
	var res map[string]string
	if code := call(t, srv, "POST", "/api/toggles", `{"SASL-SCRAM-SHA-256":false}`, &res); code != 400 {
		t.Fatalf("switching off the last mechanism answered %d %v", code, res)
	}
	var all map[string]bool
	mustCall(t, srv, "GET", "/api/toggles", "", 200, &all)
	if len(all) != 10 || !all["sasl-scram-sha-256"] || all["sasl-plain"] || !all["ping"] {
		t.Fatalf("toggles after refused changes: %v", all)
	}
}

func TestToggleRosterVersioningKeepsNegotiatedSessions(t *testing.T) {
	srv := sandboxtest.Start(t, toggleUsers)
	old := sandboxtest.Login(t, srv, "mine", "mine", sandboxtest.LoginOptions{Resource: "old"})
	old.Send(`<iq type='get' id='r1'><query xmlns='jabber:iq:roster'/></iq>`)
	old.Expect(`<iq type='result' id='r1'><query xmlns='jabber:iq:roster' ver='{any}'/></iq>`)
	setToggles(t, srv, `{"roster-versioning":false}`)

	fresh := sandboxtest.Login(t, srv, "mine", "mine", sandboxtest.LoginOptions{Resource: "new"})
	fresh.Send(`<iq type='get' id='r2'><query xmlns='jabber:iq:roster' ver='1'/></iq>`)
	res := fresh.Expect(`<iq type='result' id='r2'><query xmlns='jabber:iq:roster'><item jid='admin@localhost'/></query></iq>`)
	if res.Payload().Has("ver") {
		t.Fatalf("roster result with versioning off: %s", res)
	}
	old.Send(`<iq type='get' id='r3'><query xmlns='jabber:iq:roster'/></iq>`)
	old.Expect(`<iq type='result' id='r3'><query xmlns='jabber:iq:roster' ver='{any}'/></iq>`)

	mustCall(t, srv, "POST", "/api/rosters/mine", `{"jid":"mine1"}`, 200, nil)
	old.Expect(`<iq type='set'><query xmlns='jabber:iq:roster' ver='{any}'><item jid='mine1@localhost'/></query></iq>`)
	if push := fresh.Expect(`<iq type='set'><query xmlns='jabber:iq:roster'><item jid='mine1@localhost'/></query></iq>`); push.Payload().Has("ver") {
		t.Fatalf("roster push with versioning off: %s", push)
	}
}

func TestToggleSwitchesOffXEPs(t *testing.T) {
	srv := sandboxtest.Start(t, toggleUsers)
	c := sandboxtest.Login(t, srv, "mine", "mine", sandboxtest.LoginOptions{Resource: "phone"})
	tests := []struct {
		toggle, to, payload string
	}{
		{"disco", "localhost", `<query xmlns='http://jabber.org/protocol/disco#info'/>`},
		{"disco", "admin@localhost", `<query xmlns='http://jabber.org/protocol/disco#items'/>`},
		{"ping", "localhost", `<ping xmlns='urn:xmpp:ping'/>`},
		{"ping", "admin@localhost", `<ping xmlns='urn:xmpp:ping'/>`},
		{"version", "localhost", `<query xmlns='jabber:iq:version'/>`},
	}
	for _, tt := range tests {
		t.Run(tt.toggle+" to "+tt.to, func(t *testing.T) {
			ask := func(id string) string {
				return `<iq type='get' id='` + id + `' to='` + tt.to + `'>` + tt.payload + `</iq>`
			}
			setToggles(t, srv, `{"`+tt.toggle+`":false}`)
			c.Send(ask("off"))
			c.Expect(`<iq type='error' id='off' from='` + tt.to + `'><error type='cancel'><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`)
			setToggles(t, srv, `{"`+tt.toggle+`":true}`)
			c.Send(ask("on"))
			c.Expect(`<iq type='result' id='on' from='` + tt.to + `'/>`)
		})
	}
}

func TestToggleHidesXEPsFromDisco(t *testing.T) {
	srv := sandboxtest.Start(t, toggleUsers)
	c := sandboxtest.Login(t, srv, "mine", "mine", sandboxtest.LoginOptions{Resource: "phone"})
	features := func(to string) string {
		c.Send(`<iq type='get' id='i' to='` + to + `'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>`)
		var vars []string
		for _, f := range c.Expect(`<iq type='result' id='i'/>`).Payload().Elements() {
			if f.Name.Local == "feature" {
				vars = append(vars, f.Get("var"))
			}
		}
		return strings.Join(vars, " ")
	}
	if got := features("localhost"); !strings.Contains(got, "urn:xmpp:ping") || !strings.Contains(got, "jabber:iq:version") {
		t.Fatalf("server features before: %s", got)
	}
	setToggles(t, srv, `{"ping":false,"version":false}`)
	if got := features("localhost"); strings.Contains(got, "urn:xmpp:ping") || strings.Contains(got, "jabber:iq:version") || !strings.Contains(got, "msgoffline") {
		t.Fatalf("server features with ping and version off: %s", got)
	}
	if got := features("admin@localhost"); strings.Contains(got, "urn:xmpp:ping") {
		t.Fatalf("account features with ping off: %s", got)
	}
}

func TestToggleLegacySessionAndSTARTTLSRequests(t *testing.T) {
	srv := sandboxtest.Start(t, toggleUsers)
	setToggles(t, srv, `{"session":false,"starttls":false}`)
	c := rawLogin(t, srv, "mine", "phone", false)
	c.send(`<iq type='set' id='s1'><session xmlns='urn:ietf:params:xml:ns:xmpp-session'/></iq>`)
	if res := c.next(); res.Type() != "error" || res.Child(stanza.NSClient, "error").Child(stanza.NSStanzas, "service-unavailable") == nil {
		t.Fatalf("a session request where none is offered answered %s", res)
	}
	setToggles(t, srv, `{"session":true}`)
	c.send(`<iq type='set' id='s2'><session xmlns='urn:ietf:params:xml:ns:xmpp-session'/></iq>`)
	if res := c.next(); res.Type() != "error" {
		t.Fatalf("the session kept its features, yet a late session request answered %s", res)
	}

	// STARTTLS the stream did not offer is refused, as on a server
	// without TLS.
	tls := rawDial(t, srv)
	tls.open()
	tls.send(`<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>`)
	if el := tls.next(); el.Name.Space != stanza.NSStream || el.Child(stanza.NSStreams, stream.PolicyViolation) == nil {
		t.Fatalf("STARTTLS where it is not offered answered %s", el)
	}
}

func TestTogglePreApprovalOffIgnoresIt(t *testing.T) {
	srv := sandboxtest.Start(t, toggleUsers)
	approved := func() bool {
		var roster struct {
			Items []struct {
				JID      string `json:"jid"`
				Approved bool   `json:"approved"`
			} `json:"items"`
		}
		mustCall(t, srv, "GET", "/api/rosters/mine", "", 200, &roster)
		for _, it := range roster.Items {
			if it.JID == "mine1@localhost" {
				return it.Approved
			}
		}
		return false
	}
	setToggles(t, srv, `{"pre-approval":false}`)
	off := sandboxtest.Login(t, srv, "mine", "mine", sandboxtest.LoginOptions{Resource: "off"})
	setToggles(t, srv, `{"pre-approval":true}`)
	off.Send(`<presence type='subscribed' to='mine1@localhost'/>`)
	off.Sync()
	if approved() {
		t.Fatal("a pre-approval from a session not offered the feature was kept")
	}
	on := sandboxtest.Login(t, srv, "mine", "mine", sandboxtest.LoginOptions{Resource: "on"})
	on.Send(`<presence type='subscribed' to='mine1@localhost'/>`)
	on.Sync()
	if !approved() {
		t.Fatal("a pre-approval where the feature is offered was not kept")
	}
}
