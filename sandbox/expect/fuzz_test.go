package expect

import (
	"reflect"
	"testing"

	"github.com/xmppsandbox/xmppsandbox/sandbox/stream"
)

// FuzzPath feeds arbitrary text to the path parser. It must not panic; a
// text it refuses must be refused with a *PathError pointing inside the
// text; a path it reads must read back the same from its String, and
// evaluate against a stanza without trouble. The seed corpus is in
// testdata/fuzz/FuzzPath.
func FuzzPath(f *testing.F) {
	f.Add("query[@xmlns='jabber:iq:roster']/item[@subscription='both']")
	f.Add("/message[@xml:lang='en']/body[text()='hi']")
	stanza, err := stream.Parse(rosterPush, 0)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text string) {
		p, err := ParsePath(text)
		if err != nil {
			pe, ok := err.(*PathError)
			if !ok || pe.Pos < 1 || pe.Pos > len([]rune(pe.Path))+1 {
				t.Fatalf("ParsePath(%q) error %#v", text, err)
			}
			return
		}
		again, err := ParsePath(p.String())
		if err != nil || !reflect.DeepEqual(again, p) {
			t.Fatalf("ParsePath(%q) = %#v; its String %q reads back as %#v, %v", text, p, p.String(), again, err)
		}
		p.Match(stanza)
	})
}
