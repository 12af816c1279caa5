package sandbox

import (
	"path/filepath"
	"runtime"
	"testing"
)

// BenchmarkNewStartDefaultFixtures is New and Start on the repository's
// default fixtures in memory: the server's own share of `make run`'s
// start to first login.
func BenchmarkNewStartDefaultFixtures(b *testing.B) {
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(file), "..", "fixtures")
	b.ReportAllocs()
	for b.Loop() {
		srv, err := New(Config{Fixtures: dir, CertDir: b.TempDir(), NoWatch: true})
		if err != nil {
			b.Fatal(err)
		}
		if err := srv.Start(); err != nil {
			b.Fatal(err)
		}
		srv.Close()
	}
}
