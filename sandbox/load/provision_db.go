package load

import (
	"context"
	"errors"
	"os"

	"github.com/xmppsandbox/xmppsandbox/sandbox/store"
)

// WriteSandboxDB writes the population into a new SQLite database file,
// the sandbox's own storage, in one transaction: a server started on it
// (serve --db FILE) has every user without loading fixtures, as Prosody
// and ejabberd have theirs in their data directories.
func (p Population) WriteSandboxDB(ctx context.Context, file string) error {
	if err := os.Remove(file); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	st, err := store.Open(file)
	if err != nil {
		return err
	}
	err = st.Update(ctx, func(tx *store.Tx) error {
		for _, name := range p.names() {
			if err := tx.PutUser(ctx, store.User{Name: name, Password: name}); err != nil {
				return err
			}
		}
		for _, owner := range p.names() {
			for _, c := range p.contacts(owner) {
				it := store.RosterItem{Owner: owner, Contact: c + "@" + p.Domain, Sub: store.SubBoth}
				if _, err := tx.PutRosterItem(ctx, it); err != nil {
					return err
				}
			}
		}
		return nil
	})
	// Closing checkpoints the write-ahead log into the file.
	return errors.Join(err, st.Close())
}
