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
	jids  []jid.JID // items' contacts, parsed on first use (PRECIS is not free)
	ver   int64
}

// jid returns item i's contact as a JID.
func (c *cached) jid(i int) jid.JID {
	if len(c.jids) != len(c.items) {
		c.jids = make([]jid.JID, len(c.items))
	}
	if c.jids[i].Domainpart() == "" {
		c.jids[i], _ = jid.Parse(c.items[i].Contact)
	}
	return c.jids[i]
}

// load returns owner's cached roster, reading it from the store on first
// use. The caller holds s.mu.
func (s *Service) load(owner string) (*cached, error) {
	if c, ok := s.cache[owner]; ok {
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
}

// drop records a deleted item.
func (c *cached) drop(contact string, ver int64) {
	if i, ok := c.find(contact); ok {
		c.items = append(c.items[:i], c.items[i+1:]...)
		c.jids = nil
	}
	c.ver = ver
}

// Forget drops owner's cached roster, after the store was changed behind
// the service's back (a fixture reload writes in its own transaction).
// Forget with no owner drops every roster.
func (s *Service) Forget(owners ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(owners) == 0 {
		s.cache = nil
		return
	}
	for _, o := range owners {
		delete(s.cache, o)
	}
}
