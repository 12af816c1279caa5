package load

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/xmppsandbox/xmppsandbox/sandbox/xclient"
)

// Login runs n full logins, parallel at once (0: cfg.Parallel): each
// opens a stream, authenticates with PLAIN, binds, gets its roster, sends
// initial presence and closes the stream, waiting for the server to close
// its side. Login i is made as user i modulo users (0: n), so that a few
// users can serve many logins; each binds a resource of its own, since
// two sessions of one user at one resource would have the server close
// the first (RFC 6120 §7.7.2.2). The latencies are from connect to roster
// result.
func Login(cfg Config, n, parallel, users int) Result {
	cfg, r := cfg.begin("login", atLeast("logins", n, 1), atLeast("parallel", parallel, 0), atLeast("user-count", users, 0))
	if r.Err != nil {
		return r
	}
	if parallel == 0 {
		parallel = cfg.Parallel
	}
	if users == 0 {
		users = n
	}
	ctx, cancel := context.WithTimeout(context.Background(), cfg.Timeout)
	defer cancel()
	lat := make([]time.Duration, n)
	var next, done, failed atomic.Int64
	var firstErr atomic.Value
	m := startMeter(cfg.PID)
	start := time.Now()
	var wg sync.WaitGroup
	for range min(parallel, n) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < n && ctx.Err() == nil; i = int(next.Add(1) - 1) {
				d, err := cfg.loginOnce(i, i%users)
				if err != nil {
					failed.Add(1)
					firstErr.CompareAndSwap(nil, err)
					continue
				}
				lat[done.Add(1)-1] = d
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	ok := int(done.Load())
	r.add("logins", float64(ok))
	r.add("parallel", float64(parallel))
	r.add("logins_per_s", perSecond(ok, elapsed))
	r.add("p50_ms", percentile(lat[:ok], 50))
	r.add("p99_ms", percentile(lat[:ok], 99))
	r.add("errors", float64(failed.Load()))
	m.finish(&r)
	r.Err = loginError(ctx, ok, n, firstErr.Load())
	return r
}

// loginError says why fewer than n logins succeeded.
func loginError(ctx context.Context, ok, n int, first any) error {
	switch {
	case first != nil:
		return fmt.Errorf("%d of %d logins failed, the first: %v", n-ok, n, first)
	case ok < n && ctx.Err() != nil:
		return fmt.Errorf("timed out after %d of %d logins", ok, n)
	}
	return nil
}

// loginOnce makes login number n, as the i-th user, and ends the
// session.
func (cfg Config) loginOnce(n, i int) (time.Duration, error) {
	start := time.Now()
	name, password := cfg.user(i)
	s, err := cfg.openAs(name, password, resource+strconv.Itoa(n))
	if err != nil {
		return 0, err
	}
	d := time.Since(start)
	defer s.c.Conn.Close()
	s.c.SetDeadline(time.Now().Add(cfg.loginTimeout()))
	s.w.WriteString("</stream:stream>")
	if err := s.w.Flush(); err != nil {
		return 0, err
	}
	// The session counts once the server has closed it: its presence
	// broadcasts and its teardown are part of a login's cost.
	if err := s.read(func([]byte) {}); err != xclient.ErrClosed && !xclient.IsEOF(err) {
		return 0, fmt.Errorf("closing: %w", err)
	}
	return d, nil
}
