package roster

import (
	"context"
	"slices"
	"sort"
)

// cached is one owner's roster as the store last had it. Rosters are read
// at every login and presence broadcast and written rarely, so the store
// is written through and read only on the first use of a roster.
//
// A logged-in user's roster stays cached all the time, so it is kept
// small: items leave out the owner, their strings are interned across
// rosters (see entryOf), the parsed contacts are shared between rosters
// (see contactOf), and the subscription lists hold pointers to them.
type cached struct {
	owner string  // every item's Owner
	items []entry // sorted by contact
	ver   int64
	// from and to are the subscription lists, built on first use and
	// dropped at every change: each presence broadcast reads them. They
	// are never changed once built, so callers may read them unlocked.
	from, to []*Contact
	listed   bool
}

// entry is a cached item: an Item without the owner, which all of a
// roster's items share.
type entry struct {
	Contact                         string
	Name                            string
	Groups                          []string
	Sub                             uint8
	PendingOut, PendingIn, Approved bool
}

// entryOf returns it as an entry, sharing its strings with the other cached
// rosters: contacts and group names repeat across users.
func entryOf(it Item) entry {
	return entry{Contact: internString(it.Contact), Name: it.Name, Groups: internGroups(it.Groups),
		Sub: it.Sub, PendingOut: it.PendingOut, PendingIn: it.PendingIn, Approved: it.Approved}
}

// item returns item i as stored.
func (c *cached) item(i int) Item {
	e := &c.items[i]
	return Item{Owner: c.owner, Contact: e.Contact, Name: e.Name, Groups: e.Groups,
		Sub: e.Sub, PendingOut: e.PendingOut, PendingIn: e.PendingIn, Approved: e.Approved}
}

// all returns a copy of the items as stored.
func (c *cached) all() []Item {
	out := make([]Item, len(c.items))
	for i := range c.items {
		out[i] = c.item(i)
	}
	return out
}

// internGroups returns groups' names interned, in a slice of exact size
// and its own: the caller's may be shared, and the store's grew by
// appending.
func internGroups(groups []string) []string {
	if len(groups) == 0 {
		return groups
	}
	out := make([]string, len(groups))
	for i, g := range groups {
		out[i] = internString(g)
	}
	return out
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
	// An exact-size copy: the store's slice grew by appending.
	c := &cached{owner: internString(owner), items: make([]entry, len(items)), ver: ver}
	for i, it := range items {
		c.items[i] = entryOf(it)
	}
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
		c.items[i] = entryOf(it)
	} else {
		c.items = slices.Insert(c.items, i, entryOf(it))
	}
	c.ver = ver
	c.from, c.to, c.listed = nil, nil, false
}

// drop records a deleted item.
func (c *cached) drop(contact string, ver int64) {
	if i, ok := c.find(contact); ok {
		c.items = slices.Delete(c.items, i, i+1) // zeroes the tail: the strings can go
	}
	c.ver = ver
	c.from, c.to, c.listed = nil, nil, false
}

// lists returns the subscription lists, building them on first use.
// Both are sized exactly, and when they hold the same contacts (every
// item is subscription both, the usual case) they share one array.
func (c *cached) lists() (from, to []*Contact) {
	if c.listed {
		return c.from, c.to
	}
	nf, nt, same := 0, 0, true
	for i := range c.items {
		st := StateOf(c.item(i))
		f, t := st.SendsPresenceTo(), st.ReceivesPresence()
		if f {
			nf++
		}
		if t {
			nt++
		}
		same = same && f == t
	}
	if nf > 0 {
		c.from = make([]*Contact, 0, nf)
	}
	if nt > 0 && !same {
		c.to = make([]*Contact, 0, nt)
	}
	for i := range c.items {
		st := StateOf(c.item(i))
		f, t := st.SendsPresenceTo(), st.ReceivesPresence()
		if !f && !t {
			continue
		}
		ct := contactOf(c.items[i].Contact)
		if f {
			c.from = append(c.from, ct)
		}
		if t && !same {
			c.to = append(c.to, ct)
		}
	}
	if same {
		c.to = c.from
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
