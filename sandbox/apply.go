package sandbox

import (
	"context"

	"github.com/xmppsandbox/xmppsandbox/sandbox/fixture"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
	"github.com/xmppsandbox/xmppsandbox/sandbox/store"
)

// applyFixtures writes the loaded fixture set into the store in one
// transaction: users, their roster items, and the requests that a
// mirrored ask: subscribe leaves pending.
func (s *Server) applyFixtures() error {
	set := s.fixtures
	err := s.store.Update(context.Background(), func(tx *store.Tx) error {
		for _, u := range set.Users {
			if err := tx.PutUser(context.Background(), store.User{Name: u.Name, Password: u.Password, AutoAccept: u.AutoAccept, Fixture: true}); err != nil {
				return err
			}
		}
		for owner, items := range set.Rosters {
			for _, it := range items {
				if err := s.applyItem(tx, owner, it); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	fresh, err := newUsers(s.store)
	if err != nil {
		return err
	}
	s.users.byName = fresh.byName
	return nil
}

func (s *Server) applyItem(tx *store.Tx, owner string, it fixture.Item) error {
	ctx := context.Background()
	_, err := tx.PutRosterItem(ctx, store.RosterItem{Owner: owner, Contact: it.Contact, Name: it.Name, Groups: it.Groups, Sub: it.Sub, PendingOut: it.PendingOut, PendingIn: it.PendingIn})
	if err != nil || !it.PendingIn {
		return err
	}
	req := stanza.New(stanza.NSClient, stanza.Presence, "type", "subscribe", "from", it.Contact, "to", owner+"@"+s.domain)
	return tx.PutSubRequest(ctx, owner, store.SubRequest{Contact: it.Contact, Stanza: req.String()})
}
