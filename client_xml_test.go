package main

import (
	"strings"
	"testing"
)

func TestCheckStanzasAccepts(t *testing.T) {
	tests := []struct {
		in    string
		count int
		body  string
	}{
		{`<message from='admin' to='mine'><body>x</body></message>`, 1, ""},
		{"<?xml version='1.0' encoding='UTF-8'?>\n<presence from='mine1@localhost'/>", 1, "\n<presence from='mine1@localhost'/>"},
		{"<presence from='a'/>\n\n<iq from='a@localhost/r' type='get' id='1'><ping xmlns='urn:xmpp:ping'/></iq>\n", 2, ""},
		{`<message xmlns='jabber:client' from='a'><x:y xmlns:x='urn:x'><x:z/></x:y></message>`, 1, ""},
		{`<message from='a' xml:lang='en'><body><![CDATA[<b>]]> &lt; &#x263A;</body></message>`, 1, ""},
	}
	for i, tt := range tests {
		body, n, err := checkStanzas(tt.in)
		want := tt.body
		if want == "" {
			want = tt.in
		}
		if err != nil || n != tt.count || body != want {
			t.Errorf("%d: checkStanzas(%q) = %q, %d, %v; want %q, %d", i, tt.in, body, n, err, want, tt.count)
		}
	}
}

func TestCheckStanzasRefuses(t *testing.T) {
	tests := []struct{ in, want string }{
		{``, "no stanza"},
		{`hello`, "outside any stanza"},
		{`<message from='a'/>trailing`, "outside any stanza"},
		{`<message from='a'>`, "<message> is not closed"},
		{`<message from='a'></presence>`, "closed by </presence>"},
		{`</message>`, "closes nothing"},
		{`<message from='a' from='b'/>`, "attribute from twice"},
		{`<message from='a'><body>&bogus;</body></message>`, "malformed XML"},
		{`<message from='a'><x:y/></message>`, `prefix "x"`},
		{`<message from='a' p:q='1'/>`, `prefix "p"`},
		{`<message from='a'><?pi x?></message>`, "processing instructions"},
		{`<!DOCTYPE message><message from='a'/>`, "DTDs"},
		{`<message from='a'><!--c--></message>`, "comments"},
		{`<body from='a'/>`, "not a stanza"},
		{`<c:message xmlns:c='jabber:client' from='a'/>`, "not a stanza"},
		{`<message xmlns='jabber:server' from='a'/>`, `namespace "jabber:server"`},
		{`<message to='mine'/>`, "has no from"},
		{`<message from='a b'/>`, `malformed JID "a b"`},
		{`<message from='a' to='@x'/>`, `malformed JID "@x"`},
		{`<presence from='a'/><?xml version='1.0'?>`, "processing instructions"},
	}
	for _, tt := range tests {
		_, _, err := checkStanzas(tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("checkStanzas(%q) = %v, want an error saying %q", tt.in, err, tt.want)
		}
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Errorf("checkStanzas(%q): error %q spans lines", tt.in, err)
		}
	}
}

func TestPrettyXML(t *testing.T) {
	tests := []struct{ in, want string }{
		{`<presence/>`, `<presence/>`},
		{`<message to='a'><body>hi</body></message>`, "<message to='a'>\n  <body>hi</body>\n</message>"},
		{"<iq>\n  <query xmlns='jabber:iq:roster'>\n<item jid=\"a&amp;b\"/></query></iq>",
			"<iq>\n  <query xmlns='jabber:iq:roster'>\n    <item jid='a&amp;b'/>\n  </query>\n</iq>"},
		{`<stream:error><text xmlns="x">it's &lt;bad&gt;</text></stream:error>`,
			"<stream:error>\n  <text xmlns='x'>it's &lt;bad&gt;</text>\n</stream:error>"},
		{`<m>mixed <b>bold</b> text</m>`, "<m>\n  mixed\n  <b>bold</b>\n  text\n</m>"},
		{`<a x="it's"/>`, `<a x='it&apos;s'/>`},
		{`<a/> <b/>`, "<a/>\n<b/>"},
		{`<unclosed>`, `<unclosed>`},
		{`not xml <`, `not xml <`},
	}
	for _, tt := range tests {
		if got := prettyXML(tt.in); got != tt.want {
			t.Errorf("prettyXML(%q) =\n%s\nwant\n%s", tt.in, got, tt.want)
		}
	}
}
