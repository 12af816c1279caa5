package expect

import (
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseQuery(t *testing.T) {
	tests := []struct {
		query string
		want  Request
	}{
		{"", Request{Timeout: DefaultTimeout, Since: Now}},
		{"from=mine&kind=presence&type=subscribe&timeout=2s&since=0",
			Request{Filter: Filter{From: "mine", Kind: "presence", Type: "subscribe"}, Timeout: 2 * time.Second, Since: 0}},
		{"dir=in&to=mine1&match=body&body=hi&timeout=1.5&since=42",
			Request{Filter: Filter{Dir: "in", To: "mine1", Match: "body", Body: "hi"}, Timeout: 1500 * time.Millisecond, Since: 42}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			q, _ := url.ParseQuery(tt.query)
			got, err := ParseQuery(q)
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("ParseQuery = %+v, %v; want %+v", got, err, tt.want)
			}
			back, err := ParseQuery(got.Query())
			if err != nil || !reflect.DeepEqual(back, got) {
				t.Fatalf("Query() = %q reads back as %+v, %v", got.Query().Encode(), back, err)
			}
		})
	}
}

func TestParseQueryErrors(t *testing.T) {
	tests := []struct{ query, want string }{
		{"form=mine", `unknown parameter "form"`},
		{"timeout=soon", `timeout "soon" is not a duration`},
		{"timeout=0s", "timeout 0s must be above 0"},
		{"timeout=-1", "timeout -1 must be above 0"},
		{"timeout=NaN", "timeout NaN must be above 0"},
		{"timeout=1e300", "timeout 1e300 must be above 0 and at most 10m0s"},
		{"timeout=11m", "at most 10m0s"},
		{"since=-1", `since must be a sequence number, not "-1"`},
		{"since=now", `since must be a sequence number, not "now"`},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			q, _ := url.ParseQuery(tt.query)
			_, err := ParseQuery(q)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("ParseQuery(%q): %v, want %q", tt.query, err, tt.want)
			}
		})
	}
}
