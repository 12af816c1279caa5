package sandbox

import (
	"context"
	"sort"
	"strings"
	"sync"

	"github.com/xmppsandbox/xmppsandbox/sandbox/sasl"
	"github.com/xmppsandbox/xmppsandbox/sandbox/store"
)

// users is the account directory: an in-memory copy of the users table,
// so a login or a routing decision never waits on SQLite.
type users struct {
	store *store.Store

	mu     sync.RWMutex
	byName map[string]store.User
	scram  map[string]sasl.Keys // name + "\x00" + mechanism
}

func newUsers(st *store.Store) (*users, error) {
	u := &users{store: st, byName: map[string]store.User{}, scram: map[string]sasl.Keys{}}
	all, err := st.Users(context.Background())
	if err != nil {
		return nil, err
	}
	for _, x := range all {
		u.byName[x.Name] = x
	}
	return u, nil
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
	if old, ok := u.byName[x.Name]; ok && old.Password != x.Password {
		u.dropSCRAM(x.Name)
	}
	u.byName[x.Name] = x
}

// forget drops a user already deleted from the store, and its keys.
func (u *users) forget(name string) {
	u.mu.Lock()
	defer u.mu.Unlock()
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
	defer u.mu.RUnlock()
	x, ok := u.byName[name]
	return x, ok
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
	key := name + "\x00" + mech
	u.mu.RLock()
	k, ok := u.scram[key]
	x, exists := u.byName[name]
	u.mu.RUnlock()
	if ok || !exists {
		return k, ok
	}
	ctx := context.Background()
	if sk, found, err := u.store.SCRAM(ctx, name, mech); err == nil && found {
		k = sasl.Keys{Salt: sk.Salt, Iters: sk.Iters, StoredKey: sk.StoredKey, ServerKey: sk.ServerKey}
	} else if k, err = sasl.DeriveKeys(mech, x.Password); err != nil {
		return k, false
	} else {
		u.store.PutSCRAM(ctx, name, mech, store.SCRAMKeys{Salt: k.Salt, Iters: k.Iters, StoredKey: k.StoredKey, ServerKey: k.ServerKey})
	}
	u.mu.Lock()
	if cur, still := u.byName[name]; still && cur.Password == x.Password {
		u.scram[key] = k
	}
	u.mu.Unlock()
	return k, true
}

func (u *users) count() int {
	u.mu.RLock()
	defer u.mu.RUnlock()
	return len(u.byName)
}

// all returns the users sorted by name.
func (u *users) all() []store.User {
	u.mu.RLock()
	out := make([]store.User, 0, len(u.byName))
	for _, x := range u.byName {
		out = append(out, x)
	}
	u.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// reload rereads every user from the store, keeping the SCRAM keys of
// users whose password did not change.
func (u *users) reload() error {
	fresh, err := newUsers(u.store)
	if err != nil {
		return err
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	for key, k := range u.scram {
		name, _, _ := strings.Cut(key, "\x00")
		if x, ok := fresh.byName[name]; ok && x.Password == u.byName[name].Password {
			fresh.scram[key] = k
		}
	}
	u.byName, u.scram = fresh.byName, fresh.scram
	return nil
}
