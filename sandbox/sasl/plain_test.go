package sasl

import (
	"strings"
	"testing"
)

func TestPLAINWithMelliumClient(t *testing.T) {
	tests := []struct {
		name, user, password, authzid string
		want                          string
	}{
		{"success", "alice", "secret", "", ""},
		{"own bare JID as authzid", "alice", "secret", "alice@example.com", ""},
		{"authzid normalized", "alice", "secret", "Alice@EXAMPLE.com", ""},
		{"wrong password", "alice", "Secret", "", ConditionNotAuthorized},
		{"unknown user", "mallory", "secret", "", ConditionNotAuthorized},
		{"other user's JID", "alice", "secret", "bob@example.com", ConditionInvalidAuthzid},
		{"full JID", "alice", "secret", "alice@example.com/phone", ConditionInvalidAuthzid},
		{"other domain", "alice", "secret", "alice@example.org", ConditionInvalidAuthzid},
		{"not a JID", "alice", "secret", "@@", ConditionInvalidAuthzid},
		{"escaped-looking name", "a,b=c", "commas", "", ""},
		{"SASLprep on both sides", "hyphen", "IX", "", ""},
		{"raw password with soft hyphen", "hyphen", "I\u00adX", "", ""},
		{"password SASLprep rejects", "emoji", "p\U0001F600w", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex := start(t, "PLAIN", fixtureStore())
			err := login(ex, newMellium("PLAIN", tt.user, tt.password, tt.authzid), nil)
			if got := condition(err); got != tt.want {
				t.Fatalf("condition = %q, want %q (err %v)", got, tt.want, err)
			}
			wantUser := ""
			if tt.want == "" {
				wantUser = tt.user
			}
			if ex.Username() != wantUser {
				t.Errorf("Username() = %q, want %q", ex.Username(), wantUser)
			}
		})
	}
}

func TestPLAINSyntax(t *testing.T) {
	long := strings.Repeat("a", maxPlainField)
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"valid", "\x00alice\x00secret", ""},
		{"valid with authzid", "alice@example.com\x00alice\x00secret", ""},
		{"empty", "", ConditionMalformedRequest},
		{"one NUL", "alice\x00secret", ConditionMalformedRequest},
		{"no NUL", "alice", ConditionMalformedRequest},
		{"three NULs", "\x00alice\x00secret\x00", ConditionMalformedRequest},
		{"empty authcid", "\x00\x00secret", ConditionMalformedRequest},
		{"empty password", "\x00alice\x00", ConditionMalformedRequest},
		{"invalid UTF-8 password", "\x00alice\x00\xff", ConditionMalformedRequest},
		{"invalid UTF-8 authzid", "\xc3\x00alice\x00secret", ConditionMalformedRequest},
		{"255-byte fields accepted", long + "\x00" + long + "\x00" + long, ConditionInvalidAuthzid},
		{"255-byte authcid reaches the store", "\x00" + long + "\x00" + long, ConditionNotAuthorized},
		{"256-byte authcid", "\x00a" + long + "\x00secret", ConditionMalformedRequest},
		{"256-byte password", "\x00alice\x00a" + long, ConditionMalformedRequest},
		{"256-byte authzid", "a" + long + "\x00alice\x00secret", ConditionMalformedRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex := start(t, "PLAIN", fixtureStore())
			out, done, err := ex.Step([]byte(tt.in))
			if got := condition(err); got != tt.want {
				t.Fatalf("condition = %q, want %q (err %v)", got, tt.want, err)
			}
			if done != (tt.want == "") || len(out) != 0 {
				t.Errorf("Step = %q, done %v", out, done)
			}
		})
	}
}

func TestPLAINFailureTextsAreIdentical(t *testing.T) {
	// Unknown user and wrong password must be indistinguishable.
	var texts []string
	for _, in := range []string{"\x00alice\x00wrong", "\x00mallory\x00secret"} {
		_, _, err := start(t, "PLAIN", fixtureStore()).Step([]byte(in))
		if condition(err) != ConditionNotAuthorized {
			t.Fatalf("Step(%q) error = %v, want not-authorized", in, err)
		}
		texts = append(texts, err.Error())
	}
	if texts[0] != texts[1] {
		t.Errorf("wrong password %q vs unknown user %q", texts[0], texts[1])
	}
}
