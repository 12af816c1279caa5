package script

import (
	"errors"
	"strings"
	"testing"
)

const twoClients = `# Grace writes to Linus
## status: stable

[Client] Grace
	jid: grace@localhost
	password: cobol

[Client] Linus
	jid: linus@localhost/desk
	password: kernel

[Client] Linus's phone
	jid: linus@localhost
	password: kernel
	resource: phone

-----

Grace connects

Grace sends:
	<message to="${Linus's full JID}" type="chat">
		<body>hello</body>
	</message>

Linus receives
	<message from="${Grace's full JID}"/>

Linus's phone receives: nothing
Linus's phone sends: <presence/>
Grace disconnects
`

func TestParseReadsClientsAndSteps(t *testing.T) {
	s, err := Parse("two.scs", strings.NewReader(twoClients))
	if err != nil {
		t.Fatal(err)
	}
	if s.Title != "Grace writes to Linus" {
		t.Errorf("title %q", s.Title)
	}
	clients := []Client{
		{Name: "Grace", JID: "grace@localhost", Password: "cobol", Line: 4},
		{Name: "Linus", JID: "linus@localhost/desk", Password: "kernel", Resource: "desk", Line: 8},
		{Name: "Linus's phone", JID: "linus@localhost", Password: "kernel", Resource: "phone", Line: 12},
	}
	if len(s.Clients) != len(clients) {
		t.Fatalf("%d clients, want %d", len(s.Clients), len(clients))
	}
	for i, want := range clients {
		if *s.Clients[i] != want {
			t.Errorf("client %d is %+v, want %+v", i, *s.Clients[i], want)
		}
	}
	steps := []struct {
		line    int
		client  string
		action  Action
		xml     string
		nothing bool
	}{
		{19, "Grace", Connect, "", false},
		{21, "Grace", Send, "<body>hello</body>", false},
		{26, "Linus", Receive, `<message from="${Grace's full JID}"/>`, false},
		{29, "Linus's phone", Receive, "", true},
		{30, "Linus's phone", Send, "<presence/>", false},
		{31, "Grace", Disconnect, "", false},
	}
	if len(s.Steps) != len(steps) {
		t.Fatalf("%d steps, want %d: %+v", len(s.Steps), len(steps), s.Steps)
	}
	for i, want := range steps {
		got := s.Steps[i]
		if got.Line != want.line || got.Client.Name != want.client || got.Action != want.action || got.Nothing != want.nothing || !strings.Contains(got.XML, want.xml) {
			t.Errorf("step %d is line %d %s %s %q (nothing %v), want %+v", i, got.Line, got.Client.Name, got.Action, got.XML, got.Nothing, want)
		}
	}
}

func TestParseReportsTheLine(t *testing.T) {
	const ada = "[Client] Ada\n\tjid: ada@localhost\n\tpassword: x\n---\n"
	tests := []struct {
		name, text string
		line       int
		msg        string
	}{
		{"no steps", ada, 4, "no steps"},
		{"unknown client", ada + "Bob connects\n", 5, "neither a declaration nor a step"},
		{"unknown action", ada + "Ada waves\n", 5, "unknown action \"waves\""},
		{"other class", "[Component] Hall\n\tjid: hall.localhost\n", 1, "unsupported character class"},
		{"no password", "[Client] Ada\n\tjid: ada@localhost\n---\nAda connects\n", 1, "needs both jid and password"},
		{"no localpart", "[Client] Ada\n\tjid: localhost\n\tpassword: x\n", 1, "no localpart"},
		{"bad property", "[Client] Ada\n\tjid: ada@localhost\n\tcolour: red\n", 3, "unknown property \"colour\""},
		{"two resources", "[Client] Ada\n\tjid: ada@localhost/a\n\tpassword: x\n\tresource: b\n", 1, "two resources"},
		{"twice", ada + "[Client] Ada\n", 5, "declared after the steps"},
		{"same name", "[Client] Ada\n\tjid: ada@localhost\n\tpassword: x\n[Client] Ada\n", 4, "declared twice"},
		{"two passwords", ada[:len(ada)-4] + "[Client] Ada2\n\tjid: ada@localhost\n\tpassword: y\n", 4, "not a password"},
		{"stray indent", "\tjid: ada@localhost\n", 1, "belongs to no client"},
		{"connect with xml", ada + "Ada connects\n\t<presence/>\n", 5, "takes no XML"},
		{"send nothing", ada + "Ada connects\nAda sends:\n\nAda disconnects\n", 6, "no XML follows"},
		{"both xml", ada + "Ada sends: <presence/>\n\t<presence/>\n", 5, "both on the line and below"},
		{"bad xml line", ada + "Ada sends:\n\t<message>\n\t\t<body>\n\t</message>\n", 8, "Ada sends"},
		{"two stanzas", ada + "Ada receives:\n\t<presence/>\n\t<presence/>\n", 7, "more than one element"},
		{"text outside", ada + "Ada receives:\n\thello <presence/>\n", 6, "text outside"},
		{"unbound prefix sent", ada + "Ada sends:\n\t<x:presence/>\n", 6, "Ada sends"},
		{"unknown variable", ada + "Ada sends:\n\t<presence/>\n\t<!-- ${Ada's mood} -->\n", 7, "unknown variable"},
		{"unknown client var", ada + "Ada receives:\n\n\t<presence\n\t  from='${Bob's JID}'/>\n", 8, "no client is named \"Bob\""},
		{"unclosed var", ada + "Ada receives: <presence from='${Ada'/>\n", 5, "unclosed ${"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("t.scs", strings.NewReader(tc.text))
			var se *Error
			if !errors.As(err, &se) {
				t.Fatalf("error %v, want an *Error", err)
			}
			if se.Line != tc.line || !strings.Contains(se.Msg, tc.msg) || se.Name != "t.scs" {
				t.Fatalf("error %q at line %d, want line %d containing %q", se.Msg, se.Line, tc.line, tc.msg)
			}
		})
	}
}

func TestParseAcceptsScansionSpellings(t *testing.T) {
	const head = "[Client] Ada\n    jid: ada@localhost\n    password: x\n    connect_host: 127.0.0.1\n\n"
	tests := []struct{ name, steps string }{
		{"no separator", "Ada connects\n"},
		{"no colon", "-----\nAda sends\n\t<presence/>\n"},
		{"inline xml", "---\nAda receives: <presence/>\n"},
		{"spaces and blank lines", "---\nAda receives:\n    <presence>\n\n      <priority>1</priority>\n    </presence>\n\n\n"},
		{"crlf", "---\r\nAda connects\r\n"},
		{"variable in single quotes", "---\nAda sends:\n\t<presence to='${Ada's JID}'/>\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Parse("t.scs", strings.NewReader(head+tc.steps))
			if err != nil {
				t.Fatal(err)
			}
			if len(s.Steps) != 1 {
				t.Fatalf("%d steps, want 1", len(s.Steps))
			}
		})
	}
}

func TestDomainIsTheFirstClients(t *testing.T) {
	s, err := Parse("t.scs", strings.NewReader("[Client] Ada\n\tjid: ada@example.org/x\n\tpassword: p\n---\nAda connects\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Domain(); got != "example.org" {
		t.Fatalf("Domain() = %q, want example.org", got)
	}
}
