package sasl

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/xdg-go/scram"
)

// scramMechs lists the SCRAM mechanisms under test.
func scramMechs() []string {
	return []string{string(SCRAMSHA1), string(SCRAMSHA256)}
}

// clientMakers builds each third-party SCRAM client under test.
func clientMakers() map[string]func(tb testing.TB, mech, user, password, authzid string) client {
	return map[string]func(tb testing.TB, mech, user, password, authzid string) client{
		"mellium": func(_ testing.TB, mech, user, password, authzid string) client {
			return newMellium(mech, user, password, authzid)
		},
		"xdg": newXDG,
	}
}

func TestSCRAMWithRealClients(t *testing.T) {
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
		{"username needing =2C and =3D", "a,b=c", "commas", "", ""},
		{"password SASLprep maps", "hyphen", "IX", "", ""},
	}
	for client, newClient := range clientMakers() {
		for _, mech := range scramMechs() {
			for _, tt := range tests {
				t.Run(client+"/"+mech+"/"+tt.name, func(t *testing.T) {
					ex := start(t, mech, fixtureStore())
					err := login(ex, newClient(t, mech, tt.user, tt.password, tt.authzid), nil)
					if got := condition(err); got != tt.want {
						t.Fatalf("condition = %q, want %q (err %v)", got, tt.want, err)
					}
					if tt.want == "" && ex.Username() != tt.user {
						t.Errorf("Username() = %q, want %q", ex.Username(), tt.user)
					}
				})
			}
		}
	}
}

func TestSCRAMUnpreparablePassword(t *testing.T) {
	// Clients that cannot SASLprep a password send it raw; so does the store.
	for _, mech := range scramMechs() {
		t.Run(mech, func(t *testing.T) {
			store := fixtureStore()
			c, err := xdgHash(mech).NewClientUnprepped("emoji", "p\U0001F600w", "")
			if err != nil {
				t.Fatal(err)
			}
			if err := login(start(t, mech, store), &xdgClient{conv: c.NewConversation()}, nil); err != nil {
				t.Errorf("xdg: %v", err)
			}
			if err := login(start(t, mech, store), newMellium(mech, "emoji", "p\U0001F600w", ""), nil); err != nil {
				t.Errorf("mellium: %v", err)
			}
		})
	}
}

func TestSCRAMGS2Flags(t *testing.T) {
	tests := []struct {
		name string
		conv func(*scram.Client) *scram.ClientConversation
		want string
	}{
		{"n: no channel binding", (*scram.Client).NewConversation, ""},
		{"y: client could bind, server did not offer", (*scram.Client).NewConversationAdvertisingChannelBinding, ""},
		{"p: client insists on binding", func(c *scram.Client) *scram.ClientConversation {
			return c.NewConversationWithChannelBinding(scram.ChannelBinding{
				Type: scram.ChannelBindingTLSExporter, Data: []byte("0123456789abcdef"),
			})
		}, ConditionMalformedRequest},
	}
	for _, mech := range scramMechs() {
		for _, tt := range tests {
			t.Run(mech+"/"+tt.name, func(t *testing.T) {
				c, err := xdgHash(mech).NewClient("alice", "secret", "")
				if err != nil {
					t.Fatal(err)
				}
				err = login(start(t, mech, fixtureStore()), &xdgClient{conv: tt.conv(c)}, nil)
				if got := condition(err); got != tt.want {
					t.Fatalf("condition = %q, want %q (err %v)", got, tt.want, err)
				}
			})
		}
	}
}

// editFinal applies f to the client-final-message only.
func editFinal(f func(string) string) tamper {
	return func(n int, msg []byte) []byte {
		if n != 1 {
			return msg
		}
		return []byte(f(string(msg)))
	}
}

// flipProofBit changes one bit of the decoded proof, keeping its length.
func flipProofBit(msg string) string {
	head, proof, _ := strings.Cut(msg, ",p=")
	raw, _ := base64.StdEncoding.DecodeString(proof)
	raw[0] ^= 1
	return head + ",p=" + base64.StdEncoding.EncodeToString(raw)
}

