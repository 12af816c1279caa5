package script

import (
	"strings"
	"testing"

	"github.com/xmppsandbox/xmppsandbox/sandbox/fixture"
)

func TestFixturesForDeclaresEveryAccountOnce(t *testing.T) {
	s, err := Parse("two.scs", strings.NewReader(twoClients))
	if err != nil {
		t.Fatal(err)
	}
	got := FixturesFor(s, "localhost")
	want := "domain: localhost\nusers:\n    grace:\n        password: cobol\n    linus:\n        password: kernel\n"
	if got != want {
		t.Fatalf("FixturesFor =\n%s\nwant\n%s", got, want)
	}
	if _, err := fixture.Parse("fixtures.yaml", []byte(got)); err != nil {
		t.Fatalf("the fixture loader refuses it: %v", err)
	}
}

func TestFixturesForQuotesOddPasswords(t *testing.T) {
	const odd = "[Client] Ada\n\tjid: ada@localhost\n\tpassword: #: 'no' {x}\n---\nAda connects\n"
	s, err := Parse("odd.scs", strings.NewReader(odd))
	if err != nil {
		t.Fatal(err)
	}
	checkFixtures(t, s)
}
