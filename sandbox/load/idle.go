package load

import (
	"context"
	"slices"
	"time"
)

// quietFor is how long the connections stay silent before the server's
// memory is read, and settle how long it is then watched: what counts is
// the memory of connections that are idle, not of logins just finished,
// and every server's allocator and collector take a moment to return
// what the logins used (the sandbox's serve command, for one, gives
// memory back once it has been quiet for a quarter of a second).
const (
	quietFor = 3 * time.Second
	settle   = time.Second
	samples  = 10
)

// Idle opens n logged-in connections that then stay silent, and reports
// the growth of the server's resident memory (cfg.PID) per connection.
func Idle(cfg Config, n int) Result {
	cfg, r := cfg.begin("idle", atLeast("conns", n, 1), refuse(cfg.PID > 0, "idle needs the server's process id (--pid)"))
	if r.Err != nil {
		return r
	}
	r.add("conns", float64(n))
	ctx, cancel := context.WithTimeout(context.Background(), cfg.Timeout)
	defer cancel()
	before, err := settledKiB(ctx, cfg.PID)
	if err != nil {
		r.Err = err
		return r
	}
	m := startMeter(cfg.PID)
	rx, err := newReactor()
	if err != nil {
		r.Err = err
		return r
	}
	defer rx.close()
	if _, err := cfg.openMany(ctx, rx, 0, n, ignore); err != nil {
		r.Err = err
		return r
	}
	select {
	case <-time.After(quietFor):
	case <-ctx.Done():
	}
	after, err := settledKiB(ctx, cfg.PID)
	r.add("rss_before_kib", float64(before))
	r.add("rss_after_kib", float64(after))
	r.add("kib_per_conn", round3(float64(after-before)/float64(n)))
	m.finish(&r)
	r.Err = err
	return r
}

// settledKiB is the median of the resident sizes sampled over settle.
func settledKiB(ctx context.Context, pid int) (int64, error) {
	tick := time.NewTicker(settle / samples)
	defer tick.Stop()
	var got []int64
	for len(got) < samples {
		kib, err := residentKiB(pid)
		if err != nil {
			return 0, err
		}
		got = append(got, kib)
		select {
		case <-tick.C:
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
	slices.Sort(got)
	return got[len(got)/2], nil
}
