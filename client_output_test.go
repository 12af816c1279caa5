package main

import (
	"bytes"
	"testing"
)

func TestTableColoursWholeLinesOnly(t *testing.T) {
	for _, colour := range []bool{false, true} {
		var buf bytes.Buffer
		tb := &table{header: []string{"JID", "SUB"}}
		tb.add(styleGreen, "a@b", "both")
		tb.add("", "longer@example", "none")
		tb.print(&output{w: &buf, colour: colour})
		if want := alignedTable(colour); buf.String() != want {
			t.Errorf("colour %v: printed %q, want %q", colour, buf.String(), want)
		}
	}
}

// alignedTable is the expected table: the codes wrap lines that are
// aligned as if they were not there.
func alignedTable(colour bool) string {
	lines := []string{"JID             SUB", "a@b             both", "longer@example  none"}
	if colour {
		lines[0] = styleBold + lines[0] + styleReset
		lines[1] = styleGreen + lines[1] + styleReset
	}
	return lines[0] + "\n" + lines[1] + "\n" + lines[2] + "\n"
}

func TestCellsStayOnOneLine(t *testing.T) {
	var buf bytes.Buffer
	tb := &table{header: []string{"JID", "STATUS"}}
	tb.add("", "a@b", "gone\tfishing\nback soon")
	tb.print(&output{w: &buf})
	if want := "JID  STATUS\na@b  gone fishing back soon\n"; buf.String() != want {
		t.Fatalf("printed %q, want %q", buf.String(), want)
	}
}
