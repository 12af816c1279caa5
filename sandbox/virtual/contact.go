package virtual

import (
	"slices"
	"sync"
	"time"

	"mellium.im/xmpp/jid"

	"github.com/xmppsandbox/xmppsandbox/sandbox/router"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
)

// contact is one virtual user's session. Its mutex serialises what it
// sends, as a client's one reader does, and is never taken by what is
// delivered to it, which only queues work (see conn).
type contact struct {
	m    *Manager
	sess *router.Session

	mu      sync.Mutex
	spec    Spec
	step    int // index in spec.Cycle.Shows of the show last sent
	gen     int // bumped at each reschedule; an older tick does nothing
	timer   *time.Timer
	started bool
	stopped bool
}

func newContact(m *Manager, full jid.JID, spec Spec) *contact {
	c := &contact{m: m, spec: spec}
	c.sess = router.NewSession(full, conn{c})
	return c
}

// start binds the session and sends initial presence, which probes the
// contact's own contacts and reaches its subscribers (RFC 6121 §4.2).
func (c *contact) start() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.started || c.stopped {
		return
	}
	c.started = true
	c.m.router.Register(c.sess)
	c.announceDeclared()
}

// update applies a changed spec: a changed presence or rotation is sent
// at once and restarts the rotation from the declared show.
func (c *contact) update(spec Spec) {
	c.mu.Lock()
	defer c.mu.Unlock()
	old := c.spec
	c.spec = spec
	if c.stopped || !c.started {
		return
	}
	if !old.sameAnnouncement(spec) {
		c.announceDeclared()
	}
}

// announceDeclared sends the declared presence and (re)starts the
// rotation from it. The caller holds c.mu.
func (c *contact) announceDeclared() {
	c.step = slices.Index(c.spec.Cycle.Shows, c.spec.Show)
	c.announce(c.spec.Show)
	c.schedule()
}

// schedule arms the rotation's timer, replacing any earlier one. The
// caller holds c.mu.
func (c *contact) schedule() {
	c.gen++
	if c.timer != nil {
		c.timer.Stop()
		c.timer = nil
	}
	if !c.spec.cycles() {
		return
	}
	gen, every := c.gen, c.spec.Cycle.Every
	c.timer = time.AfterFunc(every, func() { c.tick(gen) })
}

// tick sends the rotation's next show and arms the next step.
func (c *contact) tick(gen int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped || gen != c.gen {
		return
	}
	shows := c.spec.Cycle.Shows
	c.step = (c.step + 1) % len(shows)
	c.announce(shows[c.step])
	c.timer.Reset(c.spec.Cycle.Every)
}

// setShow sends the declared presence with another show, outside any
// rotation: what a simulation's churn does.
func (c *contact) setShow(show string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped || !c.started {
		return false
	}
	c.announce(show)
	return true
}

// announce broadcasts available presence with show. The caller holds
// c.mu.
func (c *contact) announce(show string) {
	c.send(c.spec.presence(show), c.sess.JID.Bare())
}

// send hands the host a stanza from this session, stamped with its full
// JID as c2s stamps a client's (RFC 6120 §8.1.2.1). The caller holds c.mu.
func (c *contact) send(el *stanza.Element, to jid.JID) {
	el.Set("from", c.sess.Full)
	c.m.host.Send(&router.Packet{From: c.sess.JID, To: to, El: el, Sender: c.sess})
}

// stop ends the session as a closed stream does: unavailable to those
// who saw it, then unregistered. Stopping twice does nothing.
func (c *contact) stop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped {
		return
	}
	c.stopped = true
	c.gen++
	if c.timer != nil {
		c.timer.Stop()
	}
	if c.started {
		c.m.host.Closed(c.sess)
		c.m.router.Unregister(c.sess)
	}
}

// say sends a stanza the way the contact's client would.
func (c *contact) say(el *stanza.Element, to jid.JID) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped || !c.started {
		return false
	}
	c.send(el, to)
	return true
}
