package sasl

import (
	"bytes"
	"testing"

	"github.com/xdg-go/scram"
	"github.com/xdg-go/stringprep"
)

// fuzzStore has a single user so that any success is easy to judge.
func fuzzStore() *memStore {
	return newMemStore(map[string]string{"alice": "secret"})
}

// checkFailure fails the fuzz run if err is not a *Failure with one of the
// conditions Step may produce.
func checkFailure(t *testing.T, err error) {
	t.Helper()
	switch condition(err) {
	case ConditionMalformedRequest, ConditionNotAuthorized, ConditionInvalidAuthzid:
	default:
		t.Fatalf("unexpected error %v", err)
	}
}

func FuzzPLAIN(f *testing.F) {
	f.Add([]byte("\x00alice\x00secret"))
	f.Add([]byte("alice@example.com\x00alice\x00secret"))
	f.Add([]byte("\x00alice\x00secreT"))
	f.Add([]byte("\x00alice\x00secr\u00adet"))
	f.Add([]byte("\x00\x00"))
	f.Add([]byte("\x00alice\x00secret\x00"))
	store := fuzzStore()
	f.Fuzz(func(t *testing.T, in []byte) {
		ex := start(t, "PLAIN", store)
		out, done, err := ex.Step(in)
		if err != nil {
			checkFailure(t, err)
			return
		}
		fields := bytes.Split(in, []byte{0})
		if !done || len(out) != 0 || len(fields) != 3 || string(fields[1]) != "alice" {
			t.Fatalf("Step(%q) = %q, %v with no error", in, out, done)
		}
		if !isSecret(string(fields[2])) {
			t.Fatalf("logged in with wrong password %q", fields[2])
		}
	})
}

// isSecret reports whether password is "secret", either literally or once
// SASLprep has mapped it.
func isSecret(password string) bool {
	prepared, err := stringprep.SASLprep.Prepare(password)
	return password == "secret" || (err == nil && prepared == "secret")
}

func FuzzSCRAMClientFirst(f *testing.F) {
	f.Add(uint8(0), []byte("n,,n=alice,r=fyko+d2lbbFgONRv9qkxdawL"))
	f.Add(uint8(1), []byte("y,a=alice@example.com,n=alice,r=abc,x=1"))
	f.Add(uint8(0), []byte("p=tls-exporter,,n=alice,r=abc"))
	f.Add(uint8(1), []byte("n,,n=a=2Cb=3Dc,r=abc"))
	f.Add(uint8(0), []byte("n,,m=x,n=alice,r=abc"))
	store := fuzzStore() // Shared, so PBKDF2 runs once per mechanism.
	f.Fuzz(func(t *testing.T, pick uint8, in []byte) {
		ex := start(t, scramMechs()[pick%2], store)
		out, done, err := ex.Step(in)
		if err != nil {
			checkFailure(t, err)
			return
		}
		if done || ex.Username() != "" {
			t.Fatal("done after the client-first-message")
		}
		nonce := nonceField(in)
		if !bytes.HasPrefix(out, append([]byte("r="), nonce...)) || len(out) <= len(nonce)+2 {
			t.Fatalf("server-first %q does not extend client nonce %q", out, nonce)
		}
	})
}

// fuzzClientFirst opens every FuzzSCRAMClientFinal exchange.
const fuzzClientFirst = "n,,n=alice,r=fuzznonce"

// wrongPasswordClients returns, per mechanism of scramMechs, an xdg-go/scram
// client that sends fuzzClientFirst and knows a wrong password. Each keeps
// its salted password cached across fuzz iterations.
func wrongPasswordClients(f *testing.F) [2]*scram.Client {
	var clients [2]*scram.Client
	for i, mech := range scramMechs() {
		c, err := xdgHash(mech).NewClient("alice", "not the secret", "")
		if err != nil {
			f.Fatal(err)
		}
		clients[i] = c.WithNonceGenerator(func() string { return "fuzznonce" })
	}
	return clients
}

// wrongFinal is a well-formed client-final-message answering serverFirst
// with a proof made from a wrong password.
func wrongFinal(t *testing.T, c *scram.Client, serverFirst []byte) []byte {
	conv := c.NewConversation()
	if _, err := conv.Step(""); err != nil {
		t.Fatal(err)
	}
	final, err := conv.Step(string(serverFirst))
	if err != nil {
		t.Fatal(err)
	}
	return []byte(final)
}

func FuzzSCRAMClientFinal(f *testing.F) {
	// In the input, "{nonce}" stands for the nonce the server chose, which
	// the fuzzer cannot guess, and "{wrong}" for a whole well-formed
	// client-final-message whose proof comes from a wrong password.
	f.Add(uint8(0), []byte("c=biws,r={nonce},p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="))
	f.Add(uint8(1), []byte("c=biws,r={nonce},p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts="))
	f.Add(uint8(0), []byte("c=biws,r={nonce},x=ext,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts="))
	f.Add(uint8(1), []byte("c=biws,r=fuzznonce,p=AAAA"))
	f.Add(uint8(0), []byte("c=eSws,r={nonce},p="))
	f.Add(uint8(0), []byte("{wrong}"))
	f.Add(uint8(1), []byte("{wrong}"))
	f.Add(uint8(1), []byte("{wrong},x=1"))
	store := fuzzStore() // Shared, so PBKDF2 runs once per mechanism.
	clients := wrongPasswordClients(f)
	f.Fuzz(func(t *testing.T, pick uint8, in []byte) {
		ex := start(t, scramMechs()[pick%2], store)
		first, _, err := ex.Step([]byte(fuzzClientFirst))
		if err != nil {
			t.Fatal(err)
		}
		// The bare wrong-password message must fail on its proof alone.
		wantNotAuthorized := string(in) == "{wrong}"
		nonce, _, _ := bytes.Cut(bytes.TrimPrefix(first, []byte("r=")), []byte(","))
		in = bytes.ReplaceAll(in, []byte("{nonce}"), nonce)
		if bytes.Contains(in, []byte("{wrong}")) {
			in = bytes.ReplaceAll(in, []byte("{wrong}"), wrongFinal(t, clients[pick%2], first))
		}
		out, done, err := ex.Step(in)
		if wantNotAuthorized && condition(err) != ConditionNotAuthorized {
			t.Fatalf("wrong password gave %v, want not-authorized", err)
		}
		if err != nil {
			checkFailure(t, err)
			return
		}
		// Every proof here lacks the password, so none may be accepted.
		t.Fatalf("client-final %q accepted: %q, done %v", in, out, done)
	})
}
