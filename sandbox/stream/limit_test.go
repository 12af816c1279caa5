package stream

import (
	"io"
	"strings"
	"testing"
)

// messageOfSize returns a message stanza exactly n bytes long.
func messageOfSize(t testing.TB, n int) string {
	t.Helper()
	const open, close = `<message><body>`, `</body></message>`
	pad := n - len(open) - len(close)
	if pad < 0 {
		t.Fatalf("no message is %d bytes", n)
	}
	return open + strings.Repeat("a", pad) + close
}

func TestStanzaSizeLimit(t *testing.T) {
	const limit = 1024
	tests := []struct {
		name string
		body string
		cond string
	}{
		{name: "one byte under", body: messageOfSize(t, limit-1)},
		{name: "exactly at the limit", body: messageOfSize(t, limit)},
		{name: "at the limit after keepalives", body: "\n \n" + messageOfSize(t, limit)},
		{name: "one byte over", body: messageOfSize(t, limit+1), cond: PolicyViolation},
		{name: "far over", body: messageOfSize(t, 10*limit), cond: PolicyViolation},
		{name: "over in an attribute", body: `<message id='` + strings.Repeat("a", limit) + `'/>`, cond: PolicyViolation},
		{name: "over in a DTD", body: `<!DOCTYPE x [` + strings.Repeat(" ", limit) + `]>`, cond: PolicyViolation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := openStream(t, tt.body, limit).Next()
			if got := condition(err); got != tt.cond {
				t.Fatalf("error %v, want %q", err, tt.cond)
			}
		})
	}
}

// TestSizeLimitIsPerStanza checks that each stanza gets the whole
// allowance: many stanzas near the limit add up to far more than it.
func TestSizeLimitIsPerStanza(t *testing.T) {
	const limit = 512
	one := messageOfSize(t, limit)
	r := openStream(t, strings.Repeat(one, 20)+`</stream:stream>`, limit)
	for i := range 20 {
		if _, err := r.Next(); err != nil {
			t.Fatalf("stanza %d: %v", i, err)
		}
	}
	if _, err := r.Next(); err != ErrClosed {
		t.Fatalf("end: %v, want ErrClosed", err)
	}
}

// countingReader counts the bytes the stream reader pulls from it.
type countingReader struct {
	r    io.Reader
	read int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.read += n
	return n, err
}

// endless yields 'a' forever.
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'a'
	}
	return len(p), nil
}

// TestOversizedStanzaIsNotBuffered checks that the reader refuses a huge
// stanza while reading it: it must stop pulling bytes soon after the
// limit, whatever the peer still has to send.
func TestOversizedStanzaIsNotBuffered(t *testing.T) {
	const limit, readAhead = 4096, 4096
	for _, start := range []string{`<message><body>`, `<message id='`, `<!-- `, `<!DOCTYPE x [`} {
		t.Run(start, func(t *testing.T) {
			src := &countingReader{r: io.MultiReader(strings.NewReader(clientHeader+start), endless{})}
			r := NewReader(src, limit)
			if _, err := r.Header(); err != nil {
				t.Fatal(err)
			}
			_, err := r.Next()
			if condition(err) != PolicyViolation {
				t.Fatalf("error %v, want %s", err, PolicyViolation)
			}
			if max := len(clientHeader) + limit + readAhead; src.read > max {
				t.Fatalf("pulled %d bytes for a %d-byte limit; at most %d expected", src.read, limit, max)
			}
		})
	}
}
