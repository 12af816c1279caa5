package main

import (
	"strings"
	"testing"
)

// TestResetThroughTheCLI changes a roster at run time, resets, and finds
// the fixtures again with the session gone.
func TestResetThroughTheCLI(t *testing.T) {
	t.Parallel()
	srv := startServe(t, strangers)
	mine := loginTo(t, srv.c2s, srv.domain, "mine", "mine")
	srv.run(t, "roster", "remove", "mine", "admin@localhost")
	if items := rosterItems(t, srv, "mine"); len(items) != 0 {
		t.Fatalf("setup: roster remove left %v", items)
	}
	if out := srv.run(t, "reset"); !strings.Contains(out, "reset to the fixtures") {
		t.Fatalf("reset printed %q", out)
	}
	mine.waitEnded()
	if items := rosterItems(t, srv, "mine"); items["admin@localhost"].Subscription != "both" {
		t.Fatalf("after reset, mine's roster is %v, want admin at both", items)
	}
	if out := srv.run(t, "sessions"); strings.Contains(out, "mine@") {
		t.Fatalf("after reset, sessions printed:\n%s", out)
	}
}
