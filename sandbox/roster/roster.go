// Package roster keeps users' contact lists (RFC 6121 §2): the
// jabber:iq:roster protocol, roster versioning (XEP-0237), pushes to the
// resources that asked for the roster, and the subscription lists presence
// needs. Its subpackage subscription holds the pure state tables; this
// package stores their results.
package roster

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/xmppsandbox/xmppsandbox/sandbox/roster/subscription"
	"github.com/xmppsandbox/xmppsandbox/sandbox/router"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
	"github.com/xmppsandbox/xmppsandbox/sandbox/store"
	"github.com/xmppsandbox/xmppsandbox/sandbox/toggle"
)

// Service is the roster of every local user.
type Service struct {
	Domain string
	Store  *store.Store
	Router *router.Router
	// Toggles can switch roster versioning (XEP-0237) off; nil keeps it.
	Toggles *toggle.Set
	// MaxCached bounds the rosters cached for offline users (see lru.go);
	// zero means defaultMaxCached.
	MaxCached int

	// mu serialises read-modify-write of items, so two subscription
	// stanzas about the same pair cannot interleave.
	mu     sync.Mutex
	cache  map[string]*cached // owner → roster, see cache.go
	recent recent             // cache entries by last use, see lru.go
	pushes atomic.Uint64
}

// Item is a roster item as stored.
type Item = store.RosterItem

// StateOf returns the subscription state of an item.
func StateOf(it Item) subscription.State {
	return subscription.State{Sub: subscription.Sub(it.Sub), PendingOut: it.PendingOut, PendingIn: it.PendingIn, Approved: it.Approved}
}

// SetState writes a subscription state into an item.
func SetState(it *Item, s subscription.State) {
	it.Sub, it.PendingOut, it.PendingIn, it.Approved = uint8(s.Sub), s.PendingOut, s.PendingIn, s.Approved
}

// Get returns owner's item for contact (a bare JID).
func (s *Service) Get(owner, contact string) (Item, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.load(owner)
	if err != nil {
		return Item{}, false
	}
	i, ok := c.find(contact)
	if !ok {
		return Item{}, false
	}
	return c.item(i), true
}

// Items returns a copy of owner's roster and its version.
func (s *Service) Items(owner string) ([]Item, int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.load(owner)
	if err != nil {
		return nil, 0, err
	}
	return c.all(), c.ver, nil
}

// Change is the result of one update: the item before and after, and the
// roster version that now includes it.
type Change struct {
	Old, New  Item
	Existed   bool
	Removed   bool
	Version   int64
	Unchanged bool
}

// Update applies edit to owner's item for contact, creating it when it
// does not exist, stores the result and pushes it to owner's interested
// resources when the client would see a difference. edit returns false to
// leave the item as it was.
func (s *Service) Update(owner, contact string, edit func(it *Item) bool) (Change, error) {
	return s.update(owner, contact, edit, true)
}

// UpdateQuietly is Update without the push, for bookkeeping the client
// must not see.
func (s *Service) UpdateQuietly(owner, contact string, edit func(it *Item) bool) (Change, error) {
	return s.update(owner, contact, edit, false)
}

func (s *Service) update(owner, contact string, edit func(it *Item) bool, push bool) (Change, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ctx := context.Background()
	cache, err := s.load(owner)
	if err != nil {
		return Change{}, err
	}
	i, ok := cache.find(contact)
	old := Item{Owner: owner, Contact: contact}
	if ok {
		old = cache.item(i)
	}
	it := old
	it.Groups = append([]string(nil), old.Groups...)
	if !edit(&it) {
		return Change{Old: old, New: old, Existed: ok, Unchanged: true}, nil
	}
	ver, err := s.Store.PutRosterItem(ctx, it)
	if err != nil {
		return Change{}, err
	}
	cache.put(it, ver)
	c := Change{Old: old, New: it, Existed: ok, Version: ver}
	if push && visible(c) {
		s.Push(owner, it, ver, false)
	}
	return c, nil
}

// visible reports whether a change shows to the owner's clients: hidden
// pending-in items are never pushed (as ejabberd does).
func visible(c Change) bool {
	nw := StateOf(c.New)
	if nw.Hidden() && (!c.Existed || StateOf(c.Old).Hidden()) {
		return false
	}
	return !c.Existed || !sameItem(c.Old, c.New)
}

func sameItem(a, b Item) bool {
	if a.Name != b.Name || len(a.Groups) != len(b.Groups) {
		return false
	}
	for i := range a.Groups {
		if a.Groups[i] != b.Groups[i] {
			return false
		}
	}
	sa, aa, pa := StateOf(a).Wire()
	sb, ab, pb := StateOf(b).Wire()
	return sa == sb && aa == ab && pa == pb && StateOf(a).Hidden() == StateOf(b).Hidden()
}

// Remove deletes owner's item for contact and pushes the removal.
func (s *Service) Remove(owner, contact string) (Change, error) {
	return s.remove(owner, contact, true)
}

// RemoveQuietly deletes an item its owner never saw (one that only held a
// pending request), without a push.
func (s *Service) RemoveQuietly(owner, contact string) (Change, error) {
	return s.remove(owner, contact, false)
}

func (s *Service) remove(owner, contact string, push bool) (Change, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cache, err := s.load(owner)
	if err != nil {
		return Change{}, err
	}
	i, ok := cache.find(contact)
	if !ok {
		return Change{}, nil
	}
	old := cache.item(i)
	ver, err := s.Store.DeleteRosterItem(context.Background(), owner, contact)
	if err != nil {
		return Change{}, err
	}
	cache.drop(contact, ver)
	if push {
		s.Push(owner, old, ver, true)
	}
	return Change{Old: old, Existed: true, Removed: true, Version: ver}, nil
}

// Push sends a roster push (RFC 6121 §2.1.6) of it to every resource of
// owner that requested the roster.
func (s *Service) Push(owner string, it Item, ver int64, removed bool) {
	bare := owner + "@" + s.Domain
	for _, sess := range s.Router.Sessions(bare) {
		if !sess.Interested() {
			continue
		}
		iq := stanza.New(stanza.NSClient, stanza.IQ, "type", "set", "id", s.pushID(), "from", bare, "to", sess.Full)
		q := stanza.New(stanza.NSRoster, "query", "ver", s.wireVersion(sess, ver))
		iq.Append(q.Append(ItemElement(it, removed)))
		s.Router.Deliver(sess, iq)
	}
}

// ItemElement renders a roster item; a removed item carries
// subscription='remove'. Pending-in never shows (RFC 6121 §2.1.2.2).
func ItemElement(it Item, removed bool) *stanza.Element {
	sub, ask, approved := StateOf(it).Wire()
	if removed {
		sub, ask, approved = "remove", false, false
	}
	el := stanza.New(stanza.NSRoster, "item", "jid", it.Contact, "name", it.Name, "subscription", sub)
	if ask {
		el.Set("ask", "subscribe")
	}
	if approved {
		el.Set("approved", "true")
	}
	for _, g := range it.Groups {
		el.Append(stanza.New(stanza.NSRoster, "group").AppendText(g))
	}
	return el
}
