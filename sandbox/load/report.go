package load

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"text/tabwriter"
)

// Report reads JSON result lines (as the scenarios print them, from any
// number of rounds and servers) and writes, for every scenario and
// figure, each server's median over the rounds with its range, and the
// ratio of the baseline server's median to each other server's.
func Report(in io.Reader, out io.Writer, baseline string) error {
	rs, err := readResults(in)
	if err != nil {
		return err
	}
	if len(rs.keys) == 0 && len(rs.failures) == 0 {
		return errors.New("no results in the input: want the lines of load --json")
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	servers := rs.servers
	header := "scenario\tfigure"
	for _, s := range servers {
		header += "\t" + s + " (median, range)"
	}
	for _, s := range servers {
		if s != baseline {
			header += "\t" + baseline + "/" + s
		}
	}
	fmt.Fprintln(tw, header+"\t")
	for _, key := range rs.keys {
		for _, fig := range rs.figures[key] {
			fmt.Fprintln(tw, rs.row(key, fig, baseline)+"\t")
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, f := range rs.failures {
		fmt.Fprintf(out, "left out, failed: %s\n", f)
	}
	return nil
}

// results are JSON result lines grouped by scenario, figure and server,
// each in the order first seen.
type results struct {
	keys     []string
	servers  []string
	figures  map[string][]string
	values   map[[3]string][]float64
	failures []string // runs that did not complete, left out of the medians
}

// readResults groups the lines of in; lines that are not results are
// skipped, so the output of a whole run can be fed in.
func readResults(in io.Reader) (*results, error) {
	rs := &results{figures: map[string][]string{}, values: map[[3]string][]float64{}}
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		var line map[string]any
		if json.Unmarshal(sc.Bytes(), &line) != nil || line["scenario"] == nil {
			continue
		}
		rs.add(line, sc.Bytes())
	}
	return rs, sc.Err()
}

// add files one result line.
func (rs *results) add(line map[string]any, raw []byte) {
	key := scenarioKey(line)
	server, _ := line["server"].(string)
	if msg, failed := line["error"].(string); failed {
		rs.failures = append(rs.failures, key+" on "+server+": "+msg)
		return
	}
	if !slices.Contains(rs.servers, server) {
		rs.servers = append(rs.servers, server)
	}
	if _, ok := rs.figures[key]; !ok {
		rs.keys = append(rs.keys, key)
	}
	for _, fig := range figureOrder(raw) {
		v, ok := line[fig].(float64)
		if !ok || isParameter(fig) {
			continue
		}
		if !slices.Contains(rs.figures[key], fig) {
			rs.figures[key] = append(rs.figures[key], fig)
		}
		rs.values[[3]string{key, fig, server}] = append(rs.values[[3]string{key, fig, server}], v)
	}
}

// scenarioKey names a scenario with the parameter that splits it in two:
// the message window.
func scenarioKey(line map[string]any) string {
	key, _ := line["scenario"].(string)
	if w, ok := line["window"].(float64); ok {
		key += " window=" + strconv.Itoa(int(w))
	}
	return key
}

// figureOrder lists a JSON object's keys in the order written.
func figureOrder(raw []byte) []string {
	dec := json.NewDecoder(bytes.NewReader(raw))
	var keys []string
	dec.Token()
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return keys
		}
		if k, ok := tok.(string); ok {
			keys = append(keys, k)
		}
		var skip json.RawMessage
		if dec.Decode(&skip) != nil {
			return keys
		}
	}
	return keys
}

// row is one figure of one scenario across servers.
func (rs *results) row(key, fig, baseline string) string {
	row := key + "\t" + fig
	medians := map[string]float64{}
	for _, s := range rs.servers {
		v := rs.values[[3]string{key, fig, s}]
		if len(v) == 0 {
			row += "\t-"
			continue
		}
		slices.Sort(v)
		medians[s] = median(v)
		row += fmt.Sprintf("\t%s (%s–%s)", format(medians[s]), format(v[0]), format(v[len(v)-1]))
	}
	for _, s := range rs.servers {
		if s == baseline {
			continue
		}
		b, okB := medians[baseline]
		o, okO := medians[s]
		if !okB || !okO || o == 0 {
			row += "\t-"
			continue
		}
		row += "\t" + strconv.FormatFloat(b/o, 'f', 2, 64)
	}
	return row
}

// isParameter reports a figure that only restates how the scenario was
// run, the same for every server.
func isParameter(fig string) bool {
	switch fig {
	case "pairs", "per_pair", "window", "contacts", "rounds", "conns", "parallel":
		return true
	}
	return false
}

// median of sorted values: the middle one, or the mean of the two middle
// ones.
func median(sorted []float64) float64 {
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}
