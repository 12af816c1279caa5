package main

import "testing"

func TestShouldTrim(t *testing.T) {
	const mib = 1 << 20
	tests := []struct {
		name      string
		last, now memSample
		trimmedAt uint64
		want      bool
	}{
		{"busy and grown", memSample{0, 10 * mib}, memSample{5 * mib, 20 * mib}, 10 * mib, false},
		{"quiet and grown", memSample{5 * mib, 20 * mib}, memSample{5*mib + 1000, 20 * mib}, 10 * mib, true},
		{"quiet, not grown enough", memSample{5 * mib, 12 * mib}, memSample{5 * mib, 12 * mib}, 10 * mib, false},
		{"quiet, shrunk", memSample{5 * mib, 8 * mib}, memSample{5 * mib, 8 * mib}, 10 * mib, false},
		{"almost quiet", memSample{5 * mib, 20 * mib}, memSample{5*mib + quietAllocs - 1, 20 * mib}, 10 * mib, true},
		{"just busy", memSample{5 * mib, 20 * mib}, memSample{5*mib + quietAllocs, 20 * mib}, 10 * mib, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := shouldTrim(tt.last, tt.now, tt.trimmedAt); got != tt.want {
				t.Errorf("shouldTrim = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestReadMemMoves(t *testing.T) {
	before := readMem()
	keep := make([][]byte, 0, 64)
	for range 64 {
		keep = append(keep, make([]byte, 64<<10))
	}
	after := readMem()
	if after.allocs < before.allocs+uint64(len(keep))*(64<<10) {
		t.Errorf("allocs grew by %d, want at least %d", after.allocs-before.allocs, len(keep)*(64<<10))
	}
	_ = keep[len(keep)-1][0]
}
