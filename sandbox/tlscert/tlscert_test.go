package tlscert

import (
	"bytes"
	"testing"
)

func TestKeptIsStableAcrossRuns(t *testing.T) {
	dir := t.TempDir()
	first, err := Kept(dir, "localhost")
	if err != nil {
		t.Fatal(err)
	}
	second, err := Kept(dir, "localhost")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first.Certificate[0], second.Certificate[0]) {
		t.Fatal("a second run generated a new certificate instead of keeping the first")
	}
	other, err := Kept(dir, "example.test")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(first.Certificate[0], other.Certificate[0]) {
		t.Fatal("another domain got the same certificate")
	}
}
