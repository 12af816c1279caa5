package sandbox_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xmppsandbox/xmppsandbox/sandbox/sandboxtest"
	"github.com/xmppsandbox/xmppsandbox/sandbox/sandboxtest/script"
)

// Environment variables that point the conversation tests elsewhere.
const (
	// scansionDirEnv names a directory of scansion scripts from outside the
	// repository (such as Prosody's) to run against the sandbox as well.
	scansionDirEnv = "XMPPSANDBOX_SCANSION_DIR"
	// scansionOnlyEnv restricts both suites to a comma-separated list of
	// script base names, with or without ".scs".
	scansionOnlyEnv = "XMPPSANDBOX_SCANSION_ONLY"
)

// knownBug returns why one of our scripts is skipped: it shows a server
// bug not yet fixed. "" means the script runs.
func knownBug(name string) string {
	return ""
}

// TestConversations runs every script of testdata/conversations, each on a
// fresh server.
func TestConversations(t *testing.T) {
	runScripts(t, filepath.Join("testdata", "conversations"), knownBug)
}

// TestScansionDir runs an external directory of scansion scripts, named by
// XMPPSANDBOX_SCANSION_DIR, so a conformance suite can be checked without
// copying it into the repository.
func TestScansionDir(t *testing.T) {
	dir := os.Getenv(scansionDirEnv)
	if dir == "" {
		t.Skip(scansionDirEnv + " is not set")
	}
	runScripts(t, dir, func(string) string { return "" })
}

// runScripts runs each *.scs file of dir as a parallel subtest, skipping
// those for which skip gives a reason.
func runScripts(t *testing.T, dir string, skip func(name string) string) {
	files, err := filepath.Glob(filepath.Join(dir, "*.scs"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no *.scs file in %s", dir)
	}
	only := selected()
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".scs")
		if only != nil && !slices.Contains(only, name) {
			continue
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			runScript(t, file, skip(name))
		})
	}
}

// selected returns the base names XMPPSANDBOX_SCANSION_ONLY lists, or nil
// when it is unset.
func selected() []string {
	v := os.Getenv(scansionOnlyEnv)
	if v == "" {
		return nil
	}
	var names []string
	for _, n := range strings.Split(v, ",") {
		names = append(names, strings.TrimSuffix(strings.TrimSpace(n), ".scs"))
	}
	return names
}

// runScript parses file and, unless skipReason says why not, runs it on
// a fresh server holding the accounts of its clients. A skipped script
// is still parsed, so it cannot rot unnoticed.
func runScript(t *testing.T, file, skipReason string) {
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s, err := script.Parse(filepath.Base(file), f)
	if err != nil {
		t.Fatal(err)
	}
	if skipReason != "" {
		t.Skip(skipReason)
	}
	srv := sandboxtest.Start(t, script.FixturesFor(s, s.Domain()))
	s.Run(t, srv)
}
