package load

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/xmppsandbox/xmppsandbox/sandbox"
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
				if r := s.run(); r.Err != nil {
					b.Fatal(r.Err)
				}
			}
		})
	}
}

// BenchmarkStart starts and stops a sandbox serving the comparison's
// population: the server's part of the ready scenario.
func BenchmarkStart(b *testing.B) {
	dir := b.TempDir()
	fixtures := filepath.Join(dir, "fixtures")
	if err := comparison.WriteSandbox(filepath.Join(fixtures, "fixtures.yaml")); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		srv, err := sandbox.New(sandbox.Config{Fixtures: fixtures, CertDir: filepath.Join(dir, "cert"),
			C2S: "127.0.0.1:0", HTTP: "127.0.0.1:0", NoWatch: true})
		if err != nil {
			b.Fatal(err)
		}
		if err := srv.Start(); err != nil {
			b.Fatal(err)
		}
		srv.Close()
	}
}
