package load

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/xmppsandbox/xmppsandbox/sandbox"
)

// serveEnv, set, makes the test binary a sandbox server: the command
// Ready starts in its tests.
const serveEnv = "LOAD_TEST_SERVE_ADDR"

func TestMain(m *testing.M) {
	if addr := os.Getenv(serveEnv); addr != "" {
		os.Exit(serveForReady(addr))
	}
	os.Exit(m.Run())
}

// serveForReady serves two users on addr until SIGTERM.
func serveForReady(addr string) int {
	dir, err := os.MkdirTemp("", "load-ready")
	if err != nil {
		return 1
	}
	defer os.RemoveAll(dir)
	fixtures := filepath.Join(dir, "fixtures")
	if err := (Population{Domain: "localhost", Users: 2}).WriteSandbox(filepath.Join(fixtures, "f.yaml")); err != nil {
		return 1
	}
	srv, err := sandbox.New(sandbox.Config{Fixtures: fixtures, CertDir: filepath.Join(dir, "cert"), C2S: addr, HTTP: "127.0.0.1:0", NoWatch: true})
	if err != nil || srv.Start() != nil {
		fmt.Fprintln(os.Stderr, "cannot serve:", err)
		return 1
	}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM)
	<-stop
	srv.Close()
	return 0
}

// freeAddr finds a loopback port nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func TestReadyTimesStartsAndStopsTheServer(t *testing.T) {
	addr := freeAddr(t)
	cfg := Config{Addr: addr, Domain: "localhost", Timeout: 30 * time.Second}
	command := serveEnv + "=" + addr + " exec " + os.Args[0]
	r := Ready(context.Background(), cfg, command, 2)
	if r.Err != nil {
		t.Fatal(r.Err)
	}
	if got := figure(t, r, "runs"); got != 2 {
		t.Fatalf("runs = %v, want 2", got)
	}
	if min, max := figure(t, r, "min_ms"), figure(t, r, "max_ms"); min <= 0 || max < min {
		t.Fatalf("times out of order: %s", r.JSON())
	}
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Fatal("the server still listens after Ready")
	}
}

func TestReadyFailures(t *testing.T) {
	tests := []struct {
		name, command, want string
	}{
		{"the command exits", "exit 3", "exited before a login succeeded"},
		{"the command never serves", "exec sleep 60", "no login within"},
		{"the output explains", "echo no config >&2; exit 1", "no config"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := Config{Addr: freeAddr(t), Domain: "localhost", Timeout: time.Second}
			start := time.Now()
			r := Ready(context.Background(), cfg, tt.command, 1)
			if r.Err == nil || !strings.Contains(r.Err.Error(), tt.want) {
				t.Fatalf("error %v, want one saying %q", r.Err, tt.want)
			}
			if time.Since(start) > 15*time.Second {
				t.Fatalf("took %v: the bound was not kept", time.Since(start))
			}
		})
	}
}

func TestReadyRefusesAnOccupiedPort(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	r := Ready(context.Background(), Config{Addr: l.Addr().String(), Timeout: time.Second}, "true", 1)
	if r.Err == nil || !strings.Contains(r.Err.Error(), "already listens") {
		t.Fatalf("error %v, want the port refused", r.Err)
	}
}

func TestReadyStopsTheServerWhenCancelled(t *testing.T) {
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	marker := filepath.Join(t.TempDir(), "started")
	// The command never serves: it records that it runs, then waits.
	command := "touch " + marker + "; exec sleep 60"
	done := make(chan Result, 1)
	go func() { done <- Ready(ctx, Config{Addr: addr, Timeout: 30 * time.Second}, command, 1) }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := os.Stat(marker); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the command never started")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	select {
	case r := <-done:
		if r.Err == nil {
			t.Fatal("no error after cancelling")
		}
	case <-time.After(15 * time.Second):
		t.Fatal("Ready did not end after cancelling")
	}
}
