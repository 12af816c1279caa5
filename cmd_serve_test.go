package main

import (
	"strings"
	"testing"
)

func TestServeRefusesMeaninglessLimits(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		env  []string
		want string
	}{
		{[]string{"--max-stanza", "0"}, nil, "--max-stanza 0: want at least 1"},
		{[]string{"--max-queue", "-1"}, nil, "--max-queue -1: want at least 1"},
		{nil, []string{"XMPPSANDBOX_MAX_QUEUE_BYTES=-4"}, "--max-queue-bytes -4: want at least 1"},
		{[]string{"--rate-limit", "-2"}, nil, "--rate-limit -2: want 0 (no limit) or more"},
		{[]string{"--rate-burst", "-1"}, nil, "--rate-burst -1"},
		{[]string{"--auth-timeout", "-5s"}, nil, "--auth-timeout -5s: want a positive duration"},
	}
	for _, tt := range tests {
		// Were a limit taken, serve would run until the command's timeout.
		args := append([]string{"serve", "--c2s", "127.0.0.1:0", "--http", "127.0.0.1:0", "--no-watch"}, tt.args...)
		res := runCLI(t, tt.env, "", args...)
		if res.code != 1 || res.stdout != "" || strings.Count(res.stderr, "\n") != 1 || !strings.Contains(res.stderr, tt.want) {
			t.Errorf("xmppsandbox %s (env %v): exit %d, stdout %q, stderr %q; want exit 1 and one line with %q",
				strings.Join(args, " "), tt.env, res.code, res.stdout, res.stderr, tt.want)
		}
	}
}
