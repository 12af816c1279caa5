package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// progressWidth is the width of the bar in characters.
const progressWidth = 30

// progressEvery is the shortest time between two redraws.
const progressEvery = 100 * time.Millisecond

// progress draws a bar on a terminal, and does nothing on anything else
// so that logs and pipes stay clean.
type progress struct {
	w       io.Writer
	label   string
	total   int
	done    int
	enabled bool
	drawn   time.Time
}

// newProgress returns a bar for total steps on w, shown only if w is a
// terminal.
func newProgress(w io.Writer, label string, total int) *progress {
	f, ok := w.(*os.File)
	return &progress{w: w, label: label, total: total, enabled: ok && isTerminal(f) && total > 0}
}

// add counts n steps done and redraws at most every progressEvery.
func (p *progress) add(n int) {
	p.done += n
	if !p.enabled || time.Since(p.drawn) < progressEvery {
		return
	}
	p.drawn = time.Now()
	filled := p.done * progressWidth / p.total
	fmt.Fprintf(p.w, "\r%s [%s%s] %3d%%", p.label, strings.Repeat("#", filled),
		strings.Repeat("-", progressWidth-filled), p.done*100/p.total)
}

// finish erases the bar, leaving the line to what comes next.
func (p *progress) finish() {
	if p.enabled && !p.drawn.IsZero() {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}
