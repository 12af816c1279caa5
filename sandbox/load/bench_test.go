package load

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"testing"
	"time"

	"github.com/xmppsandbox/xmppsandbox/sandbox"
	"github.com/xmppsandbox/xmppsandbox/sandbox/sandboxtest"
)

// comparison is the population bench/compare.sh measures with.
var comparison = Population{Domain: "localhost", Users: 5000, Ring: 20, Fans: 500}

// BenchmarkScenarios runs the comparison's scenarios against a sandbox
// in this process, so that `go test -bench Scenarios -cpuprofile` shows
// where the server spends its time (the load generator's own functions
// are in this package and xclient).
func BenchmarkScenarios(b *testing.B) {
	cfg := startPopulated(b, comparison)
	cfg.Parallel = 50
	cfg.Timeout = 2 * time.Minute
	fans := cfg
	fans.Users = "fan%d"
	scenarios := []struct {
		name string
		run  func() Result
	}{
		{"login", func() Result { return Login(cfg, 2000, 50, 0) }},
		{"msg-blast", func() Result { return Messages(cfg, 200, 200, 0) }},
		{"msg-window", func() Result { return Messages(cfg, 200, 200, 1) }},
		{"fanout", func() Result { return Fanout(fans, "hub", "", 500, 100) }},
	}
	for _, s := range scenarios {
		b.Run(s.name, func(b *testing.B) {
			for b.Loop() {
				reportFigures(b, s.run())
			}
		})
	}
}

// reportFigures fails on a run that did not complete and reports its
// rates and latencies as the benchmark's metrics.
func reportFigures(b *testing.B, r Result) {
	b.Helper()
	if r.Err != nil {
		b.Fatal(r.Err)
	}
	for _, m := range r.Metrics {
		switch m.Name {
		case "logins_per_s", "msgs_per_s", "p50_ms", "p99_ms":
			b.ReportMetric(m.Value, m.Name)
		}
	}
}

// BenchmarkStart starts and stops a sandbox serving the comparison's
// population, from fixtures or from a database: the server's part of the
// ready scenario.
func BenchmarkStart(b *testing.B) {
	dir := b.TempDir()
	fixtures, none, db := filepath.Join(dir, "fixtures"), filepath.Join(dir, "none"), filepath.Join(dir, "users.db")
	if err := comparison.WriteSandbox(filepath.Join(fixtures, "fixtures.yaml")); err != nil {
		b.Fatal(err)
	}
	if err := comparison.WriteSandboxDB(context.Background(), db); err != nil {
		b.Fatal(err)
	}
	if err := os.MkdirAll(none, 0o755); err != nil {
		b.Fatal(err)
	}
	configs := []struct {
		name string
		cfg  sandbox.Config
	}{
		{"fixtures", sandbox.Config{Fixtures: fixtures}},
		{"db", sandbox.Config{Fixtures: none, DB: db}},
	}
	for _, c := range configs {
		b.Run(c.name, func(b *testing.B) {
			cfg := c.cfg
			cfg.CertDir, cfg.C2S, cfg.HTTP, cfg.NoWatch = filepath.Join(dir, "cert"), "127.0.0.1:0", "127.0.0.1:0", true
			for b.Loop() {
				srv, err := sandbox.New(cfg)
				if err != nil {
					b.Fatal(err)
				}
				if err := srv.Start(); err != nil {
					b.Fatal(err)
				}
				srv.Close()
			}
		})
	}
}

// heapProfileEnv names a file for BenchmarkIdleMemory's heap profile,
// written while the connections are open.
const heapProfileEnv = "LOAD_HEAP_PROFILE"

// BenchmarkIdleMemory opens the idle scenario's connections to a sandbox
// in this process and reports their cost in heap and goroutines. Both
// sides are in these figures; the heap profile (see heapProfileEnv) tells
// the server's allocations from the load generator's by package.
func BenchmarkIdleMemory(b *testing.B) {
	const conns = 5000
	cfg := startPopulated(b, comparison).defaults()
	cfg.Parallel = 50
	for b.Loop() {
		before, goroutines := memStats(), runtime.NumGoroutine()
		rx, err := newReactor()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := cfg.openMany(context.Background(), rx, 0, conns, ignore); err != nil {
			b.Fatal(err)
		}
		after := memStats()
		b.ReportMetric(float64(after.HeapInuse-before.HeapInuse)/conns/1024, "heap-KiB/conn")
		b.ReportMetric(float64(after.StackInuse-before.StackInuse)/conns/1024, "stack-KiB/conn")
		b.ReportMetric(float64(runtime.NumGoroutine()-goroutines)/conns, "goroutines/conn")
		writeHeapProfile(b)
		rx.close()
	}
}

// memStats collects garbage, then reads the runtime's memory figures.
func memStats() runtime.MemStats {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m
}

// writeHeapProfile writes the heap profile to the file heapProfileEnv
// names, if it names one.
func writeHeapProfile(b *testing.B) {
	name := os.Getenv(heapProfileEnv)
	if name == "" {
		return
	}
	f, err := os.Create(name)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if err := pprof.WriteHeapProfile(f); err != nil {
		b.Fatal(err)
	}
}

// seeded is the population of the large-store check: as many users as
// `xmppsandbox seed --users 100000 --contacts 20` writes, and the hub.
var seeded = Population{Domain: "localhost", Users: 100000, Ring: 20, Fans: 500}

// BenchmarkSeeded runs login and fan-out against a sandbox serving the
// seeded population from its database, to compare with
// BenchmarkScenarios' small population.
func BenchmarkSeeded(b *testing.B) {
	db := filepath.Join(b.TempDir(), "seeded.db")
	if err := seeded.WriteSandboxDB(context.Background(), db); err != nil {
		b.Fatal(err)
	}
	srv := sandboxtest.Start(b, "", func(c *sandbox.Config) { c.DB = db })
	cfg := Config{Addr: srv.C2SAddr(), Domain: srv.Domain(), Parallel: 50, Timeout: 2 * time.Minute, First: 40001}
	fans := cfg
	fans.Users, fans.First = "fan%d", 1
	b.Run("login", func(b *testing.B) {
		for b.Loop() {
			reportFigures(b, Login(cfg, 2000, 50, 0))
		}
	})
	b.Run("fanout", func(b *testing.B) {
		for b.Loop() {
			reportFigures(b, Fanout(fans, "hub", "", 500, 100))
		}
	})
}
