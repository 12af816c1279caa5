package stream

import (
	"encoding/xml"
	"testing"

	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
)

func TestNextResolvesNamespaces(t *testing.T) {
	xmlLang := func(v string) *stanza.Element {
		e := el(stanza.NSClient, "body")
		e.Attr = append(e.Attr, attr(stanza.NSXML, "lang", v))
		return e.AppendText("hi")
	}
	tests := []struct {
		name string
		in   string
		want *stanza.Element
	}{
		{
			name: "default namespace inherited",
			in:   `<message to='romeo@localhost' type='chat'><body>hi</body></message>`,
			want: el(stanza.NSClient, "message", "to", "romeo@localhost", "type", "chat").Append(el(stanza.NSClient, "body").AppendText("hi")),
		},
		{
			name: "prefixed children",
			in:   `<iq type='get' id='r1'><r:query xmlns:r='jabber:iq:roster'><r:item jid='a@localhost'/></r:query></iq>`,
			want: el(stanza.NSClient, "iq", "type", "get", "id", "r1").Append(
				el(stanza.NSRoster, "query").Append(el(stanza.NSRoster, "item", "jid", "a@localhost"))),
		},
		{
			name: "default namespace redeclared in a child",
			in:   `<iq type='result' id='v1'><query xmlns='jabber:iq:version'><name>x</name></query></iq>`,
			want: el(stanza.NSClient, "iq", "type", "result", "id", "v1").Append(
				el("jabber:iq:version", "query").Append(el("jabber:iq:version", "name").AppendText("x"))),
		},
		{
			name: "default namespace undeclared",
			in:   `<message><x xmlns=''><y/></x></message>`,
			want: el(stanza.NSClient, "message").Append(el("", "x").Append(el("", "y"))),
		},
		{
			name: "prefixed stanza",
			in:   `<c:message xmlns:c='jabber:client' id='p1'/>`,
			want: el(stanza.NSClient, "message", "id", "p1"),
		},
		{
			name: "xml:lang kept in the XML namespace",
			in:   `<message><body xml:lang='fr'>hi</body></message>`,
			want: el(stanza.NSClient, "message").Append(xmlLang("fr")),
		},
		{
			name: "namespaced attribute",
			in:   `<message xmlns:x='urn:x' x:a='1' a='2'/>`,
			want: &stanza.Element{Name: el(stanza.NSClient, "message").Name, Attr: []xml.Attr{attr("urn:x", "a", "1"), attr("", "a", "2")}},
		},
		{
			name: "stream-level element",
			in:   `<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features>`,
			want: el(stanza.NSStream, "features").Append(el(stanza.NSBind, "bind")),
		},
		{
			name: "references merge into one text node",
			in:   `<message><body>a &amp; b &lt; &#x263A;&#65;</body></message>`,
			want: el(stanza.NSClient, "message").Append(el(stanza.NSClient, "body").AppendText("a & b < ☺A")),
		},
		{
			name: "CDATA section",
			in:   `<message><body><![CDATA[<x>]]></body></message>`,
			want: el(stanza.NSClient, "message").Append(el(stanza.NSClient, "body").AppendText("<x>")),
		},
		{
			name: "empty CDATA section adds no text",
			in:   `<message><body><![CDATA[]]></body></message>`,
			want: el(stanza.NSClient, "message").Append(el(stanza.NSClient, "body")),
		},
		{
			name: "mixed content",
			in:   `<message><body>a<b/>c</body></message>`,
			want: el(stanza.NSClient, "message").Append(el(stanza.NSClient, "body").AppendText("a").Append(el(stanza.NSClient, "b")).AppendText("c")),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := openStream(t, tt.in, 0).Next()
			if err != nil {
				t.Fatalf("Next: %v", err)
			}
			if !sameTree(got, tt.want) {
				t.Fatalf("got  %s\nwant %s", dump(got), dump(tt.want))
			}
		})
	}
}

func TestNextSkipsKeepalivesUntilClose(t *testing.T) {
	r := openStream(t, " \n<message id='1'/>\n\t \r\n<presence id='2'/>  </stream:stream>", 0)
	for _, want := range []string{"message", "presence"} {
		got, err := r.Next()
		if err != nil {
			t.Fatalf("Next: %v, want <%s/>", err, want)
		}
		if got.Name.Local != want {
			t.Fatalf("got <%s/>, want <%s/>", got.Name.Local, want)
		}
	}
	if _, err := r.Next(); err != ErrClosed {
		t.Fatalf("at </stream:stream>: %v, want ErrClosed", err)
	}
}

func TestNextBetweenStanzas(t *testing.T) {
	tests := []struct {
		name string
		in   string
		cond string
	}{
		{name: "text", in: `hello`, cond: BadFormat},
		{name: "end tag of another element", in: `</message>`, cond: NotWellFormed},
		{name: "stream end in the wrong namespace prefix", in: `</s:stream>`, cond: NotWellFormed},
		// A prefix declared on one stanza is gone after it ends.
		{name: "prefix out of scope", in: `<message xmlns:x='urn:x'/><x:foo/>`, cond: NotWellFormed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := openStream(t, tt.in, 0)
			var err error
			for err == nil {
				_, err = r.Next()
			}
			if got := condition(err); got != tt.cond {
				t.Fatalf("error %v, want %s", err, tt.cond)
			}
		})
	}
}

// dump shows a tree with its namespaces, which String would hide.
func dump(e *stanza.Element) string {
	if e.IsText() {
		return "text(" + e.Text + ")"
	}
	s := "{" + e.Name.Space + "}" + e.Name.Local
	for _, a := range e.Attr {
		s += " {" + a.Name.Space + "}" + a.Name.Local + "=" + a.Value
	}
	s += " ["
	for i, n := range e.Nodes {
		if i > 0 {
			s += ", "
		}
		s += dump(n)
	}
	return s + "]"
}
