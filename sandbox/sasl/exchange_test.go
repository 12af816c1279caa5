package sasl

import (
	"errors"
	"slices"
	"testing"
)

func TestMechanismsPreferenceOrder(t *testing.T) {
	want := []string{"SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"}
	got := Mechanisms()
	if !slices.Equal(got, want) {
		t.Fatalf("Mechanisms() = %q, want %q", got, want)
	}
	got[0] = "changed"
	if Mechanisms()[0] != want[0] {
		t.Error("Mechanisms shares its slice between calls")
	}
}

func TestStartRejectsUnknownMechanisms(t *testing.T) {
	for _, mech := range []string{"", "plain", "DIGEST-MD5", "SCRAM-SHA-1-PLUS", "SCRAM-SHA-256-PLUS", "SCRAM-SHA-512", "ANONYMOUS"} {
		t.Run(mech, func(t *testing.T) {
			ex, err := Start(mech, testDomain, fixtureStore())
			if !errors.Is(err, ErrInvalidMechanism) || ex != nil {
				t.Fatalf("Start(%q) = %v, %v; want ErrInvalidMechanism", mech, ex, err)
			}
			if condition(err) != ConditionInvalidMechanism {
				t.Errorf("condition = %q", condition(err))
			}
		})
	}
}

func TestNoInitialResponse(t *testing.T) {
	clients := map[string]client{
		"PLAIN":         newMellium("PLAIN", "alice", "secret", ""),
		"SCRAM-SHA-1":   newMellium("SCRAM-SHA-1", "alice", "secret", ""),
		"SCRAM-SHA-256": newXDG(t, "SCRAM-SHA-256", "alice", "secret", ""),
	}
	for mech, c := range clients {
		t.Run(mech, func(t *testing.T) {
			ex := start(t, mech, fixtureStore())
			out, done, err := ex.Step(nil)
			if err != nil || done || out == nil || len(out) != 0 {
				t.Fatalf("Step(nil) = %q (nil %v), %v, %v; want an empty challenge", out, out == nil, done, err)
			}
			// The client now sends its first message as a <response/>.
			if err := login(ex, c, nil); err != nil {
				t.Fatalf("login after empty challenge: %v", err)
			}
			if ex.Username() != "alice" {
				t.Errorf("Username() = %q", ex.Username())
			}
		})
	}
}

func TestZeroLengthInitialResponseIsNotAbsent(t *testing.T) {
	// RFC 6120 §6.4.2: "=" is a present but empty initial response.
	for _, mech := range Mechanisms() {
		t.Run(mech, func(t *testing.T) {
			_, _, err := start(t, mech, fixtureStore()).Step([]byte{})
			if condition(err) != ConditionMalformedRequest {
				t.Fatalf("Step([]byte{}) error = %v, want malformed-request", err)
			}
		})
	}
}

func TestStepAfterTheEnd(t *testing.T) {
	tests := []struct {
		name     string
		mech     string
		password string
	}{
		{"PLAIN after success", "PLAIN", "secret"},
		{"PLAIN after failure", "PLAIN", "wrong"},
		{"SCRAM-SHA-1 after success", "SCRAM-SHA-1", "secret"},
		{"SCRAM-SHA-256 after failure", "SCRAM-SHA-256", "wrong"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex := start(t, tt.mech, fixtureStore())
			first := login(ex, newMellium(tt.mech, "alice", tt.password, ""), nil)
			user := ex.Username()
			for _, in := range [][]byte{nil, {}, []byte("\x00alice\x00secret")} {
				out, done, err := ex.Step(in)
				if condition(err) != ConditionMalformedRequest || done || out != nil {
					t.Fatalf("Step(%q) after the end = %q, %v, %v", in, out, done, err)
				}
			}
			if ex.Username() != user {
				t.Errorf("Username changed from %q to %q", user, ex.Username())
			}
			if (first == nil) != (user == "alice") {
				t.Errorf("login error %v with Username %q", first, user)
			}
		})
	}
}

func TestUsernameEmptyUntilDone(t *testing.T) {
	ex := start(t, "SCRAM-SHA-1", fixtureStore())
	if _, _, err := ex.Step([]byte("n,,n=alice,r=abc")); err != nil {
		t.Fatal(err)
	}
	if ex.Username() != "" {
		t.Errorf("Username() = %q before the proof", ex.Username())
	}
}

func TestFailureError(t *testing.T) {
	tests := []struct {
		failure *Failure
		want    string
	}{
		{&Failure{Condition: ConditionNotAuthorized}, "sasl: not-authorized"},
		{&Failure{Condition: ConditionMalformedRequest, Text: "why"}, "sasl: malformed-request: why"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.failure.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
	if errors.Is(notAuthorized(), ErrInvalidMechanism) {
		t.Error("not-authorized matches ErrInvalidMechanism")
	}
}
