package load

import (
	"os"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	ms := func(n ...int) []time.Duration {
		var d []time.Duration
		for _, v := range n {
			d = append(d, time.Duration(v)*time.Millisecond)
		}
		return d
	}
	tests := []struct {
		name string
		d    []time.Duration
		p    float64
		want float64
	}{
		{"none", nil, 50, 0},
		{"one", ms(7), 99, 7},
		{"median of unsorted", ms(5, 1, 3), 50, 3},
		{"nearest rank", ms(1, 2, 3, 4), 50, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := percentile(tt.d, tt.p); got != tt.want {
				t.Errorf("percentile = %v, want %v", got, tt.want)
			}
		})
	}
	hundred := make([]time.Duration, 100)
	for i := range hundred {
		hundred[i] = time.Duration(100-i) * time.Millisecond
	}
	if got := percentile(hundred, 99); got != 99 {
		t.Errorf("p99 of 1..100 ms = %v, want 99", got)
	}
}

func TestProcessFigures(t *testing.T) {
	busy := time.Now()
	for time.Since(busy) < 30*time.Millisecond {
	}
	cpu, err := processCPU(os.Getpid())
	if err != nil || cpu <= 0 {
		t.Fatalf("processCPU = %v, %v", cpu, err)
	}
	if own := ownCPU(); own <= 0 {
		t.Fatalf("ownCPU = %v", own)
	}
	kib, err := residentKiB(os.Getpid())
	if err != nil || kib <= 0 {
		t.Fatalf("residentKiB = %v, %v", kib, err)
	}
	if _, err := residentKiB(-1); err == nil {
		t.Fatal("no error for a process that cannot exist")
	}
}
