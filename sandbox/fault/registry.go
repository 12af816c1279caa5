package fault

import (
	"maps"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Registry holds the faults in force, by bare JID (every session of the
// user, present and future) or full JID (one resource). Lookups are lock
// free: the map is replaced, never changed, and is nil while no fault is
// set, so a server without faults pays one atomic load per stanza.
type Registry struct {
	mu     sync.Mutex // serialises writers
	faults atomic.Pointer[map[string]Fault]
}

// Entry is one JID's fault, for listing.
type Entry struct {
	JID   string
	Fault Fault
}

// Set changes the fault of jid (a bare or full JID, already prepared) by
// p and returns the result. A fault left injecting nothing is removed.
func (r *Registry) Set(jid string, p Patch) (Fault, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	m := r.copyLocked()
	f, err := m[jid].Apply(p)
	if err != nil {
		return f, err
	}
	if f.IsZero() {
		delete(m, jid)
	} else {
		m[jid] = f
	}
	r.storeLocked(m)
	return f, nil
}

// Clear removes the fault of jid and returns how many it removed; for a
// bare JID it removes those of the user's resources too.
func (r *Registry) Clear(jid string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	m := r.copyLocked()
	n := 0
	for k := range m {
		if k == jid || (!strings.Contains(jid, "/") && strings.HasPrefix(k, jid+"/")) {
			delete(m, k)
			n++
		}
	}
	r.storeLocked(m)
	return n
}

// Reset removes every fault.
func (r *Registry) Reset() {
	r.mu.Lock()
	r.faults.Store(nil)
	r.mu.Unlock()
}

// List returns the faults in force, sorted by JID.
func (r *Registry) List() []Entry {
	out := []Entry{}
	if m := r.faults.Load(); m != nil {
		for jid, f := range *m {
			out = append(out, Entry{jid, f})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].JID < out[j].JID })
	return out
}

// Lookup returns the fault a session of full JID full (whose bare JID is
// bare) is under: the bare JID's, with any part the full JID's sets
// taking precedence.
func (r *Registry) Lookup(bare, full string) (Fault, bool) {
	if r == nil {
		return Fault{}, false
	}
	m := r.faults.Load()
	if m == nil {
		return Fault{}, false
	}
	b, okB := (*m)[bare]
	f, okF := (*m)[full]
	switch {
	case okB && okF:
		return merge(b, f), true
	case okF:
		return f, true
	}
	return b, okB
}

// Outgoing decides the fate of a stanza of kind (message, presence or iq)
// about to be queued for the session full: whether it is dropped and, if
// not, the time before which it must not be written (zero: at once).
func (r *Registry) Outgoing(bare, full, kind string) (due time.Time, drop bool) {
	f, ok := r.Lookup(bare, full)
	if !ok {
		return time.Time{}, false
	}
	if f.Drop.hits(kind) {
		return time.Time{}, true
	}
	if d := f.Delay.pick(); d > 0 {
		return time.Now().Add(d), false
	}
	return time.Time{}, false
}

// merge lays the parts full sets over bare.
func merge(bare, full Fault) Fault {
	out := bare
	if full.Delay != (Delay{}) {
		out.Delay = full.Delay
	}
	if full.Drop.Percent > 0 {
		out.Drop = full.Drop
	}
	if len(full.IQErrors) > 0 {
		out.IQErrors = maps.Clone(bare.IQErrors)
		if out.IQErrors == nil {
			out.IQErrors = map[string]string{}
		}
		maps.Copy(out.IQErrors, full.IQErrors)
	}
	out.NoPingReply = bare.NoPingReply || full.NoPingReply
	return out
}

func (r *Registry) copyLocked() map[string]Fault {
	if m := r.faults.Load(); m != nil {
		return maps.Clone(*m)
	}
	return map[string]Fault{}
}

// storeLocked publishes m, or nil when it is empty so that lookups stop
// at the atomic load.
func (r *Registry) storeLocked(m map[string]Fault) {
	if len(m) == 0 {
		r.faults.Store(nil)
		return
	}
	r.faults.Store(&m)
}
