package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// provisioned writes a small comparison population and returns its
// sandbox fixtures as YAML text.
func provisioned(t *testing.T) string {
	t.Helper()
	out := t.TempDir()
	mustRun(t, "load", "provision", "--out", out, "--users", "10", "--ring", "2", "--fans", "3")
	for _, f := range []string{"sandbox/users.db", "prosody/localhost/accounts/hub.dat", "prosody/localhost/roster/fan3.dat", "ejabberd/users.xml"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("provision wrote no %s: %v", f, err)
		}
	}
	yaml, err := os.ReadFile(filepath.Join(out, "sandbox", "fixtures.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return string(yaml)
}

// loadJSON runs a scenario with --json and decodes its line.
func loadJSON(t *testing.T, args ...string) (map[string]any, string) {
	t.Helper()
	line := mustRun(t, append(append([]string{"load"}, args...), "--json")...)
	var got map[string]any
	if err := json.Unmarshal([]byte(line), &got); err != nil {
		t.Fatalf("load %s printed %q: %v", strings.Join(args, " "), line, err)
	}
	return got, line
}

func TestLoadScenariosFromTheCommandLine(t *testing.T) {
	t.Parallel()
	srv := startServe(t, provisioned(t))
	login, loginLine := loadJSON(t, "login", "--addr", srv.c2s, "--server", "here", "--logins", "6", "--parallel", "3")
	if login["scenario"] != "login" || login["server"] != "here" || login["logins"] != 6.0 {
		t.Errorf("login result: %v", login)
	}
	if _, ok := login["client_cpu_s"]; !ok {
		t.Errorf("no client_cpu_s in %v", login)
	}
	fanout, fanoutLine := loadJSON(t, "fanout", "--addr", srv.c2s, "--server", "here", "--users", "fan%d", "--contacts", "3", "--rounds", "2")
	if fanout["p99_ms"] == nil {
		t.Errorf("fanout result: %v", fanout)
	}
	table := mustRun(t, "load", "msg", "--addr", srv.c2s, "--pairs", "2", "--messages", "5", "--window", "1")
	if !strings.Contains(table, "msgs_per_s") || !strings.Contains(table, "msg on "+srv.c2s) {
		t.Errorf("msg table:\n%s", table)
	}
	res := runCLI(t, nil, loginLine+fanoutLine, "load", "report", "--baseline", "here")
	if res.code != 0 || !strings.Contains(res.stdout, "logins_per_s") || !strings.Contains(res.stdout, "fanout") {
		t.Errorf("report: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
}

func TestLoadRefusesBadUse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		want string
		// alone: the error is one line and nothing else is printed.
		alone bool
	}{
		{[]string{"load", "nosuch"}, `unknown command "nosuch"`, false},
		{[]string{"load", "login", "extra"}, `unexpected argument "extra"`, false},
		{[]string{"load", "ready"}, `"exec"`, false},
		{[]string{"load", "idle", "--addr", "127.0.0.1:1", "--conns", "1"}, "--pid", true},
		{[]string{"load", "fanout", "--contacts", "-1"}, "--contacts -1: want at least 1", true},
		{[]string{"load", "msg", "--pairs", "0"}, "--pairs 0: want at least 1", true},
		{[]string{"load", "login", "--addr", "nonsense"}, "--addr nonsense: want HOST:PORT", true},
		{[]string{"load", "provision", "--out", "x", "--users", "4", "--ring", "3"}, "--ring 3: want an even number below --users 4", true},
		{[]string{"load", "provision", "--out", "x", "--fans", "-1"}, "--fans -1: want 0 or more", true},
		{[]string{"load", "report", "/dev/null"}, "no results in the input", true},
	}
	for _, tt := range tests {
		res := runCLI(t, nil, "", tt.args...)
		if res.code == 0 || !strings.Contains(res.stderr+res.stdout, tt.want) {
			t.Errorf("xmppsandbox %s: exit %d, output %q, want an error with %q", strings.Join(tt.args, " "), res.code, res.stderr+res.stdout, tt.want)
		}
		if tt.alone && (res.stdout != "" || strings.Count(res.stderr, "\n") != 1) {
			t.Errorf("xmppsandbox %s printed %q and %q, want one line on standard error", strings.Join(tt.args, " "), res.stdout, res.stderr)
		}
	}
}
