package virtual

import (
	"math/rand/v2"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"mellium.im/xmpp/jid"

	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
)

// Load is the traffic a simulation makes with its users.
type Load struct {
	Presence float64 // presence changes a second, each by a random user
	Messages float64 // chat messages a second from random users to Target
	Target   jid.JID
	Duration time.Duration // 0 runs until Stop
}

// tickEvery is how often a run catches up with its rates: often enough
// that 1,000 events a second leave in small batches rather than bursts.
const tickEvery = 10 * time.Millisecond

// simShows are the shows a simulated user changes between; "" is plain
// available.
func simShows() []string { return []string{"", "away", "chat", "dnd", "xa"} }

// Run drives a load through running contacts of a manager.
type Run struct {
	m     *Manager
	names []string
	load  Load
	rng   *rand.Rand
	shows []int // index in simShows of each user's current show

	presences, messages atomic.Uint64
	stopOnce            sync.Once
	stop, done          chan struct{}
}

// Drive starts a load over the named contacts of m, which must be
// running with plain available presence. It runs until Stop or the
// load's duration ends; Done tells which came first.
func Drive(m *Manager, names []string, load Load) *Run {
	r := &Run{
		m: m, names: names, load: load,
		rng:   rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), uint64(len(names)))),
		shows: make([]int, len(names)),
		stop:  make(chan struct{}), done: make(chan struct{}),
	}
	go r.loop()
	return r
}

// Done is closed once the run stopped generating traffic.
func (r *Run) Done() <-chan struct{} { return r.done }

// Stop ends the run and waits for it.
func (r *Run) Stop() {
	r.stopOnce.Do(func() { close(r.stop) })
	<-r.done
}

// Counts returns the presence changes and messages sent so far.
func (r *Run) Counts() (presences, messages uint64) {
	return r.presences.Load(), r.messages.Load()
}

// loop sends, at each tick, the events the rates call for.
func (r *Run) loop() {
	defer close(r.done)
	if len(r.names) == 0 {
		return
	}
	t := time.NewTicker(tickEvery)
	defer t.Stop()
	start := time.Now()
	churn, messages := pacer{rate: r.load.Presence}, pacer{rate: r.load.Messages}
	var end <-chan time.Time
	if r.load.Duration > 0 {
		timer := time.NewTimer(r.load.Duration)
		defer timer.Stop()
		end = timer.C
	}
	for {
		select {
		case <-r.stop:
			return
		case <-end:
			return
		case now := <-t.C:
			elapsed := now.Sub(start).Seconds()
			for range churn.due(elapsed) {
				r.churn()
			}
			for range messages.due(elapsed) {
				r.message()
			}
		}
	}
}

// pacer spreads events at a rate over the ticks of a run.
type pacer struct {
	rate float64
	done uint64 // events due so far, sent or forgiven
}

// due returns how many events to send at a tick elapsed seconds after the
// start, so the average rate holds however the ticks fall. A run that
// fell more than a second behind (a stalled machine) forgives the
// backlog instead of flooding to catch up.
func (p *pacer) due(elapsed float64) uint64 {
	want := uint64(p.rate * elapsed)
	if want <= p.done {
		return 0
	}
	n := want - p.done
	if float64(n) > p.rate {
		n = uint64(p.rate)
	}
	p.done = want
	return n
}

// churn gives a random user another show.
func (r *Run) churn() {
	i := r.rng.IntN(len(r.names))
	shows := simShows()
	next := (r.shows[i] + 1 + r.rng.IntN(len(shows)-1)) % len(shows)
	r.shows[i] = next
	if c := r.m.running(r.names[i]); c != nil && c.setShow(shows[next]) {
		r.presences.Add(1)
	}
}

// message sends a chat message from a random user to the target.
func (r *Run) message() {
	n := r.messages.Load() + 1
	c := r.m.running(r.names[r.rng.IntN(len(r.names))])
	if c == nil {
		return
	}
	el := stanza.New(stanza.NSClient, stanza.Message, "type", "chat", "id", "sim-"+strconv.FormatUint(n, 10), "to", r.load.Target.String())
	el.Append(stanza.New(stanza.NSClient, "body").AppendText("simulated message " + strconv.FormatUint(n, 10)))
	if c.say(el, r.load.Target) {
		r.messages.Add(1)
	}
}
