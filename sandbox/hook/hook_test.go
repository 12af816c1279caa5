package hook

import (
	"reflect"
	"testing"
)

func TestFoldOrderAndStop(t *testing.T) {
	tests := []struct {
		name  string
		stopA bool
		want  []string
	}{
		{"all run in priority order", false, []string{"a", "b", "c"}},
		{"a stops the fold", true, []string{"a"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var f Fold[[]string]
			f.Add(50, func(acc []string) ([]string, bool) { return append(acc, "c"), true })
			f.Add(10, func(acc []string) ([]string, bool) { return append(acc, "a"), !tc.stopA })
			f.Add(20, func(acc []string) ([]string, bool) { return append(acc, "b"), true })
			if got := f.Run(nil); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("Run = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestRunCallsEveryHandler(t *testing.T) {
	var r Run[*int]
	r.Add(2, func(n *int) { *n *= 10 })
	r.Add(1, func(n *int) { *n += 1 })
	n := 1
	r.Run(&n)
	if n != 20 {
		t.Fatalf("n = %d, want 20 ((1+1)*10)", n)
	}
}
