package load

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
)

// Result is what one run of a scenario measured.
type Result struct {
	Scenario string
	Server   string
	Metrics  []Metric
	Err      error // the run did not complete; Metrics hold what was measured
}

// Metric is one named figure.
type Metric struct {
	Name  string
	Value float64
}

// add appends a figure.
func (r *Result) add(name string, value float64) { r.Metrics = append(r.Metrics, Metric{name, value}) }

// Get returns a figure by name.
func (r Result) Get(name string) (float64, bool) {
	for _, m := range r.Metrics {
		if m.Name == name {
			return m.Value, true
		}
	}
	return 0, false
}

// JSON is the result as one line of JSON, its keys in measuring order.
func (r Result) JSON() []byte {
	var b bytes.Buffer
	b.WriteString(`{"scenario":`)
	b.Write(quote(r.Scenario))
	b.WriteString(`,"server":`)
	b.Write(quote(r.Server))
	for _, m := range r.Metrics {
		b.WriteByte(',')
		b.Write(quote(m.Name))
		b.WriteByte(':')
		b.WriteString(strconv.FormatFloat(m.Value, 'f', -1, 64))
	}
	if r.Err != nil {
		b.WriteString(`,"error":`)
		b.Write(quote(r.Err.Error()))
	}
	b.WriteString("}\n")
	return b.Bytes()
}

func quote(s string) []byte {
	q, _ := json.Marshal(s)
	return q
}

// Table writes the result for a person to read.
func (r Result) Table(w io.Writer) {
	fmt.Fprintf(w, "%s on %s\n", r.Scenario, r.Server)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	for _, m := range r.Metrics {
		fmt.Fprintf(tw, "  %s\t%s\t\n", m.Name, format(m.Value))
	}
	tw.Flush()
	if r.Err != nil {
		fmt.Fprintf(w, "  error: %v\n", r.Err)
	}
}

// format shows a figure with the digits that matter.
func format(v float64) string {
	switch {
	case v == float64(int64(v)):
		return strconv.FormatInt(int64(v), 10)
	case v >= 100 || v <= -100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 1 || v <= -1:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}
