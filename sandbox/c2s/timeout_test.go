package c2s_test

import (
	"testing"
	"time"

	"github.com/xmppsandbox/xmppsandbox/sandbox"
	"github.com/xmppsandbox/xmppsandbox/sandbox/sandboxtest"
)

// TestAuthTimeout checks that a stream that has not authenticated within
// the auth timeout is closed with connection-timeout (RFC 6120
// §4.9.3.4), wherever it stopped, and that an authenticated one is not.
func TestAuthTimeout(t *testing.T) {
	const timeout = 300 * time.Millisecond
	srv := sandboxtest.Start(t, fixtures, func(c *sandbox.Config) { c.AuthTimeout = timeout })
	// Juliet connects first, so her deadline, had it not been lifted by
	// authenticating, would pass before any of the silent streams'.
	juliet, full := login(t, srv, "juliet", "secret", "balcony")
	start := time.Now()
	tests := []struct {
		name  string
		reach func(*testing.T) *rawClient
	}{
		{"before the header", func(t *testing.T) *rawClient { c := dialRaw(t, srv); c.listen(); return c }},
		{"after the header", func(t *testing.T) *rawClient { return afterHeader(t, srv, "") }},
		{"after TLS, before the new header", func(t *testing.T) *rawClient {
			c := afterHeader(t, srv, "")
			c.upgradeTLS()
			c.listen()
			return c
		}},
		{"after TLS", func(t *testing.T) *rawClient { return afterTLS(t, srv, "") }},
		{"mid-SASL", func(t *testing.T) *rawClient { return midSASL(t, srv, "") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dialed := time.Now()
			c := tt.reach(t)
			c.expectStreamError("connection-timeout")
			if waited := time.Since(dialed); waited < timeout {
				t.Fatalf("closed after %s, before the %s timeout", waited, timeout)
			}
		})
	}
	if time.Since(start) < timeout {
		t.Fatal("the silent streams did not outlive the timeout")
	}
	juliet.send(`<iq type='get' id='p1' to='localhost'>` + ping + `</iq>`)
	juliet.expect(`<iq type='result' id='p1' to='` + full + `'/>`)
}
