package load

import (
	"strings"
	"testing"
)

func TestReportMediansAndRatios(t *testing.T) {
	lines := strings.Join([]string{
		`{"scenario":"login","server":"sandbox","parallel":50,"logins_per_s":3000,"p50_ms":4}`,
		`{"scenario":"login","server":"other","parallel":50,"logins_per_s":1000,"p50_ms":8}`,
		`not a result: the progress lines of a run are skipped`,
		`{"scenario":"login","server":"sandbox","parallel":50,"logins_per_s":2000,"p50_ms":6}`,
		`{"scenario":"login","server":"other","parallel":50,"logins_per_s":1500,"p50_ms":9}`,
		`{"scenario":"login","server":"sandbox","parallel":50,"logins_per_s":4000,"p50_ms":5}`,
		`{"scenario":"msg","server":"sandbox","window":1,"msgs_per_s":10}`,
		`{"scenario":"msg","server":"sandbox","window":0,"msgs_per_s":99}`,
		`{"scenario":"login","server":"other","logins_per_s":1,"error":"timed out"}`,
	}, "\n")
	var out strings.Builder
	if err := Report(strings.NewReader(lines), &out, "sandbox"); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		"sandbox/other",
		"3000 (2000–4000)", // the median of three and their range
		"1250 (1000–1500)", // of two, their mean
		"2.40",             // 3000 / 1250
		"0.59",             // 5 / 8.5
		"msg window=1",
		"msg window=0",
		"left out, failed: login on other: timed out",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("report lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "parallel") {
		t.Errorf("a parameter is reported as a figure:\n%s", got)
	}
	if i, j := strings.Index(got, "logins_per_s"), strings.Index(got, "p50_ms"); i > j {
		t.Errorf("figures are not in measuring order:\n%s", got)
	}
}

func TestResultJSONKeepsOrderAndError(t *testing.T) {
	r := Result{Scenario: "idle", Server: `a "quoted" name`}
	r.add("conns", 5000)
	r.add("kib_per_conn", 12.5)
	r.Err = errTest("boom")
	want := `{"scenario":"idle","server":"a \"quoted\" name","conns":5000,"kib_per_conn":12.5,"error":"boom"}` + "\n"
	if got := string(r.JSON()); got != want {
		t.Fatalf("JSON = %s want %s", got, want)
	}
}

type errTest string

func (e errTest) Error() string { return string(e) }

func TestReportRefusesInputWithoutResults(t *testing.T) {
	for _, in := range []string{"", "== login, round 1\n{bad json\n", `{"server":"x"}` + "\n"} {
		var out strings.Builder
		if err := Report(strings.NewReader(in), &out, "sandbox"); err == nil || !strings.Contains(err.Error(), "no results") {
			t.Errorf("Report(%q) = %v, printing %q; want an error saying there are no results", in, err, out.String())
		}
	}
}