func TestSCRAMTamperedClientFinal(t *testing.T) {
	tests := []struct {
		name string
		edit func(string) string
		want string
	}{
		{"untouched", func(m string) string { return m }, ""},
		{"bad proof", flipProofBit, ConditionNotAuthorized},
		{"wrong nonce", func(m string) string { return strings.Replace(m, ",r=", ",r=X", 1) }, ConditionMalformedRequest},
		{"channel binding not echoing gs2 header", func(m string) string { return strings.Replace(m, "c=biws", "c=eSws", 1) }, ConditionMalformedRequest},
		{"proof missing", func(m string) string { head, _, _ := strings.Cut(m, ",p="); return head }, ConditionMalformedRequest},
		{"truncated in the proof", func(m string) string { return m[:len(m)-4] }, ConditionMalformedRequest},
		{"truncated to half", func(m string) string { return m[:len(m)/2] }, ConditionMalformedRequest},
		{"proof not base64", func(m string) string { return m[:len(m)-2] + "!!" }, ConditionMalformedRequest},
		{"empty", func(string) string { return "" }, ConditionMalformedRequest},
		{"too long", func(m string) string { return m + strings.Repeat("x", maxSCRAMMessage) }, ConditionMalformedRequest},
	}
	for _, mech := range scramMechs() {
		for _, tt := range tests {
			t.Run(mech+"/"+tt.name, func(t *testing.T) {
				ex := start(t, mech, fixtureStore())
				err := login(ex, newXDG(t, mech, "alice", "secret", ""), editFinal(tt.edit))
				if got := condition(err); got != tt.want {
					t.Fatalf("condition = %q, want %q (err %v)", got, tt.want, err)
				}
			})
		}
	}
}

func TestSCRAMClientFirstSyntax(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"minimal", "n,,n=alice,r=abc", ""},
		{"gs2 flag y", "y,,n=alice,r=abc", ""},
		{"extension after nonce", "n,,n=alice,r=abc,x=1", ""},
		{"own authzid", "n,a=alice@example.com,n=alice,r=abc", ""},
		{"unknown user looks fine at first", "n,,n=mallory,r=abc", ""},
		{"empty", "", ConditionMalformedRequest},
		{"gs2 flag p", "p=tls-exporter,,n=alice,r=abc", ConditionMalformedRequest},
		{"bad gs2 flag", "x,,n=alice,r=abc", ConditionMalformedRequest},
		{"no gs2 header", "n=alice,r=abc", ConditionMalformedRequest},
		{"no nonce", "n,,n=alice", ConditionMalformedRequest},
		{"empty nonce", "n,,n=alice,r=", ConditionMalformedRequest},
		{"nonce with control byte", "n,,n=alice,r=a\x01c", ConditionMalformedRequest},
		{"nonce not ASCII", "n,,n=alice,r=\u00e9t\u00e9", ConditionMalformedRequest},
		{"empty username", "n,,n=,r=abc", ConditionMalformedRequest},
		{"bad username escape", "n,,n=al=ice,r=abc", ConditionMalformedRequest},
		{"bad authzid escape", "n,a=x=41,n=alice,r=abc", ConditionMalformedRequest},
		{"reserved m extension", "n,,m=ext,n=alice,r=abc", ConditionMalformedRequest},
		{"fields out of order", "n,,r=abc,n=alice", ConditionMalformedRequest},
		{"NUL", "n,,n=al\x00ice,r=abc", ConditionMalformedRequest},
		{"invalid UTF-8", "n,,n=\xffalice,r=abc", ConditionMalformedRequest},
		{"too long", "n,,n=alice,r=" + strings.Repeat("a", maxSCRAMMessage), ConditionMalformedRequest},
		{"other user's authzid", "n,a=bob@example.com,n=alice,r=abc", ConditionInvalidAuthzid},
	}
	for _, mech := range scramMechs() {
		for _, tt := range tests {
			t.Run(mech+"/"+tt.name, func(t *testing.T) {
				out, done, err := start(t, mech, fixtureStore()).Step([]byte(tt.in))
				if got := condition(err); got != tt.want {
					t.Fatalf("condition = %q, want %q (err %v)", got, tt.want, err)
				}
				if done {
					t.Fatal("done after client-first")
				}
				if err == nil && !bytes.HasPrefix(out, []byte("r=abc")) {
					t.Errorf("server-first %q does not extend the client nonce", out)
				}
			})
		}
	}
}

// serverFirst sends a client-first for user and returns the server-first.
func serverFirst(t *testing.T, mech, user string, creds Credentials) string {
	t.Helper()
	out, _, err := start(t, mech, creds).Step([]byte("n,,n=" + user + ",r=abc"))
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// saltAndIters drops the nonce from a server-first-message.
func saltAndIters(serverFirst string) string {
	_, rest, _ := strings.Cut(serverFirst, ",")
	return rest
}

func TestSCRAMUnknownUserLooksKnown(t *testing.T) {
	for _, mech := range scramMechs() {
		t.Run(mech, func(t *testing.T) {
			store := fixtureStore()
			known := saltAndIters(serverFirst(t, mech, "alice", store))
			decoy := saltAndIters(serverFirst(t, mech, "mallory", store))
			if again := saltAndIters(serverFirst(t, mech, "mallory", store)); again != decoy {
				t.Errorf("decoy salt changes between attempts: %q then %q", decoy, again)
			}
			if len(known) != len(decoy) || !strings.HasSuffix(decoy, ",i=4096") {
				t.Errorf("decoy %q does not look like a real %q", decoy, known)
			}
			if other := saltAndIters(serverFirst(t, mech, "trudy", store)); other == decoy {
				t.Error("two unknown users share a salt")
			}
		})
	}
}
