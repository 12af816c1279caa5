package load

import "testing"

func TestParseInt(t *testing.T) {
	tests := []struct {
		in   string
		want int64
	}{
		{"0", 0}, {"42", 42}, {"1234567890123", 1234567890123},
		{"", -1}, {"-1", -1}, {"1a", -1}, {"1234567890123456789", -1},
	}
	for _, tt := range tests {
		if got := parseInt([]byte(tt.in)); got != tt.want {
			t.Errorf("parseInt(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}
