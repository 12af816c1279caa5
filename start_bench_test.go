package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xmppsandbox/xmppsandbox/sandbox/xclient"
)

// BenchmarkStartToFirstLogin measures, per op, a new process serving the
// default fixtures until a client has logged in as mine (PLAIN, loopback).
func BenchmarkStartToFirstLogin(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "xmppsandbox")
	if out, err := exec.Command("go", "build", "-tags", "urfave_cli_no_docs", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		startAndLogin(b, bin)
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000, "ms/start")
}

func startAndLogin(b *testing.B, bin string) {
	cmd := exec.Command(bin, "serve", "--fixtures", "fixtures", "--c2s", "127.0.0.1:0", "--http", "127.0.0.1:0", "--no-watch")
	cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+b.TempDir())
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	addr := listening(b, out, "c2s listening on ")
	c, err := xclient.Dial(addr, "mine", "mine", xclient.Options{Domain: "localhost", Timeout: 5 * time.Second})
	if err != nil {
		b.Fatal(err)
	}
	c.Close()
}

func listening(b *testing.B, out interface{ Read([]byte) (int, error) }, prefix string) string {
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if addr, ok := strings.CutPrefix(sc.Text(), prefix); ok {
			return addr
		}
	}
	b.Fatalf("the server never printed %q", prefix)
	return ""
}
