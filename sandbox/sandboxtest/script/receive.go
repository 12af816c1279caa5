package script

import (
	"strings"

	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
)

// receive checks the client's next stanza against the step's, or that
// nothing is waiting for a "receives: nothing" step.
func (r *runner) receive(st Step) {
	r.tb.Helper()
	cn := r.connected(st.Client)
	if st.Nothing {
		cn.c.ExpectNothing()
		return
	}
	text := r.expand(st)
	want, err := parseExpected(text)
	if err != nil {
		r.fatalf("%v", err)
	}
	r.where.want = text
	got := cn.c.Next()
	r.where.want = ""
	restoreFrom(got, cn.c.JID.Bare().String())
	if m := Match(want, got); m != nil {
		r.fatalf("the stanza received does not match (%v)\ngot:\n\t%s\nwant:\n%s", m, got, indent(text))
	}
}

// restoreFrom undoes a rewrite of the client library: mellium empties a
// from attribute that holds the account's bare JID, but the script must
// see what the server sent, and an empty from is never a valid address
// (RFC 6120 §8.1.2.1).
func restoreFrom(el *stanza.Element, bare string) {
	if el.Has("from") && el.From() == "" {
		el.Set("from", bare)
	}
}

// indent shifts a text as the script wrote it so that its least indented
// line starts one tab from the failure message's margin, keeping the
// nesting visible.
func indent(text string) string {
	lines := strings.Split(strings.Trim(text, "\n"), "\n")
	margin := -1
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		if n := len(l) - len(strings.TrimLeft(l, " \t")); margin < 0 || n < margin {
			margin = n
		}
	}
	for i, l := range lines {
		if len(l) >= margin && margin > 0 {
			l = l[margin:]
		}
		lines[i] = "\t" + l
	}
	return strings.Join(lines, "\n")
}
