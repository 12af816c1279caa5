package sandbox

import (
	"context"
	"maps"
	"slices"

	"github.com/xmppsandbox/xmppsandbox/sandbox/fixture"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
	"github.com/xmppsandbox/xmppsandbox/sandbox/store"
)

// applyFixtures writes the loaded fixture set into the store and
// makes the user directory read users from it afresh.
func (s *Server) applyFixtures() error {
	if err := WriteFixtures(context.Background(), s.store, s.fixtures); err != nil {
		return err
	}
	return s.users.reload()
}

// WriteFixtures writes a fixture set into st in one transaction: users,
// their roster items, and the requests that a mirrored ask: subscribe
// leaves pending. The seed command uses it to prepare a database file.
func WriteFixtures(ctx context.Context, st *store.Store, set *fixture.Set) error {
	return st.Update(ctx, func(tx *store.Tx) error { return writeFixtures(ctx, tx, set) })
}

func writeFixtures(ctx context.Context, tx *store.Tx, set *fixture.Set) error {
	// In key order, the order in which SQLite appends to a table fastest.
	users := make([]store.User, 0, len(set.Users))
	for _, name := range slices.Sorted(maps.Keys(set.Users)) {
		u := set.Users[name]
		users = append(users, store.User{Name: u.Name, Password: u.Password, AutoAccept: u.AutoAccept, Fixture: true})
	}
	if err := tx.PutUsers(ctx, users); err != nil {
		return err
	}
	if err := tx.PutRosterItems(ctx, rosterRows(set)); err != nil {
		return err
	}
	return writeRequests(ctx, tx, set)
}

// rosterRows lists every fixture roster item in key order: by owner, and
// within a roster by contact, as the set keeps them.
func rosterRows(set *fixture.Set) []store.RosterItem {
	n := 0
	for _, items := range set.Rosters {
		n += len(items)
	}
	rows := make([]store.RosterItem, 0, n)
	for _, owner := range slices.Sorted(maps.Keys(set.Rosters)) {
		for _, it := range set.Rosters[owner] {
			rows = append(rows, store.RosterItem{Owner: owner, Contact: it.Contact, Name: it.Name, Groups: it.Groups, Sub: it.Sub, PendingOut: it.PendingOut, PendingIn: it.PendingIn})
		}
	}
	return rows
}

// writeRequests stores the requests that a mirrored ask: subscribe leaves
// pending, in each roster's order: that is their order of arrival.
func writeRequests(ctx context.Context, tx *store.Tx, set *fixture.Set) error {
	for owner, items := range set.Rosters {
		for _, it := range items {
			if !it.PendingIn {
				continue
			}
			req := stanza.New(stanza.NSClient, stanza.Presence, "type", "subscribe", "from", it.Contact, "to", owner+"@"+set.Domain)
			if err := tx.PutSubRequest(ctx, owner, store.SubRequest{Contact: it.Contact, Stanza: req.String()}); err != nil {
				return err
			}
		}
	}
	return nil
}
