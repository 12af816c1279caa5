package roster

import (
	"runtime"
	"sync"
	"unique"
	"weak"

	"mellium.im/xmpp/jid"
)

// Contact is a roster contact's bare JID, parsed and as a string, so
// presence can address it without forming the string again per stanza.
// Contacts are shared by every roster that lists the same JID: treat them
// as read-only.
type Contact struct {
	JID  jid.JID
	Bare string
}

// contacts interns parsed contacts across rosters. The same JID appears
// in many rosters (every member of a group lists every other), so each
// is parsed and held once. Entries are weak: a contact no cached roster
// lists any more is collected, and its entry removed, so a large store
// does not end up pinned here.
var contacts struct {
	mu sync.Mutex
	m  map[string]weak.Pointer[Contact]
}

// internString returns a canonical copy of s, shared with every other
// caller that interned an equal string (and weakly held, see unique).
func internString(s string) string {
	if s == "" {
		return ""
	}
	return unique.Make(s).Value()
}

// lookupContact returns the interned contact for bare, if there is one.
func lookupContact(bare string) *Contact {
	contacts.mu.Lock()
	defer contacts.mu.Unlock()
	return contacts.m[bare].Value()
}

// contactOf returns the shared contact for an item's stored bare JID,
// parsing it on first use (PRECIS is not free).
func contactOf(stored string) *Contact {
	if c := lookupContact(stored); c != nil {
		return c
	}
	// Parse outside the lock: other rosters' lookups need not wait.
	j, _ := jid.Parse(stored)
	key := internString(stored)
	c := &Contact{JID: j, Bare: key}
	if s := j.String(); s != stored {
		c.Bare = s // parsing normalised it; address the contact as parsed
	}
	contacts.mu.Lock()
	defer contacts.mu.Unlock()
	if old := contacts.m[key].Value(); old != nil {
		return old // another roster got there first
	}
	if contacts.m == nil {
		contacts.m = map[string]weak.Pointer[Contact]{}
	}
	contacts.m[key] = weak.Make(c)
	runtime.AddCleanup(c, dropContact, key)
	return c
}

// dropContact removes a collected contact's entry, unless it was
// replaced by a live one since.
func dropContact(key string) {
	contacts.mu.Lock()
	defer contacts.mu.Unlock()
	if w, ok := contacts.m[key]; ok && w.Value() == nil {
		delete(contacts.m, key)
	}
}
