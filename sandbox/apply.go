package sandbox

import (
	"context"

	"github.com/xmppsandbox/xmppsandbox/sandbox/fixture"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
	"github.com/xmppsandbox/xmppsandbox/sandbox/store"
)

// applyFixtures writes the loaded fixture set into the store and reloads
// the user directory from it.
func (s *Server) applyFixtures() error {
	if err := WriteFixtures(context.Background(), s.store, s.fixtures); err != nil {
		return err
	}
	fresh, err := newUsers(s.store)
	if err != nil {
		return err
	}
	s.users.mu.Lock()
	s.users.byName = fresh.byName
	s.users.mu.Unlock()
	return nil
}

// WriteFixtures writes a fixture set into st in one transaction: users,
// their roster items, and the requests that a mirrored ask: subscribe
// leaves pending. The seed command uses it to prepare a database file.
func WriteFixtures(ctx context.Context, st *store.Store, set *fixture.Set) error {
	return st.Update(ctx, func(tx *store.Tx) error { return writeFixtures(ctx, tx, set) })
}

func writeFixtures(ctx context.Context, tx *store.Tx, set *fixture.Set) error {
	for _, u := range set.Users {
		if err := tx.PutUser(ctx, store.User{Name: u.Name, Password: u.Password, AutoAccept: u.AutoAccept, Fixture: true}); err != nil {
			return err
		}
	}
	for owner, items := range set.Rosters {
		for _, it := range items {
			if err := writeItem(ctx, tx, set.Domain, owner, it); err != nil {
				return err
			}
		}
	}
	return nil
}

func writeItem(ctx context.Context, tx *store.Tx, domain, owner string, it fixture.Item) error {
	_, err := tx.PutRosterItem(ctx, store.RosterItem{Owner: owner, Contact: it.Contact, Name: it.Name, Groups: it.Groups, Sub: it.Sub, PendingOut: it.PendingOut, PendingIn: it.PendingIn})
	if err != nil || !it.PendingIn {
		return err
	}
	req := stanza.New(stanza.NSClient, stanza.Presence, "type", "subscribe", "from", it.Contact, "to", owner+"@"+domain)
	return tx.PutSubRequest(ctx, owner, store.SubRequest{Contact: it.Contact, Stanza: req.String()})
}
