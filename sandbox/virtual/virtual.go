// Package virtual keeps users online without a client. A virtual contact
// is a router session whose connection is code: it announces its presence
// through the path a client's presence takes, so its contacts see it and
// their probes are answered, it answers what a client must answer, and it
// can echo messages or rotate its show. The sandbox runs the contacts its
// fixtures declare online, and the users of a simulation.
package virtual

import (
	"maps"
	"slices"
	"sync"

	"mellium.im/xmpp/jid"

	"github.com/xmppsandbox/xmppsandbox/sandbox/router"
)

// Resource is the resource every virtual contact binds.
const Resource = "sandbox"

// Host is the server as a virtual contact's client sees it.
type Host interface {
	// Send handles a stanza the session sent, its from already stamped,
	// as the server handles a client's: presence is broadcast, the rest
	// routed.
	Send(p *router.Packet)
	// Closed runs once the session ends, before it is unregistered, so
	// that its unavailable presence still reaches its contacts.
	Closed(s *router.Session)
}

// Manager runs one group of virtual contacts of a domain.
type Manager struct {
	domain string
	router *router.Router
	host   Host
	work   *worker

	mu       sync.Mutex
	contacts map[string]*contact // by localpart
	closed   bool
}

// New returns a manager whose contacts register with r and act through h.
func New(domain string, r *router.Router, h Host) *Manager {
	return &Manager{domain: domain, router: r, host: h, work: newWorker(), contacts: map[string]*contact{}}
}

// Set starts the contact called name (a localpart of an existing
// account), or makes the running one behave as spec says.
func (m *Manager) Set(name string, spec Spec) error {
	c, isNew, err := m.contact(name, spec)
	if err != nil || c == nil {
		return err
	}
	if isNew {
		c.start()
	} else {
		c.update(spec)
	}
	return nil
}

// contact returns the running contact called name, or a new one already
// listed, so that a Stop racing with its start finds it. It returns nil
// once the manager is closed.
func (m *Manager) contact(name string, spec Spec) (*contact, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return nil, false, nil
	}
	if c, ok := m.contacts[name]; ok {
		return c, false, nil
	}
	full, err := jid.New(name, m.domain, Resource)
	if err != nil {
		return nil, false, err
	}
	c := newContact(m, full, spec)
	m.contacts[name] = c
	return c, true, nil
}

// Stop ends name's session: its contacts see it leave, as when a client
// closes its stream.
func (m *Manager) Stop(name string) {
	m.mu.Lock()
	c := m.contacts[name]
	delete(m.contacts, name)
	m.mu.Unlock()
	if c != nil {
		c.stop()
	}
}

// Sync makes the running contacts exactly want: those not in it leave,
// the others start or change.
func (m *Manager) Sync(want map[string]Spec) error {
	for _, name := range m.Names() {
		if _, ok := want[name]; !ok {
			m.Stop(name)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(want)) {
		if err := m.Set(name, want[name]); err != nil {
			return err
		}
	}
	return nil
}

// Names returns the running contacts' localparts, sorted.
func (m *Manager) Names() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Sorted(maps.Keys(m.contacts))
}

// Close stops every contact and refuses to start more.
func (m *Manager) Close() {
	m.mu.Lock()
	m.closed = true
	all := m.contacts
	m.contacts = map[string]*contact{}
	m.mu.Unlock()
	for _, name := range slices.Sorted(maps.Keys(all)) {
		all[name].stop()
	}
	m.work.close()
}

// ended forgets c after its session was closed from outside (a kick, a
// conflicting login, a removed account), unless it was replaced already.
func (m *Manager) ended(c *contact) {
	c.stop()
	name := c.sess.JID.Localpart()
	m.mu.Lock()
	if m.contacts[name] == c {
		delete(m.contacts, name)
	}
	m.mu.Unlock()
}

// running returns the contact called name, nil if none runs.
func (m *Manager) running(name string) *contact {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.contacts[name]
}
