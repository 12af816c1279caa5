package script

import (
	"strings"
	"testing"

	"github.com/xmppsandbox/xmppsandbox/sandbox/stream"
)

func TestMatch(t *testing.T) {
	const push = `<iq type='set' id='p1' to='ada@localhost/r'>
		<query xmlns='jabber:iq:roster' ver='7'>
			<item jid='grace@localhost' subscription='both' name='Grace'><group>Friends</group></item>
		</query></iq>`
	const info = `<iq type='result' id='i1'><query xmlns='http://jabber.org/protocol/disco#info'>
		<identity category='account' type='registered'/>
		<feature var='a'/><feature var='b'/><feature var='c'/>
		</query></iq>`
	tests := []struct {
		name, want, got string
		why             string // "" when it must match; else part of the mismatch
	}{
		{"same", `<presence/>`, `<presence/>`, ""},
		{"extra attribute", `<presence type='subscribe'/>`, `<presence type='subscribe' from='a@b'/>`, ""},
		{"missing attribute", `<presence type='subscribe'/>`, `<presence/>`, "presence: attribute type is missing"},
		{"other value", `<presence type='subscribe'/>`, `<presence type='subscribed'/>`, `attribute type is "subscribed", want "subscribe"`},
		{"any value", `<iq id='{scansion:any}'/>`, `<iq id='x7'/>`, ""},
		{"any needs presence", `<iq id='{scansion:any}'/>`, `<iq/>`, "attribute id is missing"},
		{"other name", `<message/>`, `<presence/>`, "got element {jabber:client}presence, want {jabber:client}message"},
		{"other namespace", `<iq><query xmlns='jabber:iq:roster'/></iq>`, `<iq><query xmlns='jabber:iq:version'/></iq>`, "no child {jabber:iq:roster}query"},
		{"prefix does not matter", `<iq><r:query xmlns:r='jabber:iq:roster'/></iq>`, `<iq><query xmlns='jabber:iq:roster'/></iq>`, ""},
		{"namespaced attribute", `<message xml:lang='en'/>`, `<message xml:lang='en'/>`, ""},
		{"namespaced attribute differs", `<message xml:lang='en'/>`, `<message xml:lang='fr'/>`, `attribute {http://www.w3.org/XML/1998/namespace}lang is "fr"`},
		{"nested item", `<iq type='set'><query xmlns='jabber:iq:roster'><item jid='grace@localhost' subscription='both'/></query></iq>`, push, ""},
		{"nested item differs", `<iq type='set'><query xmlns='jabber:iq:roster'><item subscription='to'/></query></iq>`, push, `iq/query/item: attribute subscription is "both", want "to"`},
		{"text", `<message><body>hi</body></message>`, `<message><body>  hi
			</body></message>`, ""},
		{"text differs", `<message><body>hi</body></message>`, `<message><body>hello</body></message>`, `message/body: text is "hello", want "hi"`},
		{"no text expected", `<message><body/></message>`, `<message><body>anything</body></message>`, ""},
		{"children in order", info, info, ""},
		{"some children in order", `<iq><query xmlns='http://jabber.org/protocol/disco#info'><feature var='a'/><feature var='c'/></query></iq>`, info, ""},
		{"children out of order", `<iq><query xmlns='http://jabber.org/protocol/disco#info'><feature var='c'/><feature var='a'/></query></iq>`, info, "iq/query: no child {http://jabber.org/protocol/disco#info}feature"},
		{"missing child", `<message><delay xmlns='urn:xmpp:delay'/></message>`, `<message><body>x</body></message>`, "message: no child {urn:xmpp:delay}delay"},
		{"strict equal", `<iq><query xmlns='jabber:iq:version' scansion:strict='true'><name>x</name><version>1</version></query></iq>`, `<iq><query xmlns='jabber:iq:version'><name>x</name><version>1</version></query></iq>`, ""},
		{"strict extra child", `<iq><query xmlns='jabber:iq:version' scansion:strict='true'><name>x</name></query></iq>`, `<iq><query xmlns='jabber:iq:version'><name>x</name><os>y</os></query></iq>`, "unexpected child {jabber:iq:version}os (strict)"},
		{"strict missing child", `<iq scansion:strict='true'><query xmlns='q'/></iq>`, `<iq/>`, "child {q}query is missing (strict)"},
		{"strict extra attribute", `<presence scansion:strict='true' type='subscribe'/>`, `<presence type='subscribe' id='x'/>`, `unexpected attribute id="x" (strict)`},
		{"strict is inherited", `<iq scansion:strict='true'><query xmlns='q'/></iq>`, `<iq><query xmlns='q' ver='1'/></iq>`, `iq/query[1]: unexpected attribute ver`},
		{"strict text", `<iq scansion:strict='true'><query xmlns='q'><v/></query></iq>`, `<iq><query xmlns='q'><v>1</v></query></iq>`, `text is "1", want ""`},
		{"strict lifted", `<iq scansion:strict='true'><query xmlns='q'><v scansion:strict='false'/></query></iq>`, `<iq><query xmlns='q'><v n='2'>1</v></query></iq>`, ""},
		{"strict order", `<iq scansion:strict='true'><a xmlns='q'/><b xmlns='q'/></iq>`, `<iq><b xmlns='q'/><a xmlns='q'/></iq>`, "got element {q}b, want {q}a"},
		{"not strict when false", `<presence scansion:strict='false'/>`, `<presence id='x'><status/></presence>`, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want, err := parseExpected(tc.want)
			if err != nil {
				t.Fatalf("expected XML: %v", err)
			}
			got, err := stream.Parse(tc.got, 0)
			if err != nil {
				t.Fatalf("received XML: %v", err)
			}
			err = Match(want, got)
			switch {
			case tc.why == "" && err != nil:
				t.Fatalf("no match: %v", err)
			case tc.why != "" && err == nil:
				t.Fatalf("matched, want a mismatch saying %q", tc.why)
			case tc.why != "" && !strings.Contains(err.Error(), tc.why):
				t.Fatalf("mismatch %q, want one saying %q", err, tc.why)
			}
		})
	}
}

func TestParseExpectedBindsNamespaces(t *testing.T) {
	el, err := parseExpected(`<iq><query xmlns='jabber:iq:roster'><item/></query></iq>`)
	if err != nil {
		t.Fatal(err)
	}
	item := el.FirstElement().FirstElement()
	if el.Name.Space != "jabber:client" || item.Name.Space != "jabber:iq:roster" {
		t.Fatalf("namespaces %q and %q", el.Name.Space, item.Name.Space)
	}
	if len(el.FirstElement().Attr) != 0 {
		t.Fatalf("namespace declarations kept as attributes: %v", el.FirstElement().Attr)
	}
}
