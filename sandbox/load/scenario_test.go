package load

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/xmppsandbox/xmppsandbox/sandbox/sandboxtest"
)

// smallPopulation is the comparison's population, scaled down.
var smallPopulation = Population{Domain: "localhost", Users: 40, Ring: 4, Fans: 12}

// startPopulated starts a sandbox serving p and returns the load
// configuration that reaches it.
func startPopulated(t testing.TB, p Population) Config {
	t.Helper()
	file := filepath.Join(t.TempDir(), "fixtures.yaml")
	if err := p.WriteSandbox(file); err != nil {
		t.Fatal(err)
	}
	yaml, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	srv := sandboxtest.Start(t, string(yaml))
	return Config{Addr: srv.C2SAddr(), Domain: srv.Domain(), Server: "sandbox", Parallel: 8, Timeout: 30 * time.Second}
}

// figure returns a figure the result must have.
func figure(t testing.TB, r Result, name string) float64 {
	t.Helper()
	v, ok := r.Get(name)
	if !ok {
		t.Fatalf("%s has no %s: %s", r.Scenario, name, r.JSON())
	}
	return v
}

func TestScenarios(t *testing.T) {
	cfg := startPopulated(t, smallPopulation)
	t.Run("login", func(t *testing.T) {
		r := Login(cfg, 30, 6, 20)
		if r.Err != nil {
			t.Fatal(r.Err)
		}
		if got := figure(t, r, "logins"); got != 30 {
			t.Errorf("logins = %v, want 30", got)
		}
		if figure(t, r, "logins_per_s") <= 0 || figure(t, r, "p50_ms") <= 0 {
			t.Errorf("no rate or latency: %s", r.JSON())
		}
	})
	for _, window := range []int{0, 1, 3} {
		t.Run(fmt.Sprintf("msg window %d", window), func(t *testing.T) {
			r := Messages(cfg, 5, 40, window)
			if r.Err != nil {
				t.Fatal(r.Err)
			}
			if got := figure(t, r, "msgs"); got != 200 {
				t.Errorf("msgs = %v, want 200", got)
			}
			if figure(t, r, "errors") != 0 || figure(t, r, "p99_ms") < figure(t, r, "p50_ms") {
				t.Errorf("inconsistent: %s", r.JSON())
			}
		})
	}
	t.Run("fanout", func(t *testing.T) {
		fans := cfg
		fans.Users = "fan%d"
		r := Fanout(fans, "hub", "", smallPopulation.Fans, 5)
		if r.Err != nil {
			t.Fatal(r.Err)
		}
		if figure(t, r, "p99_ms") < figure(t, r, "contact_p99_ms") {
			t.Errorf("a round ended before its last contact had it: %s", r.JSON())
		}
	})
	t.Run("idle", func(t *testing.T) {
		idle := cfg
		idle.PID = os.Getpid() // the server runs in this process
		r := Idle(idle, 20)
		if r.Err != nil {
			t.Fatal(r.Err)
		}
		if figure(t, r, "rss_after_kib") <= 0 {
			t.Errorf("no memory read: %s", r.JSON())
		}
		if _, ok := r.Get("server_cpu_s"); !ok {
			t.Errorf("no server CPU with a pid: %s", r.JSON())
		}
	})
}

func TestFanoutReportsContactsThatNeverHearFromTheHub(t *testing.T) {
	cfg := startPopulated(t, smallPopulation)
	cfg.Timeout = 2 * time.Second
	// user1..user3 are not the hub's contacts: its presence never reaches them.
	r := Fanout(cfg, "hub", "", 3, 1)
	if r.Err == nil {
		t.Fatalf("no error: %s", r.JSON())
	}
}

func TestLoginReportsWrongPasswords(t *testing.T) {
	cfg := startPopulated(t, smallPopulation)
	cfg.Password = "wrong"
	r := Login(cfg, 4, 2, 0)
	if r.Err == nil || figure(t, r, "errors") != 4 {
		t.Fatalf("want 4 failed logins: %s", r.JSON())
	}
}

func TestIdleNeedsAProcess(t *testing.T) {
	r := Idle(Config{Addr: "127.0.0.1:1"}, 1)
	if r.Err == nil {
		t.Fatal("idle without a pid did not fail")
	}
}

// TestLoginSharesOneUserAtOnce logs one user in 12 times, 6 at once:
// each login binds a resource of its own, so none closes another.
func TestLoginSharesOneUserAtOnce(t *testing.T) {
	cfg := startPopulated(t, smallPopulation)
	r := Login(cfg, 12, 6, 1)
	if r.Err != nil || figure(t, r, "logins") != 12 {
		t.Fatalf("want 12 logins of user1: %v: %s", r.Err, r.JSON())
	}
}
