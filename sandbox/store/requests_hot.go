package store

import (
	"context"
	"sync"
)

// requestOwners knows which users may have a stored subscription request,
// so that the login of a user with none, nearly every login, reads nothing.
// The store keeps it because requests are written from several modules,
// and every write passes through PutSubRequest.
//
// It may err on the side of "may have" (a deleted request or user, a
// rolled-back transaction), which costs one empty read. It must never miss
// an owner with a request: an entry counts the owner's writes, and an
// empty read removes it only if no write came in the meantime.
type requestOwners struct {
	mu     sync.Mutex
	loaded bool
	owners map[string]uint64 // owner → writes seen
}

// wrote records a request stored for owner.
func (r *requestOwners) wrote(owner string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.owners == nil {
		r.owners = map[string]uint64{}
	}
	r.owners[owner]++
}

// check reports whether owner may have requests, and the count of writes
// that forget must see unchanged. Until the owners were read from the
// database, everyone may have some.
func (r *requestOwners) check(owner string) (may bool, writes uint64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	writes, may = r.owners[owner]
	return may || !r.loaded, writes
}

// forget drops owner after a read found no request, unless a write came
// since check.
func (r *requestOwners) forget(owner string, writes uint64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.loaded && r.owners[owner] == writes {
		delete(r.owners, owner)
	}
}

// load adds the owners the database holds requests for. The read runs
// without the lock, since a transaction writing a request may hold the
// connection it waits for; writes during it are kept by the union.
func (r *requestOwners) load(ctx context.Context, q queries) error {
	rows, err := q.rows(ctx, stmtRequestOwners)
	if err != nil {
		return err
	}
	defer rows.Close()
	var owners []string
	for rows.Next() {
		var owner string
		if err := rows.Scan(&owner); err != nil {
			return err
		}
		owners = append(owners, owner)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.owners == nil {
		r.owners = map[string]uint64{}
	}
	for _, owner := range owners {
		if _, ok := r.owners[owner]; !ok {
			r.owners[owner] = 0
		}
	}
	r.loaded = true
	return nil
}

// SubRequests returns owner's pending requests in arrival order, reading
// the database only for an owner who may have some. (A transaction reads
// every time: what it sees is not yet, or never, committed.)
func (s *Store) SubRequests(ctx context.Context, owner string) ([]SubRequest, error) {
	if !s.requests.isLoaded() {
		// On failure it stays unloaded, and every owner is read.
		s.requests.load(ctx, s.queries)
	}
	may, writes := s.requests.check(owner)
	if !may {
		return nil, nil
	}
	reqs, err := s.queries.SubRequests(ctx, owner)
	if err == nil && len(reqs) == 0 {
		s.requests.forget(owner, writes)
	}
	return reqs, err
}

func (r *requestOwners) isLoaded() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.loaded
}
