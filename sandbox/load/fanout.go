package load

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/xmppsandbox/xmppsandbox/sandbox/xclient"
)

// Fanout logs in contacts users, then hub, whose roster must hold them
// all at subscription both; once every contact has the hub's initial
// presence, the hub changes its presence rounds times, one round after
// the other, each with the round's number as its status. It measures, per
// round, the time until every contact has the change, and per contact the
// time until it has it.
func Fanout(cfg Config, hub, hubPassword string, contacts, rounds int) Result {
	cfg, r := cfg.begin("fanout", refuse(hub != "", "--hub must name the user whose contacts log in"),
		atLeast("contacts", contacts, 1), atLeast("rounds", rounds, 1))
	if r.Err != nil {
		return r
	}
	r.add("contacts", float64(contacts))
	r.add("rounds", float64(rounds))
	if hubPassword == "" {
		hubPassword = hub
	}
	ctx, cancel := context.WithTimeout(context.Background(), cfg.Timeout)
	defer cancel()
	run := newFanoutRun(hub+"@"+cfg.Domain, contacts, rounds)
	rx, err := newReactor()
	if err != nil {
		r.Err = err
		return r
	}
	defer rx.close()
	if _, err := cfg.openMany(ctx, rx, 0, contacts, run.receive); err != nil {
		r.Err = err
		return r
	}
	h, err := cfg.openAs(hub, hubPassword, resource)
	if err == nil {
		err = rx.add(h, func([]byte) {})
	}
	if err != nil {
		r.Err = err
		return r
	}
	if err := run.await(ctx, run.online, "the hub's initial presence", func() int64 { return int64(contacts) - run.seen.Load() }); err != nil {
		r.Err = err
		return r
	}
	m := startMeter(cfg.PID)
	err = run.play(ctx, h)
	whole, each := run.latencies()
	r.add("p50_ms", percentile(whole, 50))
	r.add("p99_ms", percentile(whole, 99))
	r.add("contact_p50_ms", percentile(each, 50))
	r.add("contact_p99_ms", percentile(each, 99))
	m.finish(&r)
	r.Err = err
	return r
}

// fanoutRun is the state of one fan-out scenario shared by its goroutines.
type fanoutRun struct {
	hubFrom  []byte // the hub's bare JID and the '/' of its resource
	contacts int
	base     time.Time
	sent     []time.Duration   // per round
	arrived  [][]time.Duration // per round, per contact
	seen     atomic.Int64      // contacts that have the hub's initial presence
	left     atomic.Int64      // contacts still to receive the current round
	online   chan struct{}
	roundEnd chan struct{}
}

func newFanoutRun(hubBare string, contacts, rounds int) *fanoutRun {
	run := &fanoutRun{hubFrom: []byte(hubBare + "/"), contacts: contacts, base: time.Now(),
		sent: make([]time.Duration, rounds), arrived: make([][]time.Duration, rounds),
		online: make(chan struct{}), roundEnd: make(chan struct{}, 1)}
	for i := range run.arrived {
		run.arrived[i] = make([]time.Duration, contacts)
	}
	return run
}

// receive handles an element arriving at contact k.
func (run *fanoutRun) receive(k int, el []byte) {
	if !xclient.Is(el, "presence") || !bytes.HasPrefix(xclient.Attr(el, "from"), run.hubFrom) || len(xclient.Attr(el, "type")) > 0 {
		return
	}
	status := xclient.ChildText(el, "<status>")
	if status == nil {
		if run.seen.Add(1) == int64(run.contacts) {
			close(run.online)
		}
		return
	}
	round := parseInt(status)
	if round < 0 || round >= int64(len(run.arrived)) || run.arrived[round][k] != 0 {
		return
	}
	run.arrived[round][k] = time.Since(run.base)
	if run.left.Add(-1) == 0 {
		run.roundEnd <- struct{}{}
	}
}

// play sends the rounds, each once the previous one has reached everyone.
func (run *fanoutRun) play(ctx context.Context, hub *session) error {
	for i := range run.sent {
		run.left.Store(int64(run.contacts))
		run.sent[i] = time.Since(run.base)
		hub.w.WriteString("<presence><status>" + strconv.Itoa(i) + "</status></presence>")
		if err := hub.w.Flush(); err != nil {
			return err
		}
		if err := run.await(ctx, run.roundEnd, "round "+strconv.Itoa(i), run.left.Load); err != nil {
			run.sent = run.sent[:i]
			return err
		}
	}
	return nil
}

// await waits for ready or fails at the deadline, saying how many
// contacts were missing.
func (run *fanoutRun) await(ctx context.Context, ready <-chan struct{}, what string, missing func() int64) error {
	select {
	case <-ready:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("timed out: %d of %d contacts never had %s (are they all the hub's contacts at subscription both?)", missing(), run.contacts, what)
	}
}

// latencies are, per round, the time until the last contact had it, and
// per contact and round, the time until that contact had it.
func (run *fanoutRun) latencies() (whole, each []time.Duration) {
	for i, sent := range run.sent {
		var last time.Duration
		for _, at := range run.arrived[i] {
			each = append(each, at-sent)
			last = max(last, at-sent)
		}
		whole = append(whole, last)
	}
	return whole, each
}
