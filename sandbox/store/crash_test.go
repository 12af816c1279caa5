package store

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// crashDBEnv names the database file a child test process writes before
// it is killed.
const crashDBEnv = "STORE_CRASH_DB"

// TestCrashChild is the child side of TestSurvivesKill: it writes, reports
// that the calls returned, then blocks on stdin until it is killed.
func TestCrashChild(t *testing.T) {
	path := os.Getenv(crashDBEnv)
	if path == "" {
		t.Skip("runs only as the child of TestSurvivesKill")
	}
	s, err := Open(path)
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	ctx := context.Background()
	mustPutUsers(t, s, "alice")
	if _, err := s.PutRosterItem(ctx, RosterItem{Owner: "alice", Contact: "bob@x", Sub: SubBoth}); err != nil {
		fmt.Println("error:", err)
		return
	}
	fmt.Println("written")
	io.Copy(io.Discard, os.Stdin) // ends only if the parent goes away
}

func TestSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	path := filepath.Join(t.TempDir(), "crash.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$")
	cmd.Env = append(os.Environ(), crashDBEnv+"="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitForLine(t, out, "written")
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	s := openT(t, path)
	it, ok, err := s.RosterItem(context.Background(), "alice", "bob@x")
	if !ok || err != nil || it.Sub != SubBoth {
		t.Fatalf("after kill: item %+v ok %v err %v", it, ok, err)
	}
}

// waitForLine reads lines until want, failing on EOF or after a deadline.
func waitForLine(t *testing.T, r interface{ Read([]byte) (int, error) }, want string) {
	t.Helper()
	found := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			if sc.Text() == want {
				found <- true
				return
			}
			t.Logf("child: %s", sc.Text())
		}
		found <- false
	}()
	select {
	case ok := <-found:
		if !ok {
			t.Fatalf("child ended without printing %q", want)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("child did not print %q within 30s", want)
	}
}
