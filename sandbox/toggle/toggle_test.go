package toggle

import (
	"slices"
	"strings"
	"testing"
)

func allMechanisms() []string { return []string{"SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"} }

func TestZeroStateHasEverythingOn(t *testing.T) {
	var nilSet *Set
	for _, n := range Names() {
		if !State(0).On(n) || !nilSet.On(n) || !NewSet(allMechanisms).On(n) {
			t.Errorf("%s is off in a fresh state", n)
		}
	}
}

func TestApplySwitchesOnlyTheNamedToggles(t *testing.T) {
	s := NewSet(allMechanisms)
	st, err := s.Apply(map[Name]bool{Ping: false, StartTLS: false})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range Names() {
		want := n != Ping && n != StartTLS
		if st.On(n) != want || s.On(n) != want {
			t.Errorf("%s on = %v, want %v", n, st.On(n), want)
		}
	}
	if st, _ = s.Apply(map[Name]bool{Ping: true}); !st.On(Ping) || st.On(StartTLS) {
		t.Errorf("after switching ping back on: %v", st.Map())
	}
	s.Reset()
	if s.State() != 0 {
		t.Errorf("Reset left %v", s.State().Map())
	}
}

func TestMechanismsFollowToggles(t *testing.T) {
	tests := []struct {
		name string
		off  []Name
		want []string
	}{
		{"all on", nil, allMechanisms()},
		{"no plain", []Name{SASLPlain}, []string{"SCRAM-SHA-256", "SCRAM-SHA-1"}},
		{"plain only", []Name{SASLScramSHA1, SASLScramSHA256}, []string{"PLAIN"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewSet(allMechanisms)
			changes := map[Name]bool{}
			for _, n := range tt.off {
				changes[n] = false
			}
			if _, err := s.Apply(changes); err != nil {
				t.Fatal(err)
			}
			if got := s.Mechanisms(); !slices.Equal(got, tt.want) {
				t.Errorf("Mechanisms() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestApplyRefusesSwitchingOffTheLastMechanism(t *testing.T) {
	tests := []struct {
		name    string
		offered func() []string
		first   map[Name]bool
		last    map[Name]bool
	}{
		{"all three at once", allMechanisms, nil, map[Name]bool{SASLPlain: false, SASLScramSHA1: false, SASLScramSHA256: false}},
		{"the one left", allMechanisms, map[Name]bool{SASLScramSHA1: false, SASLScramSHA256: false}, map[Name]bool{SASLPlain: false}},
		{"the only one offered", func() []string { return []string{"PLAIN"} }, nil, map[Name]bool{SASLPlain: false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewSet(tt.offered)
			if _, err := s.Apply(tt.first); err != nil {
				t.Fatal(err)
			}
			before := s.State()
			if _, err := s.Apply(tt.last); err == nil || !strings.Contains(err.Error(), "every SASL mechanism") {
				t.Fatalf("Apply(%v) = %v, want a refusal", tt.last, err)
			}
			if s.State() != before {
				t.Errorf("a refused change still changed the state to %v", s.State().Map())
			}
		})
	}
}

func TestParse(t *testing.T) {
	for _, text := range []string{"ping", "PING", " Roster-Versioning ", "sasl-scram-sha-1"} {
		if _, err := Parse(text); err != nil {
			t.Errorf("Parse(%q): %v", text, err)
		}
	}
	if _, err := Parse("carbons"); err == nil || !strings.Contains(err.Error(), "roster-versioning") {
		t.Errorf("Parse(carbons) = %v, want an error listing the toggles", err)
	}
	if _, err := NewSet(allMechanisms).Apply(map[Name]bool{"carbons": false}); err == nil {
		t.Error("Apply accepted an unknown name")
	}
}

func TestForMechanism(t *testing.T) {
	for _, m := range allMechanisms() {
		if _, ok := ForMechanism(m); !ok {
			t.Errorf("no toggle for %s", m)
		}
	}
	if _, ok := ForMechanism("EXTERNAL"); ok {
		t.Error("EXTERNAL has a toggle")
	}
}
