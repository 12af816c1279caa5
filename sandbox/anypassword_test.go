package sandbox_test

import (
	"strings"
	"testing"

	"mellium.im/sasl"

	"github.com/xmppsandbox/xmppsandbox/sandbox"
	"github.com/xmppsandbox/xmppsandbox/sandbox/sandboxtest"
)

func TestAnyPasswordLetsAnyoneInAndCreatesUsers(t *testing.T) {
	srv := sandboxtest.Start(t, seedUsers, func(c *sandbox.Config) { c.AnyPassword = true })
	plain := sandboxtest.LoginOptions{Mechanism: sasl.Plain, Resource: "r"}
	m := sandboxtest.Login(t, srv, "mine", "not mine's password", plain)
	n := sandboxtest.Login(t, srv, "newcomer", "whatever", plain)
	n.Send(`<message to='mine@localhost/r' type='chat'><body>hi, I am new</body></message>`)
	m.Expect(`<message from='newcomer@localhost/r'><body>hi, I am new</body></message>`)
	var users []map[string]any
	call(t, srv, "GET", "/api/users", "", &users)
	found := false
	for _, u := range users {
		found = found || u["name"] == "newcomer"
	}
	if !found {
		t.Fatalf("newcomer was not created: %v", users)
	}
	if _, err := sandboxtest.Dial(srv, "mine", "x", sandboxtest.LoginOptions{Mechanism: sasl.ScramSha256}); err == nil {
		t.Fatal("SCRAM offered in any-password mode, where it cannot work")
	}
}

func TestAnyPasswordIsOffByDefault(t *testing.T) {
	srv := sandboxtest.Start(t, seedUsers)
	_, err := sandboxtest.Dial(srv, "mine", "wrong", sandboxtest.LoginOptions{Mechanism: sasl.Plain})
	if err == nil || !strings.Contains(err.Error(), "not-authorized") {
		t.Fatalf("wrong password: %v, want not-authorized", err)
	}
}

func TestAnyPasswordIsRefusedOffLoopback(t *testing.T) {
	srv, err := sandbox.New(sandbox.Config{AnyPassword: true, C2S: "0.0.0.0:0", CertDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if err := srv.Start(); err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Fatalf("Start = %v, want a refusal off loopback", err)
	}
}
