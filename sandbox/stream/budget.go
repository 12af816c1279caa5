package stream

import (
	"bufio"
	"errors"
	"io"
)

// errOverBudget is returned by budgetReader once a stanza has used its
// byte allowance; the parser turns it into policy-violation.
var errOverBudget = errors.New("stanza over size limit")

// budgetReader hands the XML decoder bytes while the current stanza stays
// within its allowance, so an oversized stanza is refused while it is
// read, never buffered whole.
type budgetReader struct {
	r      *bufio.Reader
	left   int
	max    int
	offset int64
}

func newBudgetReader(r io.Reader, max int) *budgetReader {
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(r, 4096)
	}
	return &budgetReader{r: br, left: max, max: max}
}

// reset gives the next stanza a fresh allowance.
func (b *budgetReader) reset() { b.left = b.max }

func (b *budgetReader) ReadByte() (byte, error) {
	if b.left <= 0 {
		return 0, errOverBudget
	}
	c, err := b.r.ReadByte()
	if err == nil {
		b.left--
		b.offset++
	}
	return c, err
}

func (b *budgetReader) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, errOverBudget
	}
	if len(p) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= n
	b.offset += int64(n)
	return n, err
}
