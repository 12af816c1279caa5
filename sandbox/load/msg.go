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

// Messages has pairs senders each send perPair chat messages to their own
// receiver, all pairs at once. With window 0 every sender writes all its
// messages at once (in batches as large as its buffer); with window w, at
// most w of a sender's messages are in flight, a receipt letting the next
// one go. Each body holds the sending time, from which the receiver takes
// the latency. Users 0..pairs-1 send to users pairs..2·pairs-1.
func Messages(cfg Config, pairs, perPair, window int) Result {
	cfg = cfg.defaults()
	r := Result{Scenario: "msg", Server: cfg.Server}
	r.add("pairs", float64(pairs))
	r.add("per_pair", float64(perPair))
	r.add("window", float64(window))
	ctx, cancel := context.WithTimeout(context.Background(), cfg.Timeout)
	defer cancel()
	run := newMsgRun(pairs, perPair, window)
	receivers, err := cfg.openMany(ctx, pairs, pairs, run.receive)
	if err != nil {
		r.Err = err
		return r
	}
	defer closeAll(receivers)
	senders, err := cfg.openMany(ctx, 0, pairs, ignore)
	if err != nil {
		r.Err = err
		return r
	}
	defer closeAll(senders)
	m := startMeter(cfg.PID)
	elapsed, err := run.send(ctx, senders, receivers)
	total := int(run.received.Load())
	r.add("msgs", float64(total))
	r.add("msgs_per_s", perSecond(total, elapsed))
	lat := run.latencies()
	r.add("p50_ms", percentile(lat, 50))
	r.add("p99_ms", percentile(lat, 99))
	r.add("errors", float64(run.errors.Load()))
	m.finish(&r)
	r.Err = err
	return r
}

// msgRun is the state of one messages scenario shared by its goroutines.
type msgRun struct {
	perPair  int
	window   int
	base     time.Time       // the origin of the sending times in bodies
	inflight []chan struct{} // per pair, holding the messages in flight
	lat      [][]time.Duration
	received atomic.Int64
	errors   atomic.Int64
	left     atomic.Int64
	done     chan struct{}
}

func newMsgRun(pairs, perPair, window int) *msgRun {
	run := &msgRun{perPair: perPair, window: window, done: make(chan struct{}), base: time.Now(),
		inflight: make([]chan struct{}, pairs), lat: make([][]time.Duration, pairs)}
	run.left.Store(int64(pairs * perPair))
	for k := range pairs {
		run.lat[k] = make([]time.Duration, 0, perPair)
		if window > 0 {
			run.inflight[k] = make(chan struct{}, window)
		}
	}
	return run
}

// receive handles an element arriving at receiver k.
func (run *msgRun) receive(k int, el []byte) {
	if !xclient.Is(el, "message") {
		return
	}
	if string(xclient.Attr(el, "type")) == "error" {
		run.errors.Add(1)
	} else if ts := parseInt(xclient.ChildText(el, "<body>")); ts >= 0 && len(run.lat[k]) < run.perPair {
		run.lat[k] = append(run.lat[k], time.Since(run.base)-time.Duration(ts))
	}
	run.received.Add(1)
	if run.window > 0 {
		<-run.inflight[k]
	}
	if run.left.Add(-1) == 0 {
		close(run.done)
	}
}

// send starts every sender at once and waits for the last receipt.
func (run *msgRun) send(ctx context.Context, senders, receivers []*session) (time.Duration, error) {
	start := time.Now()
	var wg sync.WaitGroup
	for k, s := range senders {
		to := receivers[k].c.JID
		wg.Go(func() { run.sendAll(ctx, s, k, to) })
	}
	select {
	case <-run.done:
	case <-ctx.Done():
	}
	elapsed := time.Since(start)
	wg.Wait()
	if ctx.Err() != nil && run.left.Load() > 0 {
		return elapsed, fmt.Errorf("timed out with %d of %d messages received", run.received.Load(), len(senders)*run.perPair)
	}
	return elapsed, nil
}

// sendAll writes a sender's messages, flushing each at once when a window
// is in force and only when the buffer fills otherwise.
func (run *msgRun) sendAll(ctx context.Context, s *session, k int, to string) {
	buf := make([]byte, 0, 256)
	for range run.perPair {
		if run.window > 0 {
			select {
			case run.inflight[k] <- struct{}{}:
			case <-ctx.Done():
				return
			}
		}
		buf = appendMessage(buf[:0], to, time.Since(run.base))
		s.w.Write(buf)
		if run.window > 0 && len(run.inflight[k]) == run.window {
			if s.w.Flush() != nil {
				return
			}
		}
	}
	s.w.Flush()
}

// appendMessage writes a chat message whose body is the sending time.
func appendMessage(buf []byte, to string, sent time.Duration) []byte {
	buf = append(buf, "<message type='chat' to='"...)
	buf = append(buf, to...)
	buf = append(buf, "'><body>"...)
	buf = strconv.AppendInt(buf, int64(sent), 10)
	return append(buf, "</body></message>"...)
}

// latencies gathers every receiver's latencies.
func (run *msgRun) latencies() []time.Duration {
	var all []time.Duration
	for _, l := range run.lat {
		all = append(all, l...)
	}
	return all
}
