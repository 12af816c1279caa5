package expect

import (
	"context"
	"math"
	"time"

	"github.com/xmppsandbox/xmppsandbox/sandbox/trace"
)

// Now, as the since of Wait, looks only at events that pass after the
// wait begins.
const Now uint64 = math.MaxUint64

// subscriberBuffer is how many events may queue for a waiter before the
// trace skips it; a gap is then read back from the ring.
const subscriberBuffer = 1024

// NoMatchError is a wait that ended without a matching event.
type NoMatchError struct {
	Waited  time.Duration
	Closest []Candidate // the events that met the most criteria, best first
	Err     error       // why the wait ended: the context's error
}

// Error says how long the wait lasted.
func (e *NoMatchError) Error() string {
	return "no matching stanza within " + e.Waited.String()
}

// Unwrap returns the context's error, so errors.Is can tell a deadline
// from a cancellation.
func (e *NoMatchError) Unwrap() error { return e.Err }

// Wait returns the first event with a sequence number above since that m
// matches, looking first at the events buf still keeps and then at new
// ones, until ctx ends. since 0 takes everything kept; Now only what
// comes next. It subscribes before it reads the kept events, so no event
// falls between the two.
func Wait(ctx context.Context, buf *trace.Buffer, m *Matcher, since uint64) (trace.Event, error) {
	start := time.Now()
	events, last, cancel := buf.Subscribe(subscriberBuffer)
	defer cancel()
	if since == Now {
		since = last
	}
	w := &waiter{m: m, buf: buf, since: since, seen: min(since, last)}
	if e, ok := w.catchUp(last); ok {
		return e, nil
	}
	for {
		select {
		case e := <-events:
			if got, ok := w.next(e); ok {
				return got, nil
			}
		case <-ctx.Done():
			return trace.Event{}, &NoMatchError{Waited: waited(ctx, start), Closest: w.closest.list, Err: ctx.Err()}
		}
	}
}

// waiter is the state of one wait: what it has looked at, and the near
// misses so far.
type waiter struct {
	m       *Matcher
	buf     *trace.Buffer
	since   uint64 // only events after it count
	seen    uint64 // the highest sequence number looked at
	closest ranking
}

// next looks at a new event, after any the subscription skipped.
func (w *waiter) next(e trace.Event) (trace.Event, bool) {
	if e.Seq <= w.seen {
		return trace.Event{}, false
	}
	if e.Seq > w.seen+1 {
		if got, ok := w.catchUp(e.Seq - 1); ok {
			return got, true
		}
	}
	return e, w.look(e)
}

// catchUp looks at the kept events after the last one seen, up to and
// including upTo.
func (w *waiter) catchUp(upTo uint64) (trace.Event, bool) {
	for _, e := range w.buf.Since(w.seen) {
		if e.Seq > upTo {
			break
		}
		if w.look(e) {
			return e, true
		}
	}
	w.seen = max(w.seen, upTo)
	return trace.Event{}, false
}

// look checks one event, keeping it as a candidate if it misses.
func (w *waiter) look(e trace.Event) bool {
	w.seen = e.Seq
	if e.Seq <= w.since {
		return false
	}
	missed := w.m.check(&event{Event: e})
	if len(missed) == 0 {
		return true
	}
	w.closest.offer(Candidate{Event: e, Missed: missed}, w.m.Criteria()-len(missed))
	return false
}

// waited is how long the wait lasted: up to its deadline when it had one,
// rounded so that a 5s timeout reads as 5s.
func waited(ctx context.Context, start time.Time) time.Duration {
	if d, ok := ctx.Deadline(); ok && !time.Now().Before(d) {
		return d.Sub(start).Round(10 * time.Millisecond)
	}
	return time.Since(start).Round(time.Millisecond)
}
