package expect

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Timeouts of a request: the default, and the longest one allowed, which
// keeps a forgotten wait from holding a connection for long.
const (
	DefaultTimeout = 5 * time.Second
	MaxTimeout     = 10 * time.Minute
)

// Request is a wait as the admin API receives it in a query string:
// GET /api/expect?dir=&from=&to=&kind=&type=&match=&body=&timeout=&since=.
type Request struct {
	Filter  Filter
	Timeout time.Duration
	Since   uint64 // Now when the query has no since
}

// queryKeys returns the parameters a request may carry; any other is
// refused, so that a misspelt one is not silently ignored.
func queryKeys() []string {
	return []string{"dir", "from", "to", "kind", "type", "match", "body", "timeout", "since"}
}

// ParseQuery reads a request from a query string.
func ParseQuery(q url.Values) (Request, error) {
	for k := range q {
		if !slices.Contains(queryKeys(), k) {
			return Request{}, fmt.Errorf("unknown parameter %q: want one of %s", k, strings.Join(queryKeys(), ", "))
		}
	}
	r := Request{Filter: Filter{
		Dir: q.Get("dir"), From: q.Get("from"), To: q.Get("to"), Kind: q.Get("kind"),
		Type: q.Get("type"), Match: q.Get("match"), Body: q.Get("body"),
	}}
	var err error
	if r.Timeout, err = ParseTimeout(q.Get("timeout")); err != nil {
		return Request{}, err
	}
	r.Since = Now
	if s := q.Get("since"); s != "" {
		if r.Since, err = strconv.ParseUint(s, 10, 64); err != nil {
			return Request{}, fmt.Errorf("since must be a sequence number, not %q", s)
		}
	}
	return r, nil
}

// ParseTimeout reads a duration such as 5s or 1m30s, or a plain number of
// seconds; "" is DefaultTimeout.
func ParseTimeout(s string) (time.Duration, error) {
	if s == "" {
		return DefaultTimeout, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		secs, convErr := strconv.ParseFloat(s, 64)
		if convErr != nil {
			return 0, fmt.Errorf("timeout %q is not a duration such as 5s or 2m", s)
		}
		// Checked before converting: a float too large for a Duration
		// would not convert to a meaningful one.
		if !(secs > 0 && secs <= MaxTimeout.Seconds()) {
			return 0, timeoutRangeError(s)
		}
		d = time.Duration(secs * float64(time.Second))
	}
	if d <= 0 || d > MaxTimeout {
		return 0, timeoutRangeError(s)
	}
	return d, nil
}

func timeoutRangeError(s string) error {
	return fmt.Errorf("timeout %s must be above 0 and at most %s", s, MaxTimeout)
}

// Query encodes r as ParseQuery reads it.
func (r Request) Query() url.Values {
	q := url.Values{}
	set := func(k, v string) {
		if v != "" {
			q.Set(k, v)
		}
	}
	f := r.Filter
	set("dir", f.Dir)
	set("from", f.From)
	set("to", f.To)
	set("kind", f.Kind)
	set("type", f.Type)
	set("match", f.Match)
	set("body", f.Body)
	if r.Timeout > 0 {
		q.Set("timeout", r.Timeout.String())
	}
	if r.Since != Now {
		q.Set("since", strconv.FormatUint(r.Since, 10))
	}
	return q
}
