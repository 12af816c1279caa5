package script

import (
	"errors"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// FuzzParse feeds arbitrary text to Parse: it must never panic, every
// problem must be an *Error within the text, and a script it accepts must
// have steps in line order by declared clients, and fixtures that read
// back as its accounts.
func FuzzParse(f *testing.F) {
	f.Add(twoClients)
	f.Add("[Client] A\n\tjid: a@b\n\tpassword: p\n---\nA receives: <x xmlns:y='z' y:q='${A's full JID}'/>\n")
	f.Fuzz(func(t *testing.T, text string) {
		s, err := Parse("fuzz.scs", strings.NewReader(text))
		if err != nil {
			checkFuzzError(t, err, text)
			return
		}
		last := 0
		for _, st := range s.Steps {
			if st.Line <= last || s.Client(st.Client.Name) != st.Client {
				t.Fatalf("step at line %d after line %d, client %q", st.Line, last, st.Client.Name)
			}
			last = st.Line
		}
		checkFixtures(t, s)
	})
}

func checkFuzzError(t *testing.T, err error, text string) {
	var se *Error
	if !errors.As(err, &se) {
		t.Fatalf("error %v is not an *Error", err)
	}
	if lines := strings.Count(text, "\n") + 1; se.Line < 0 || se.Line > lines {
		t.Fatalf("error at line %d of a %d-line text: %v", se.Line, lines, err)
	}
}

func checkFixtures(t *testing.T, s *Script) {
	var f fixtureFile
	if err := yaml.Unmarshal([]byte(FixturesFor(s, "localhost")), &f); err != nil {
		t.Fatalf("fixtures do not read back: %v", err)
	}
	seen := map[string]string{}
	for _, c := range s.Clients {
		j, _ := parseJID(c.JID)
		if prev, ok := seen[j.Localpart()]; ok && prev != c.Password {
			// Two clients of one name with two passwords (on two domains,
			// say) cannot share one server's fixtures: nothing to check.
			return
		}
		seen[j.Localpart()] = c.Password
	}
	for _, c := range s.Clients {
		j, _ := parseJID(c.JID)
		if f.Users[j.Localpart()].Password != c.Password {
			t.Fatalf("fixtures give %s the password %q, want %q", j.Localpart(), f.Users[j.Localpart()].Password, c.Password)
		}
	}
}
