package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
)

// ANSI styles used when the output is a terminal.
const (
	styleBold  = "\x1b[1m"
	styleDim   = "\x1b[2m"
	styleCyan  = "\x1b[36m"
	styleGreen = "\x1b[32m"
	styleReset = "\x1b[0m"
)

// output writes a command's results, coloured only for a terminal.
type output struct {
	w      io.Writer
	colour bool
}

// stdout returns the output for the process's standard output. Colour
// follows the NO_COLOR convention (no-color.org): any value turns it off.
func stdout() *output {
	_, noColour := os.LookupEnv("NO_COLOR")
	return &output{w: os.Stdout, colour: !noColour && isTerminal(os.Stdout)}
}

// isTerminal reports whether f is a character device, such as a terminal.
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// style wraps text in an ANSI style when colour is on.
func (o *output) style(style, text string) string {
	if !o.colour {
		return text
	}
	return style + text + styleReset
}

// line prints one line.
func (o *output) line(format string, args ...any) {
	fmt.Fprintf(o.w, format+"\n", args...)
}

// json prints an API answer, indented for reading.
func (o *output) json(data []byte) {
	var buf bytes.Buffer
	if json.Indent(&buf, bytes.TrimSpace(data), "", "  ") != nil {
		o.w.Write(data)
		return
	}
	buf.WriteByte('\n')
	o.w.Write(buf.Bytes())
}

// table prints rows aligned under header. A row whose style is not empty
// is printed in that style; the header is bold.
type table struct {
	header []string
	rows   [][]string
	styles []string
}

// add appends a row printed in style ("" for none). Cells are folded
// onto one line: a tab or newline in a status text would break the table.
func (t *table) add(style string, cells ...string) {
	for i, c := range cells {
		cells[i] = oneLine(c, 0)
	}
	t.rows = append(t.rows, cells)
	t.styles = append(t.styles, style)
}

// print aligns the table and then colours whole lines, since escape
// codes inside cells would count towards the column widths.
func (t *table) print(o *output) {
	var buf bytes.Buffer
	tw := tabwriter.NewWriter(&buf, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(t.header, "\t"))
	for _, r := range t.rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	tw.Flush()
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	styles := append([]string{styleBold}, t.styles...)
	for i, l := range lines {
		l = strings.TrimRight(l, " ")
		if styles[i] != "" {
			l = o.style(styles[i], l)
		}
		fmt.Fprintln(o.w, l)
	}
}

// orDash shows an empty cell as "-", keeping columns readable.
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// plural returns "1 thing" or "n things".
func plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}
