package roster

import (
	"context"
	"sort"

	"mellium.im/xmpp/jid"
)

// cached is one owner's roster as the store last had it. Rosters are read
// at every login and presence broadcast and written rarely, so the store
// is written through and read only on the first use of a roster.
type cached struct {
	items []Item    // sorted by contact
	jids  []Contact // items' contacts, parsed on first use (PRECIS is not free)
	ver   int64
	// from and to are the subscription lists, built on first use and
	// dropped at every change: each presence broadcast reads them.
	from, to []Contact
	listed   bool
}

// Contact is a roster contact's bare JID, parsed and as a string, so
// presence can address it without forming the string again per stanza.
type Contact struct {
	JID  jid.JID
	Bare string
}

// internBare returns stored when parsing left it as it was (the usual
// case), so the cache holds one copy of the string, not two.
func internBare(stored, parsed string) string {
	if stored == parsed {
		return stored
	}
	return parsed
}

// contact returns item i's contact.
func (c *cached) contact(i int) Contact {
	if len(c.jids) != len(c.items) {
		c.jids = make([]Contact, len(c.items))
	}
	if c.jids[i].Bare == "" {
		j, _ := jid.Parse(c.items[i].Contact)
		c.jids[i] = Contact{JID: j, Bare: internBare(c.items[i].Contact, j.String())}
	}
	return c.jids[i]
}

// load returns owner's cached roster, reading it from the store on first
// use. The caller holds s.mu.
func (s *Service) load(owner string) (*cached, error) {
	if c, ok := s.cache[owner]; ok {
		s.recent.touch(owner)
		return c, nil
	}
	items, ver, err := s.Store.Roster(context.Background(), owner)
	if err != nil {
		return nil, err
	}
	if s.cache == nil {
		s.cache = map[string]*cached{}
	}
	c := &cached{items: items, ver: ver}
	s.cache[owner] = c
	s.recent.touch(owner)
	s.evict()
	return c, nil
}

func (c *cached) find(contact string) (int, bool) {
	i := sort.Search(len(c.items), func(i int) bool { return c.items[i].Contact >= contact })
	return i, i < len(c.items) && c.items[i].Contact == contact
}

// put records a stored item and the version the store gave it.
func (c *cached) put(it Item, ver int64) {
	i, ok := c.find(it.Contact)
	if ok {
		c.items[i] = it
	} else {
		c.items = append(c.items, Item{})
		copy(c.items[i+1:], c.items[i:])
		c.items[i] = it
		c.jids = nil
	}
	c.ver = ver
	c.from, c.to, c.listed = nil, nil, false
}

// drop records a deleted item.
func (c *cached) drop(contact string, ver int64) {
	if i, ok := c.find(contact); ok {
		c.items = append(c.items[:i], c.items[i+1:]...)
		c.jids = nil
	}
	c.ver = ver
	c.from, c.to, c.listed = nil, nil, false
}

// lists returns the subscription lists, building them on first use.
func (c *cached) lists() (from, to []Contact) {
	if c.listed {
		return c.from, c.to
	}
	for i, it := range c.items {
		st := StateOf(it)
		if st.SendsPresenceTo() {
			c.from = append(c.from, c.contact(i))
		}
		if st.ReceivesPresence() {
			c.to = append(c.to, c.contact(i))
		}
	}
	c.listed = true
	return c.from, c.to
}

// Forget drops owner's cached roster, after the store was changed behind
// the service's back (a fixture reload writes in its own transaction).
// Forget with no owner drops every roster.
func (s *Service) Forget(owners ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(owners) == 0 {
		s.cache = nil
		s.recent.forget("", true)
		return
	}
	for _, o := range owners {
		delete(s.cache, o)
		s.recent.forget(o, false)
	}
}
