package virtual

import (
	"context"
	"strconv"

	"github.com/xmppsandbox/xmppsandbox/sandbox/store"
)

// SimGroup is the roster group a simulation's users are listed in, so a
// client shows them apart from real contacts.
const SimGroup = "Simulation"

// SimNames returns the localparts of a simulation's n users: sim1 … simN.
func SimNames(n int) []string {
	names := make([]string, n)
	for i := range names {
		names[i] = "sim" + strconv.Itoa(i+1)
	}
	return names
}

// Pushed is a roster item of the target a simulation stored or removed,
// with the roster version its push carries (XEP-0237).
type Pushed struct {
	Item    store.RosterItem
	Version int64
}

// CreateAccounts stores the users called names, not from fixtures and
// approving every request, each with a mutual both subscription with the
// local user target (RFC 6121 §3: as if each pair had subscribed and
// approved both ways), in one transaction. It returns the target's new
// items in order, for the roster pushes.
func CreateAccounts(ctx context.Context, st *store.Store, domain, target string, names []string) ([]Pushed, error) {
	targetJID := target + "@" + domain
	out := make([]Pushed, 0, len(names))
	err := st.Update(ctx, func(tx *store.Tx) error {
		out = out[:0]
		for _, name := range names {
			p, err := createAccount(ctx, tx, domain, target, targetJID, name)
			if err != nil {
				return err
			}
			out = append(out, p)
		}
		return nil
	})
	return out, err
}

// createAccount stores one user and both sides of its subscription.
func createAccount(ctx context.Context, tx *store.Tx, domain, target, targetJID, name string) (Pushed, error) {
	pw := name // a simulated user can be logged in as, to look around
	if err := tx.PutUser(ctx, store.User{Name: name, Password: pw, AutoAccept: true}); err != nil {
		return Pushed{}, err
	}
	mine := store.RosterItem{Owner: name, Contact: targetJID, Sub: store.SubBoth}
	if _, err := tx.PutRosterItem(ctx, mine); err != nil {
		return Pushed{}, err
	}
	theirs := store.RosterItem{Owner: target, Contact: name + "@" + domain, Groups: []string{SimGroup}, Sub: store.SubBoth}
	ver, err := tx.PutRosterItem(ctx, theirs)
	return Pushed{Item: theirs, Version: ver}, err
}

// RemoveAccounts deletes the users called names, with everything they
// own, and the target's items for them, in one transaction. It returns
// the target's items that were still there, for the removal pushes.
func RemoveAccounts(ctx context.Context, st *store.Store, domain, target string, names []string) ([]Pushed, error) {
	var out []Pushed
	err := st.Update(ctx, func(tx *store.Tx) error {
		out = out[:0]
		for _, name := range names {
			p, found, err := removeAccount(ctx, tx, domain, target, name)
			if err != nil {
				return err
			}
			if found {
				out = append(out, p)
			}
		}
		return nil
	})
	return out, err
}

// removeAccount deletes one user, the target's item for it and any
// request between them the target has not answered.
func removeAccount(ctx context.Context, tx *store.Tx, domain, target, name string) (Pushed, bool, error) {
	contact := name + "@" + domain
	if err := tx.DeleteUser(ctx, name); err != nil {
		return Pushed{}, false, err
	}
	if err := tx.DeleteSubRequest(ctx, target, contact); err != nil {
		return Pushed{}, false, err
	}
	it, found, err := tx.RosterItem(ctx, target, contact)
	if err != nil || !found {
		return Pushed{}, false, err
	}
	ver, err := tx.DeleteRosterItem(ctx, target, contact)
	it.Owner = target
	return Pushed{Item: it, Version: ver}, true, err
}
