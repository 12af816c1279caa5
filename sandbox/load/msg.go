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
	cfg, r := cfg.begin("msg", atLeast("pairs", pairs, 1), atLeast("messages", perPair, 1), atLeast("window", window, 0))
	if r.Err != nil {
		return r
	}
	r.add("pairs", float64(pairs))
	r.add("per_pair", float64(perPair))
	r.add("window", float64(window))
	ctx, cancel := context.WithTimeout(context.Background(), cfg.Timeout)
	defer cancel()
	run := newMsgRun(pairs, perPair, window)
	rx, err := newReactor()
	if err != nil {
		r.Err = err
		return r
	}
	defer rx.close()
	receivers, err := cfg.openMany(ctx, rx, pairs, pairs, run.receive)
	if err != nil {
		r.Err = err
		return r
	}
	senders, err := cfg.openMany(ctx, rx, 0, pairs, ignore)
	if err != nil {
		r.Err = err
		return r
	}
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
	base     time.Time // the origin of the sending times in bodies
	pairs    []msgPair
	received atomic.Int64
	errors   atomic.Int64
	left     atomic.Int64
	done     chan struct{}
}

// msgPair is one sender and its receiver. With a window, the receiver's
// reading goroutine sends the sender's next message itself on each
// receipt: handing the receipt to a sending goroutine would cost a
// wake-up per message, on the CPUs the server under test needs.
type msgPair struct {
	mu     sync.Mutex // the sender's writer and sent
	sender *session
	to     string
	sent   int
	buf    []byte
	lat    []time.Duration // the receiver's, read once all is done
}

func newMsgRun(pairs, perPair, window int) *msgRun {
	run := &msgRun{perPair: perPair, window: window, done: make(chan struct{}), base: time.Now(),
		pairs: make([]msgPair, pairs)}
	run.left.Store(int64(pairs * perPair))
	for k := range run.pairs {
		run.pairs[k].lat = make([]time.Duration, 0, perPair)
	}
	return run
}

// receive handles an element arriving at receiver k.
func (run *msgRun) receive(k int, el []byte) {
	if !xclient.Is(el, "message") {
		return
	}
	p := &run.pairs[k]
	if string(xclient.Attr(el, "type")) == "error" {
		run.errors.Add(1)
	} else if ts := parseInt(xclient.ChildText(el, "<body>")); ts >= 0 && len(p.lat) < run.perPair {
		p.lat = append(p.lat, time.Since(run.base)-time.Duration(ts))
	}
	run.received.Add(1)
	if run.window > 0 {
		run.sendNext(p, 1)
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
		p := &run.pairs[k]
		p.mu.Lock()
		p.sender, p.to = s, receivers[k].c.JID
		p.mu.Unlock()
		wg.Go(func() { run.sendFirst(p) })
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

// sendFirst writes all of a sender's messages without a window, else
// as many as the window holds; receipts send the rest.
func (run *msgRun) sendFirst(p *msgPair) {
	if run.window > 0 {
		run.sendNext(p, run.window)
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for range run.perPair {
		p.buf = appendMessage(p.buf[:0], p.to, time.Since(run.base))
		p.sender.w.Write(p.buf)
	}
	p.sender.w.Flush()
}

// sendNext writes up to n more of a sender's messages and flushes them.
func (run *msgRun) sendNext(p *msgPair, n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.sender == nil {
		return // a message that is not ours, before the start
	}
	for ; n > 0 && p.sent < run.perPair; n-- {
		p.buf = appendMessage(p.buf[:0], p.to, time.Since(run.base))
		p.sender.w.Write(p.buf)
		p.sent++
	}
	p.sender.w.Flush()
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
	for k := range run.pairs {
		all = append(all, run.pairs[k].lat...)
	}
	return all
}
