// Package sandboxtest starts sandbox servers inside Go tests and connects
// real XMPP clients (mellium.im/xmpp) to them, with helpers that send raw
// stanzas and wait, with deadlines, for the ones that must arrive.
package sandboxtest

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/xmppsandbox/xmppsandbox/sandbox"
)

// Server is a sandbox started for one test.
type Server struct {
	*sandbox.Server
	Dir string // the fixtures directory
}

// Start runs a server on loopback with free ports, loading fixtures (YAML
// text; "" for none) and an in-memory database, and stops it when the test
// ends. Options adjust the configuration.
func Start(t testing.TB, fixtures string, opts ...func(*sandbox.Config)) *Server {
	t.Helper()
	dir := t.TempDir()
	fixDir := filepath.Join(dir, "fixtures")
	if err := os.MkdirAll(fixDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if fixtures != "" {
		if err := os.WriteFile(filepath.Join(fixDir, "fixtures.yaml"), []byte(fixtures), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg := sandbox.Config{Fixtures: fixDir, CertDir: filepath.Join(dir, "cert"), AuthTimeout: 10 * time.Second}
	for _, o := range opts {
		o(&cfg)
	}
	srv, err := sandbox.New(cfg)
	if err != nil {
		t.Fatalf("sandbox.New: %v", err)
	}
	if err := srv.Start(); err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { srv.Close() })
	return &Server{Server: srv, Dir: fixDir}
}
