package offline

import (
	"context"
	"sync"

	"github.com/xmppsandbox/xmppsandbox/sandbox/store"
)

// pending knows which users may have stored messages, so that the login
// of a user with none (nearly every login) opens no write transaction.
// It may err on the side of "may have": a reset or a deleted user leaves
// a stale entry, which costs one empty pop. It must never miss a user
// who has messages, so an entry is added after the store has the message
// and removed before the store is emptied.
type pending struct {
	mu     sync.Mutex
	owners map[string]struct{} // nil until loaded from the store
}

// load reads the owners with messages once; the caller holds p.mu. On
// failure it stays unloaded and every check asks the store.
func (p *pending) load(st *store.Store) bool {
	if p.owners != nil {
		return true
	}
	owners, err := st.OfflineOwners(context.Background())
	if err != nil {
		return false
	}
	p.owners = owners
	return true
}

// add records that owner has a stored message.
func (p *pending) add(st *store.Store, owner string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.load(st) {
		p.owners[owner] = struct{}{}
	}
}

// take reports whether owner may have messages and forgets it, since the
// caller is about to pop them.
func (p *pending) take(st *store.Store, owner string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.load(st) {
		return true
	}
	if _, ok := p.owners[owner]; !ok {
		return false
	}
	delete(p.owners, owner)
	return true
}
