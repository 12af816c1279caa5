package expect

import (
	"reflect"
	"strings"
	"testing"

	"github.com/xmppsandbox/xmppsandbox/sandbox/trace"
)

// Events as the trace records them: a client answering a subscription
// request, the server delivering that request, a message and a client's
// available presence.
func sampleEvents() (subscribedIn, subscribeOut, messageOut, availableIn trace.Event) {
	subscribedIn = trace.Event{Seq: 1, Dir: "in", Session: "mine@localhost/r", Kind: "presence", Type: "subscribed",
		From: "mine@localhost/r", To: "mine1@localhost", XML: `<presence type='subscribed' to='mine1@localhost'/>`}
	subscribeOut = trace.Event{Seq: 2, Dir: "out", Session: "mine@localhost/r", Kind: "presence", Type: "subscribe",
		From: "mine1@localhost", To: "mine@localhost", XML: `<presence type='subscribe' from='mine1@localhost' to='mine@localhost'/>`}
	messageOut = trace.Event{Seq: 3, Dir: "out", Session: "mine@localhost/r", Kind: "message",
		From: "Admin@LocalHost/desk", To: "mine@localhost/r", XML: `<message from='admin@localhost/desk' to='mine@localhost/r'><body>hi</body><body xml:lang='fr'>salut</body></message>`}
	availableIn = trace.Event{Seq: 4, Dir: "in", Session: "mine@localhost/r", Kind: "presence",
		From: "mine@localhost/r", XML: `<presence><show>away</show></presence>`}
	return
}

func TestFilterMatches(t *testing.T) {
	subscribedIn, subscribeOut, messageOut, availableIn := sampleEvents()
	tests := []struct {
		name   string
		filter Filter
		event  trace.Event
		missed []string
	}{
		{"empty filter", Filter{}, subscribedIn, nil},
		{"all fields", Filter{Dir: "in", From: "mine", To: "mine1", Kind: "presence", Type: "subscribed"}, subscribedIn, nil},
		{"bare from matches a full JID", Filter{From: "mine@localhost"}, subscribedIn, nil},
		{"full from matches itself", Filter{From: "mine/r"}, subscribedIn, nil},
		{"another resource", Filter{From: "mine/phone"}, subscribedIn,
			[]string{`from: got "mine@localhost/r", want mine@localhost/phone`}},
		{"case folded", Filter{From: "admin/desk"}, messageOut, nil},
		{"domain alone", Filter{To: "localhost"}, subscribedIn,
			[]string{`to: got "mine1@localhost", want localhost or one of its resources`}},
		{"no to", Filter{To: "mine"}, availableIn,
			[]string{"to: none, want mine@localhost or one of its resources"}},
		{"wrong dir and type", Filter{Dir: "in", Kind: "presence", Type: "subscribed"}, subscribeOut,
			[]string{"dir: got out, want in", `type: got "subscribe", want "subscribed"`}},
		{"kind", Filter{Kind: "iq"}, subscribedIn, []string{"kind: got presence, want iq"}},
		{"presence without type is available", Filter{Type: "available"}, availableIn, nil},
		{"message without type is normal", Filter{Type: "normal"}, messageOut, nil},
		{"a missing type is not chat", Filter{Type: "chat"}, messageOut, []string{`type: got none, want "chat"`}},
		{"available is no message type", Filter{Type: "available"}, messageOut, []string{`type: got none, want "available"`}},
		{"body", Filter{Body: "hi"}, messageOut, nil},
		{"body in another language", Filter{Body: "salut"}, messageOut, nil},
		{"wrong body", Filter{Body: "hello"}, messageOut, []string{`body: got "hi", want "hello"`}},
		{"no body", Filter{Body: "hello"}, subscribedIn, []string{`body: none, want "hello"`}},
		{"path", Filter{Match: "/presence[@type='subscribed']"}, subscribedIn, nil},
		{"path misses", Filter{Match: "show[text()='dnd']"}, availableIn, []string{"match: no show[text()='dnd']"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Compile(tt.filter, "localhost")
			if err != nil {
				t.Fatal(err)
			}
			got := m.Check(tt.event)
			if !reflect.DeepEqual(got, tt.missed) {
				t.Fatalf("Check = %q, want %q", got, tt.missed)
			}
			if m.Match(tt.event) != (tt.missed == nil) {
				t.Fatalf("Match disagrees with Check")
			}
		})
	}
}

func TestFilterUnparsableXML(t *testing.T) {
	m, err := Compile(Filter{Match: "body"}, "localhost")
	if err != nil {
		t.Fatal(err)
	}
	e := trace.Event{Kind: "message", XML: `<message><body>cut`}
	if m.Match(e) {
		t.Fatal("a path matched XML that does not parse")
	}
}

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		name   string
		filter Filter
		want   string
	}{
		{"dir", Filter{Dir: "sideways"}, `dir must be in (from a client) or out (to a client), not "sideways"`},
		{"from", Filter{From: "a@b@c"}, `malformed JID "a@b@c" for from`},
		{"to", Filter{To: "@localhost"}, `malformed JID "@localhost" for to`},
		{"kind", Filter{Kind: "two words"}, `kind "two words" is not an element name`},
		{"match", Filter{Match: "a//b"}, `bad path "a//b" at character 3`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Compile(tt.filter, "localhost")
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("Compile: %v, want an error starting %q", err, tt.want)
			}
		})
	}
}
