package expect

import (
	"reflect"
	"strings"
	"testing"

	"github.com/xmppsandbox/xmppsandbox/sandbox/stream"
)

func TestParsePath(t *testing.T) {
	tests := []struct {
		in   string
		want Path
	}{
		{"body", Path{Steps: []Step{{Name: "body"}}}},
		{"/message/body", Path{Anchored: true, Steps: []Step{{Name: "message"}, {Name: "body"}}}},
		{"*[@xmlns='urn:xmpp:ping']", Path{Steps: []Step{{Name: "*", Preds: []Pred{{Kind: InNamespace, Value: "urn:xmpp:ping"}}}}}},
		{"query[@xmlns='jabber:iq:roster']/item[@subscription='both']", Path{Steps: []Step{
			{Name: "query", Preds: []Pred{{Kind: InNamespace, Value: "jabber:iq:roster"}}},
			{Name: "item", Preds: []Pred{{Kind: AttrEquals, Attr: "subscription", Value: "both"}}},
		}}},
		{`item[@jid="o'brien@localhost"][@ask]`, Path{Steps: []Step{{Name: "item", Preds: []Pred{
			{Kind: AttrEquals, Attr: "jid", Value: "o'brien@localhost"},
			{Kind: AttrExists, Attr: "ask"},
		}}}}},
		{"body[text()='hi there']", Path{Steps: []Step{{Name: "body", Preds: []Pred{{Kind: TextEquals, Value: "hi there"}}}}}},
		{"status[ @xml:lang = 'en' ]", Path{Steps: []Step{{Name: "status", Preds: []Pred{{Kind: AttrEquals, Attr: "xml:lang", Value: "en"}}}}}},
		{"  x-y_z.1[@a='']  ", Path{Steps: []Step{{Name: "x-y_z.1", Preds: []Pred{{Kind: AttrEquals, Attr: "a", Value: ""}}}}}},
		{"/*", Path{Anchored: true, Steps: []Step{{Name: "*"}}}},
		{"грамота", Path{Steps: []Step{{Name: "грамота"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParsePath(tt.in)
			if err != nil {
				t.Fatalf("ParsePath(%q): %v", tt.in, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("ParsePath(%q) = %#v, want %#v", tt.in, got, tt.want)
			}
			again, err := ParsePath(got.String())
			if err != nil || !reflect.DeepEqual(again, got) {
				t.Fatalf("String() = %q reads back as %#v, %v", got.String(), again, err)
			}
		})
	}
}

func TestParsePathErrors(t *testing.T) {
	tests := []struct {
		in      string
		pos     int
		message string
	}{
		{"", 1, "empty"},
		{"/", 2, "want a name"},
		{"a/", 3, "a step must follow '/'"},
		{"a//b", 3, "'//' (any depth) is not supported"},
		{"//b", 2, "'//' (any depth) is not supported"},
		{"a[1]", 3, "unsupported predicate"},
		{"a[@b='c'", 9, "missing ']'"},
		{"a[@b=c]", 6, "must be quoted"},
		{"a[@b='c]", 6, "unterminated"},
		{"a[text()]", 9, "missing '='"},
		{"a[@xmlns]", 9, "[@xmlns] needs a value"},
		{"p:a", 2, "prefixes are not supported"},
		{"a[@p:b='c']", 5, "prefixes are not supported"},
		{"1a", 1, "want a name"},
		{"a b", 2, "want '/' or '['"},
		{"a[@='x']", 4, "want a name"},
		{strings.Repeat("a", MaxPathLen+1), 1, "longer than"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := ParsePath(tt.in)
			pe, ok := err.(*PathError)
			if !ok {
				t.Fatalf("ParsePath(%q) error = %v, want a *PathError", tt.in, err)
			}
			if pe.Pos != tt.pos || !strings.Contains(pe.Msg, tt.message) {
				t.Fatalf("ParsePath(%q) = %v (at %d), want %q at %d", tt.in, err, pe.Pos, tt.message, tt.pos)
			}
		})
	}
}

// rosterPush is a roster push as a server sends it (RFC 6121 §2.1.6).
const rosterPush = `<iq type='set' id='push1' to='mine@localhost/r'>
  <query xmlns='jabber:iq:roster' ver='3'>
    <item jid='mine1@localhost' subscription='from'/>
    <item jid='admin@localhost' subscription='both' name='Admin'><group>Friends</group></item>
  </query>
</iq>`

func TestPathMatch(t *testing.T) {
	chat := `<message type='chat' xml:lang='en'><body>hello</body><active xmlns='http://jabber.org/protocol/chatstates'/></message>`
	ping := `<iq type='get' id='p1'><ping xmlns='urn:xmpp:ping'/></iq>`
	tests := []struct {
		path, stanza string
		want         bool
	}{
		{"body", chat, true},
		{"body[text()='hello']", chat, true},
		{"body[text()='hell']", chat, false},
		{"/message[@type='chat']/body", chat, true},
		{"/message[@type='normal']/body", chat, false},
		{"/iq/body", chat, false},
		{"/message[@xml:lang='en']", chat, true},
		{"/message[@lang='en']", chat, false},
		{"/message[@xmlns='jabber:client']", chat, true},
		{"*[@xmlns='http://jabber.org/protocol/chatstates']", chat, true},
		{"active[@xmlns='urn:xmpp:ping']", chat, false},
		{"*[@xmlns='urn:xmpp:ping']", ping, true},
		{"ping", ping, true},
		{"*", ping, true},
		{"ping/*", ping, false},
		{"query[@xmlns='jabber:iq:roster']/item[@subscription='both']", rosterPush, true},
		{"query[@xmlns='jabber:iq:roster']/item[@subscription='to']", rosterPush, false},
		{"query/item[@jid='mine1@localhost'][@subscription='from']", rosterPush, true},
		{"query/item[@jid='mine1@localhost'][@subscription='both']", rosterPush, false},
		{"query/item[@name]", rosterPush, true},
		{"query/item[@ask]", rosterPush, false},
		{"query/item/group[text()='Friends']", rosterPush, true},
		{"item", rosterPush, false},
		{"/iq[@type='set']/query[@ver='3']", rosterPush, true},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			p, err := ParsePath(tt.path)
			if err != nil {
				t.Fatal(err)
			}
			el, err := stream.Parse(tt.stanza, 0)
			if err != nil {
				t.Fatal(err)
			}
			if got := p.Match(el); got != tt.want {
				t.Fatalf("%s on %s = %v, want %v", tt.path, tt.stanza, got, tt.want)
			}
		})
	}
}

func TestPathMatchNil(t *testing.T) {
	p, _ := ParsePath("body")
	if p.Match(nil) || (Path{}).Match(nil) {
		t.Fatal("a path matched no stanza at all")
	}
}
