package sandbox

import (
	"context"
	"sync"

	"github.com/xmppsandbox/xmppsandbox/sandbox/sasl"
	"github.com/xmppsandbox/xmppsandbox/sandbox/store"
)

// maxMissing bounds the names remembered as absent, so a client
// addressing ever new unknown users cannot grow the cache without end.
const maxMissing = 4096

// users is the account directory over the users table. Users are read on
// first need and kept, so a start does not wait for a table that may hold
// 100,000 users, and a login or routing decision after the first seldom
// waits on SQLite. Every write to the users table goes through put, cache,
// forget or reload, which keep the cache in step with the store.
type users struct {
	store *store.Store

	mu      sync.RWMutex
	byName  map[string]store.User
	missing map[string]struct{}   // looked up and absent from the store
	gen     uint64                // bumped on every change, see lookup
	scram   map[string]scramEntry // name + "\x00" + mechanism
}

// scramEntry is a user's derived keys with the password they came from:
// keys outlive a reload, and must not outlive a password change.
type scramEntry struct {
	password string
	keys     sasl.Keys
}

// newUsers returns an empty directory over st; it reads nothing yet, and
// cannot fail, but keeps the error its callers check.
func newUsers(st *store.Store) (*users, error) {
	return &users{store: st, byName: map[string]store.User{}, missing: map[string]struct{}{}, scram: map[string]scramEntry{}}, nil
}

// put stores a user and refreshes the cache.
func (u *users) put(x store.User) error {
	if err := u.store.PutUser(context.Background(), x); err != nil {
		return err
	}
	u.cache(x)
	return nil
}

// cache records x, already stored, dropping the SCRAM keys derived from
// an older password.
func (u *users) cache(x store.User) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.gen++
	if old, ok := u.byName[x.Name]; ok && old.Password != x.Password {
		u.dropSCRAM(x.Name)
	}
	delete(u.missing, x.Name)
	u.byName[x.Name] = x
}

// forget drops a user already deleted from the store, and its keys.
func (u *users) forget(name string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.gen++
	delete(u.byName, name)
	u.dropSCRAM(name)
}

// dropSCRAM removes the user's cached keys; u.mu must be held.
func (u *users) dropSCRAM(name string) {
	for _, m := range sasl.Mechanisms() {
		delete(u.scram, name+"\x00"+m)
	}
}

func (u *users) get(name string) (store.User, bool) {
	u.mu.RLock()
	x, ok := u.byName[name]
	_, absent := u.missing[name]
	gen := u.gen
	u.mu.RUnlock()
	if ok || absent {
		return x, ok
	}
	return u.lookup(name, gen)
}

// lookup reads name from the store and caches the answer, unless the
// directory changed since gen: then the answer may predate the change and
// is returned without being kept.
func (u *users) lookup(name string, gen uint64) (store.User, bool) {
	x, found, err := u.store.User(context.Background(), name)
	if err != nil {
		return store.User{}, false
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.gen != gen {
		return x, found
	}
	if found {
		u.byName[name] = x
		return x, true
	}
	if len(u.missing) >= maxMissing {
		clear(u.missing)
	}
	u.missing[name] = struct{}{}
	return x, false
}

func (u *users) exists(name string) bool { _, ok := u.get(name); return ok }

func (u *users) autoAccept(name string) bool { x, _ := u.get(name); return x.AutoAccept }

// Password implements sasl.Credentials.
func (u *users) Password(name string) (string, bool) {
	x, ok := u.get(name)
	return x.Password, ok
}

// SCRAMKeys implements sasl.Credentials: keys are derived once per
// password, kept in memory and in the store.
func (u *users) SCRAMKeys(name, mech string) (sasl.Keys, bool) {
	x, exists := u.get(name)
	if !exists {
		return sasl.Keys{}, false
	}
	key := name + "\x00" + mech
	u.mu.RLock()
	e, ok := u.scram[key]
	u.mu.RUnlock()
	if ok && e.password == x.Password {
		return e.keys, true
	}
	k, ok := u.storedOrDerived(name, mech, x.Password)
	if !ok {
		return k, false
	}
	u.mu.Lock()
	if cur, still := u.byName[name]; still && cur.Password == x.Password {
		u.scram[key] = scramEntry{password: x.Password, keys: k}
	}
	u.mu.Unlock()
	return k, true
}

// storedOrDerived reads the keys the store kept, else derives them from
// password and stores them.
func (u *users) storedOrDerived(name, mech, password string) (sasl.Keys, bool) {
	ctx := context.Background()
	if sk, found, err := u.store.SCRAM(ctx, name, mech); err == nil && found {
		return sasl.Keys{Salt: sk.Salt, Iters: sk.Iters, StoredKey: sk.StoredKey, ServerKey: sk.ServerKey}, true
	}
	k, err := sasl.DeriveKeys(mech, password)
	if err != nil {
		return k, false
	}
	u.store.PutSCRAM(ctx, name, mech, store.SCRAMKeys{Salt: k.Salt, Iters: k.Iters, StoredKey: k.StoredKey, ServerKey: k.ServerKey})
	return k, true
}

// count returns the number of users in the store.
func (u *users) count() int {
	n, _ := u.store.CountUsers(context.Background())
	return n
}

// all returns every user in the store, sorted by name.
func (u *users) all() []store.User {
	out, _ := u.store.Users(context.Background())
	return out
}

// reload forgets every cached user after the store was rewritten; users
// are read again on first need. SCRAM keys stay: each is used only while
// its user's password is the one it was derived from.
func (u *users) reload() error {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.gen++
	clear(u.byName)
	clear(u.missing)
	return nil
}
