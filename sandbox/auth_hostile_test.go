package sandbox_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/xmppsandbox/xmppsandbox/sandbox/c2s"
	"github.com/xmppsandbox/xmppsandbox/sandbox/sandboxtest"
)

// wrongPasswords checks the growing delay before failures, per account
// and per address, and that the right password is answered at once.
func wrongPasswords(t *testing.T, srv *sandboxtest.Server) {
	t.Run("one account from one address", func(t *testing.T) {
		w := dialWire(t, srv, "127.0.0.1")
		w.open()
		for n := 1; n <= 4; n++ {
			w.failsAfter(t, "mallory", "guess"+strconv.Itoa(n), c2s.AuthDelay(n))
		}
		w.succeedsAtOnce(t, "mallory", "mallory-pw")
	})
	t.Run("reset by success", func(t *testing.T) {
		w := dialWire(t, srv, "127.0.0.1")
		w.open()
		w.failsAfter(t, "mallory", "again", 0)
	})
	t.Run("many accounts from one address", func(t *testing.T) {
		w := dialWire(t, srv, "127.0.0.2")
		w.open()
		for n, user := range []string{"ghost1", "ghost2", "ghost3"} {
			w.failsAfter(t, user, "x", c2s.AuthDelay(n+1))
		}
	})
	t.Run("one account from many addresses", func(t *testing.T) {
		for n, addr := range []string{"127.0.0.3", "127.0.0.4", "127.0.0.5"} {
			w := dialWire(t, srv, addr)
			w.open()
			w.failsAfter(t, "bob", "x", c2s.AuthDelay(n+1))
		}
		w := dialWire(t, srv, "127.0.0.6")
		w.open()
		w.succeedsAtOnce(t, "bob", "bob-pw")
	})
}

// failsAfter tries a wrong password and checks the failure comes after
// about wait, not before.
func (w *wire) failsAfter(t *testing.T, user, password string, wait time.Duration) {
	t.Helper()
	start := time.Now()
	w.send(`<auth xmlns='` + nsSASL + `' mechanism='PLAIN'>` + plainPayload(user, password) + `</auth>`)
	f := w.expect("failure")
	took := time.Since(start)
	if f.FirstElement() == nil || f.FirstElement().Name.Local != "not-authorized" {
		t.Fatalf("failure %s, want not-authorized", f)
	}
	if took < wait || took > wait+500*time.Millisecond {
		t.Fatalf("%s's failure answered after %v, want about %v", user, took, wait)
	}
}

// succeedsAtOnce logs in with the right password, which no earlier
// failure may delay.
func (w *wire) succeedsAtOnce(t *testing.T, user, password string) {
	t.Helper()
	start := time.Now()
	w.send(`<auth xmlns='` + nsSASL + `' mechanism='PLAIN'>` + plainPayload(user, password) + `</auth>`)
	w.expect("success")
	if took := time.Since(start); took > 300*time.Millisecond {
		t.Fatalf("the right password took %v", took)
	}
}
