package sandbox_test

import (
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/xmppsandbox/xmppsandbox/sandbox/sandboxtest"
	"github.com/xmppsandbox/xmppsandbox/sandbox/xclient"
)

// BenchmarkInjectToDelivery measures the time from an inject request to
// the admin API until the client has the message, p50 and p99.
func BenchmarkInjectToDelivery(b *testing.B) {
	srv := sandboxtest.Start(b, seedUsers)
	c, err := xclient.Dial(srv.C2SAddr(), "mine", "mine", xclient.Options{Domain: "localhost", Resource: "r"})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	url := "http://" + srv.HTTPAddr() + "/api/inject/message"
	body := `{"from":"admin","to":"mine@localhost/r","body":"injected"}`
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		res, err := http.Post(url, "application/json", strings.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		res.Body.Close()
		for {
			el, err := c.Next()
			if err != nil {
				b.Fatal(err)
			}
			if el.Name.Local == "message" {
				break
			}
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}
