package sandbox_test

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "modernc.org/sqlite" // the driver the server's store uses
)

// buildBinary compiles the xmppsandbox command into a temporary
// directory and returns its path.
func buildBinary(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool to build the binary with")
	}
	bin := filepath.Join(t.TempDir(), "xmppsandbox")
	cmd := exec.Command(goTool, "build", "-o", bin, "github.com/xmppsandbox/xmppsandbox")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// serverProcess is the binary running serve.
type serverProcess struct {
	cmd       *exec.Cmd
	c2s, http string
	stderr    *syncBuffer
	exited    chan struct{}
	exitErr   error
}

// syncBuffer collects a process's output for the test to read while it
// runs.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// writeFixtures writes a fixture directory holding text.
func writeFixtures(t *testing.T, text string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "fixtures")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "users.yaml"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// startProcess runs bin serve on free loopback ports with args added,
// and waits until it prints its listeners.
func startProcess(t *testing.T, bin string, args ...string) *serverProcess {
	t.Helper()
	all := append([]string{"serve", "--c2s", "127.0.0.1:0", "--http", "127.0.0.1:0", "--no-watch"}, args...)
	p := &serverProcess{cmd: exec.Command(bin, all...), stderr: &syncBuffer{}, exited: make(chan struct{})}
	// The generated certificate goes to the user's configuration
	// directory: a temporary one here.
	p.cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+t.TempDir())
	p.cmd.Stderr = p.stderr
	out, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		p.exitErr = p.cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() { p.cmd.Process.Kill(); <-p.exited })
	p.awaitListeners(t, lines)
	go func() {
		for range lines {
		}
	}()
	return p
}

func (p *serverProcess) awaitListeners(t *testing.T, lines <-chan string) {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for p.c2s == "" || p.http == "" {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("serve exited before listening: %s", p.stderr)
			}
			if a, ok := strings.CutPrefix(l, "c2s listening on "); ok {
				p.c2s = a
			}
			if a, ok := strings.CutPrefix(l, "http listening on "); ok {
				p.http = a
			}
		case <-deadline:
			t.Fatalf("serve printed no listeners within 30s: %s", p.stderr)
		}
	}
}

// kill ends the process with SIGKILL, as a crash would, by its PID.
func (p *serverProcess) kill(t *testing.T) {
	t.Helper()
	if err := syscall.Kill(p.cmd.Process.Pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-p.exited
}

// terminate sends SIGTERM and checks that the process exits 0 in time.
func (p *serverProcess) terminate(t *testing.T) {
	t.Helper()
	if err := syscall.Kill(p.cmd.Process.Pid, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.exited:
	case <-time.After(15 * time.Second):
		t.Fatalf("serve did not exit within 15s of SIGTERM: %s", p.stderr)
	}
	if p.exitErr != nil {
		t.Fatalf("serve exited with %v after SIGTERM: %s", p.exitErr, p.stderr)
	}
}

// integrityCheck opens the database file as the server would and runs
// SQLite's own consistency check.
func integrityCheck(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var res string
	if err := db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&res); err != nil {
		t.Fatalf("integrity_check: %v", err)
	}
	if res != "ok" {
		t.Fatalf("integrity_check: %s", res)
	}
}

// readUntil reads from r until stop returns true or the deadline passes,
// returning what was read.
func readUntil(r io.Reader, d time.Duration, stop func(seen string) bool) string {
	var mu sync.Mutex
	var seen strings.Builder
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 32<<10)
		for {
			n, err := r.Read(buf)
			mu.Lock()
			seen.Write(buf[:n])
			enough := stop(seen.String())
			mu.Unlock()
			if enough || err != nil {
				return
			}
		}
	}()
	select {
	case <-done:
	case <-time.After(d):
	}
	mu.Lock()
	defer mu.Unlock()
	return seen.String()
}
