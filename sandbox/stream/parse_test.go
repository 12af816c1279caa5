package stream

import (
	"strings"
	"testing"

	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		in   string
		max  int
		want *stanza.Element
		cond string
	}{
		{
			name: "stanza in jabber:client by default",
			in:   `<message to='a@localhost'><body>x</body></message>`,
			want: el(stanza.NSClient, "message", "to", "a@localhost").Append(el(stanza.NSClient, "body").AppendText("x")),
		},
		{name: "surrounding whitespace", in: "\n <presence/> \n", want: el(stanza.NSClient, "presence")},
		{name: "own namespace", in: `<query xmlns='jabber:iq:roster'/>`, want: el(stanza.NSRoster, "query")},
		{name: "two elements", in: `<a/><b/>`, cond: BadFormat},
		{name: "trailing text", in: `<a/>x`, cond: BadFormat},
		{name: "trailing comment", in: `<a/><!-- x -->`, cond: RestrictedXML},
		{name: "trailing element cut short", in: `<a/><b>`, cond: NotWellFormed},
		{name: "trailing end tag", in: `<a/></b>`, cond: NotWellFormed},
		{name: "leading comment", in: `<!-- x --><a/>`, cond: RestrictedXML},
		{name: "XML declaration", in: `<?xml version='1.0'?><a/>`, cond: RestrictedXML},
		{name: "DTD", in: `<!DOCTYPE a><a/>`, cond: RestrictedXML},
		{name: "end tag alone", in: `</a>`, cond: NotWellFormed},
		{name: "empty", in: ``, cond: NotWellFormed},
		{name: "whitespace only", in: ` `, cond: NotWellFormed},
		{name: "element cut short", in: `<a><b/>`, cond: NotWellFormed},
		{name: "tag cut short", in: `<a x='`, cond: NotWellFormed},
		{name: "unbound prefix", in: `<x:a/>`, cond: NotWellFormed},
		{name: "over the size limit", in: `<a>` + strings.Repeat("b", 64) + `</a>`, max: 64, cond: PolicyViolation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.in, tt.max)
			if c := condition(err); c != tt.cond {
				t.Fatalf("error %v, want %q", err, tt.cond)
			}
			if tt.want != nil && !sameTree(got, tt.want) {
				t.Fatalf("got  %s\nwant %s", dump(got), dump(tt.want))
			}
		})
	}
}
