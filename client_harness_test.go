package main

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// commandTimeout bounds one run of a client command.
const commandTimeout = 30 * time.Second

// startTimeout bounds how long a server may take to print its addresses.
const startTimeout = 20 * time.Second

// cliBinary is the path of the binary TestMain builds; it is written once,
// before any test runs, and only read afterwards.
var cliBinary string

// configDir keeps the generated certificate of every server the tests
// start, outside the developer's own configuration directory.
func configDir() string { return filepath.Join(filepath.Dir(cliBinary), "config") }

// childEnv is the environment of every process the tests start: the
// caller's, without any XMPPSANDBOX_ or NO_COLOR setting that would change
// what is tested, plus extra.
func childEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "XMPPSANDBOX_") && !strings.HasPrefix(kv, "NO_COLOR=") && !strings.HasPrefix(kv, "XDG_CONFIG_HOME=") {
			env = append(env, kv)
		}
	}
	return append(append(env, "XDG_CONFIG_HOME="+configDir()), extra...)
}

// result is how a command ended.
type result struct {
	code   int
	stdout string
	stderr string
}

// runCLI runs the binary with args, giving it stdin, and waits for it.
func runCLI(t *testing.T, env []string, stdin string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, cliBinary, args...)
	cmd.Env = childEnv(env...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("xmppsandbox %s did not end within %s", strings.Join(args, " "), commandTimeout)
	}
	res := result{code: cmd.ProcessState.ExitCode(), stdout: out.String(), stderr: errOut.String()}
	if _, isExit := err.(*exec.ExitError); err != nil && !isExit {
		t.Fatalf("xmppsandbox %s: %v", strings.Join(args, " "), err)
	}
	return res
}

// mustRun runs a command that must succeed and returns its output.
func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	res := runCLI(t, nil, "", args...)
	if res.code != 0 {
		t.Fatalf("xmppsandbox %s: exit %d, stderr %q", strings.Join(args, " "), res.code, res.stderr)
	}
	return res.stdout
}

// sandboxProcess is a running "xmppsandbox serve".
type sandboxProcess struct {
	c2s    string
	server string // the admin API's URL
	domain string
	stderr *syncBuffer
}

// startServe runs serve on free loopback ports with fixtures (YAML text,
// "" for none) in a fresh directory, and kills it when the test ends.
func startServe(t *testing.T, fixtures string, extra ...string) *sandboxProcess {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "fixtures")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if fixtures != "" {
		if err := os.WriteFile(filepath.Join(dir, "users.yaml"), []byte(fixtures), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	args := append([]string{"serve", "--fixtures", dir, "--c2s", "127.0.0.1:0", "--http", "127.0.0.1:0", "--no-watch"}, extra...)
	return startProcess(t, args)
}

// startProcess starts serve with args and waits for its two addresses.
func startProcess(t *testing.T, args []string) *sandboxProcess {
	t.Helper()
	cmd := exec.Command(cliBinary, args...)
	cmd.Env = childEnv()
	p := &sandboxProcess{domain: "localhost", stderr: &syncBuffer{}}
	cmd.Stderr = p.stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	addrs := readAddresses(out)
	select {
	case a := <-addrs:
		p.c2s, p.server = a["c2s"], "http://"+a["http"]
	case <-time.After(startTimeout):
		t.Fatalf("serve printed no addresses within %s; stderr:\n%s", startTimeout, p.stderr)
	}
	if p.c2s == "" || p.server == "http://" {
		t.Fatalf("serve ended before listening; stderr:\n%s", p.stderr)
	}
	return p
}

// readAddresses reads serve's "X listening on ADDR" lines and sends the
// addresses by listener once both are known, or what it has at the end.
func readAddresses(out interface{ Read([]byte) (int, error) }) <-chan map[string]string {
	ch := make(chan map[string]string, 1)
	go func() {
		addrs := map[string]string{}
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			name, addr, ok := strings.Cut(sc.Text(), " listening on ")
			if ok {
				addrs[name] = addr
			}
			if addrs["c2s"] != "" && addrs["http"] != "" {
				break
			}
		}
		ch <- addrs
		for sc.Scan() {
		}
	}()
	return ch
}

// run runs a client command against this server.
func (p *sandboxProcess) run(t *testing.T, args ...string) string {
	t.Helper()
	return mustRun(t, append(args, "--server", p.server)...)
}

// syncBuffer is a bytes.Buffer safe for a process and a test to share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
