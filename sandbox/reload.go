package sandbox

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"mellium.im/xmpp/jid"

	"github.com/xmppsandbox/xmppsandbox/sandbox/fixture"
	"github.com/xmppsandbox/xmppsandbox/sandbox/roster"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
	"github.com/xmppsandbox/xmppsandbox/sandbox/store"
)

// watchQuiet is how long the fixture directory must stay still before a
// reload: longer than the steps of an editor's save, short enough to feel
// instant.
const watchQuiet = 100 * time.Millisecond

// startWatch reloads the fixtures whenever their files change, until
// stopWatch is called. A directory that cannot be watched is logged, not
// fatal: the sandbox still serves what it loaded.
func (s *Server) startWatch() {
	if s.cfg.NoWatch || s.cfg.Fixtures == "" {
		return
	}
	w, err := fixture.NewWatcher(s.cfg.Fixtures)
	if err != nil {
		s.log.Warn("fixtures will not reload on change", "dir", s.cfg.Fixtures, "err", err)
		return
	}
	w.OnError = func(err error) { s.log.Warn("fixture watcher", "err", err) }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := w.Run(ctx, watchQuiet, func() { s.Reload() }); err != nil {
			s.log.Error("fixtures no longer reload on change", "err", err)
		}
	}()
	s.stopWatch = func() { cancel(); <-done }
}

// Reload reads the fixture directory again and applies what changed since
// the last good load, compared with that load rather than with the store,
// so state clients created survives unless the files change that very
// item. A set that does not load changes nothing: the previous state keeps
// serving, and the error is logged and shown by the status API until a
// load succeeds.
func (s *Server) Reload() error {
	s.fixMu.Lock()
	defer s.fixMu.Unlock()
	set, err := s.loadAgain()
	var ch fixture.Changes
	if err == nil {
		ch = fixture.Diff(s.fixtures, set)
		err = s.applyChanges(ch)
	}
	if err != nil {
		s.fixtureFailed(err)
		return err
	}
	s.fixtures, s.fixtureErr = set, ""
	s.syncVirtual()
	s.log.Info("fixtures reloaded", "users", len(ch.Users), "items", len(ch.Items))
	return nil
}

// loadAgain loads the fixture set and checks that it keeps the served
// domain: every JID, session and stored roster is in that domain.
func (s *Server) loadAgain() (*fixture.Set, error) {
	set, err := loadFixtures(s.cfg)
	if err != nil {
		return nil, err
	}
	if set.Domain != s.domain {
		return nil, &fixture.Error{
			Pos: domainPos(s.cfg.Fixtures, set.Files),
			Msg: fmt.Sprintf("domain %q differs from the served %q, which cannot change while serving; restart to serve it", set.Domain, s.domain),
		}
	}
	return set, nil
}

// domainPos finds where the files set the domain.
func domainPos(dir string, files []string) fixture.Pos {
	for _, name := range files {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			continue
		}
		if f, _ := fixture.Parse(name, data); f != nil && f.Domain != "" {
			return f.DomainPos
		}
	}
	return fixture.Pos{File: dir}
}

// fixtureFailed keeps err for the status API and logs each problem as one
// line.
func (s *Server) fixtureFailed(err error) {
	s.fixtureErr = err.Error()
	for _, line := range strings.Split(s.fixtureErr, "\n") {
		s.log.Error("fixture error: " + line)
	}
}

// applyChanges stores ch in one transaction, then brings the caches and
// the clients up to date.
func (s *Server) applyChanges(ch fixture.Changes) error {
	if ch.Empty() {
		return nil
	}
	ctx := context.Background()
	var r reloaded
	err := s.store.Update(ctx, func(tx *store.Tx) error {
		r = reloaded{domain: s.domain}
		return r.write(ctx, tx, ch)
	})
	if err != nil {
		return fmt.Errorf("reloading the fixtures: %w", err)
	}
	s.announce(r)
	return nil
}

// reloaded is what one reload stored, kept to tell clients after commit.
type reloaded struct {
	domain  string
	users   []store.User // added or changed
	removed []string     // user names
	items   []itemChange
}

// owners returns the users whose roster the reload changed, removed
// users included.
func (r reloaded) owners() []string {
	owners := slices.Clone(r.removed)
	for _, c := range r.items {
		owners = append(owners, c.owner)
	}
	slices.Sort(owners)
	return slices.Compact(owners)
}

// itemChange is one roster item as a reload stored it.
type itemChange struct {
	owner            string
	contact          jid.JID
	old, new         roster.Item
	existed, removed bool
	ver              int64
	request          *stanza.Element // a new subscription request, or nil
}

// write stores the changes: users first, since items need their owner;
// removed users last, taking their whole roster with them.
func (r *reloaded) write(ctx context.Context, tx *store.Tx, ch fixture.Changes) error {
	gone := map[string]bool{}
	for _, u := range ch.Users {
		if u.New == nil {
			gone[u.Name] = true
			continue
		}
		x := store.User{Name: u.Name, Password: u.New.Password, AutoAccept: u.New.AutoAccept, Fixture: true}
		if err := tx.PutUser(ctx, x); err != nil {
			return err
		}
		r.users = append(r.users, x)
	}
	for _, it := range ch.Items {
		if gone[it.Owner] {
			continue
		}
		if err := r.writeItem(ctx, tx, it); err != nil {
			return err
		}
	}
	return r.deleteUsers(ctx, tx, ch.Users)
}

// deleteUsers deletes the users the files no longer declare.
func (r *reloaded) deleteUsers(ctx context.Context, tx *store.Tx, users []fixture.UserChange) error {
	for _, u := range users {
		if u.New != nil {
			continue
		}
		if err := tx.DeleteUser(ctx, u.Name); err != nil {
			return err
		}
		r.removed = append(r.removed, u.Name)
	}
	return nil
}

// writeItem stores one changed item, reading what was stored before so
// clients can be told the difference they see.
func (r *reloaded) writeItem(ctx context.Context, tx *store.Tx, ch fixture.ItemChange) error {
	contact, err := jid.Parse(ch.Contact)
	if err != nil {
		return err
	}
	old, existed, err := tx.RosterItem(ctx, ch.Owner, ch.Contact)
	if err != nil {
		return err
	}
	c := itemChange{owner: ch.Owner, contact: contact, old: old, existed: existed}
	switch {
	case ch.New == nil && !existed:
		return nil // a client removed it already
	case ch.New == nil:
		err = removeItem(ctx, tx, &c)
	default:
		c.new = declared(ch.Owner, *ch.New, old, existed)
		if existed && sameStored(old, c.new) {
			return nil // clients made it so already
		}
		err = r.putItem(ctx, tx, &c)
	}
	r.items = append(r.items, c)
	return err
}

// removeItem deletes the stored item and any request it kept pending.
func removeItem(ctx context.Context, tx *store.Tx, c *itemChange) error {
	var err error
	if c.ver, err = tx.DeleteRosterItem(ctx, c.owner, c.old.Contact); err != nil {
		return err
	}
	c.removed = true
	return tx.DeleteSubRequest(ctx, c.owner, c.old.Contact)
}

// putItem stores the declared item and keeps the stored subscription
// request in step with its pending-in flag: a request from the files is a
// synthetic subscribe, as WriteFixtures stores at startup.
func (r *reloaded) putItem(ctx context.Context, tx *store.Tx, c *itemChange) error {
	var err error
	if c.ver, err = tx.PutRosterItem(ctx, c.new); err != nil {
		return err
	}
	had := c.existed && c.old.PendingIn
	switch {
	case c.new.PendingIn && !had:
		c.request = stanza.New(stanza.NSClient, stanza.Presence, "type", "subscribe", "from", c.new.Contact, "to", c.owner+"@"+r.domain)
		return tx.PutSubRequest(ctx, c.owner, store.SubRequest{Contact: c.new.Contact, Stanza: c.request.String()})
	case !c.new.PendingIn && had:
		return tx.DeleteSubRequest(ctx, c.owner, c.new.Contact)
	}
	return nil
}

// declared is the item the files declare. The files' values win, but a
// pre-approval a client made (which files cannot declare) stays where the
// new state still allows one (RFC 6121 §3.4).
func declared(owner string, it fixture.Item, old roster.Item, existed bool) roster.Item {
	n := roster.Item{Owner: owner, Contact: it.Contact, Name: it.Name, Groups: it.Groups,
		Sub: it.Sub, PendingOut: it.PendingOut, PendingIn: it.PendingIn, Approved: existed && old.Approved}
	roster.SetState(&n, roster.StateOf(n).Normalize())
	return n
}

// sameStored reports whether storing b over a would change nothing.
func sameStored(a, b roster.Item) bool {
	return a.Name == b.Name && slices.Equal(a.Groups, b.Groups) && roster.StateOf(a) == roster.StateOf(b)
}

// announce brings the caches in line with the store, then tells clients.
// The caches come first, so a client reacting to a push, or a removed
// user's session broadcasting its last presence, already sees the new
// state.
func (s *Server) announce(r reloaded) {
	for _, x := range r.users {
		s.users.cache(x)
	}
	for _, name := range r.removed {
		s.users.forget(name)
	}
	if owners := r.owners(); len(owners) > 0 {
		s.roster.Forget(owners...) // with no owner, it would drop every roster
	}
	s.tellClients(r)
}

// tellClients sends roster pushes and presence for each item, new
// requests to the owner's available resources (RFC 6121 §3.1.3), and ends
// the sessions of removed users.
func (s *Server) tellClients(r reloaded) {
	for _, c := range r.items {
		s.presence.ItemChanged(c.owner, c.contact, c.old, c.new, c.existed, c.removed, c.ver)
		if c.request != nil {
			for _, sess := range s.router.Available(c.owner + "@" + s.domain) {
				s.router.Deliver(sess, c.request)
			}
		}
	}
	for _, name := range r.removed {
		for _, sess := range s.router.Sessions(name + "@" + s.domain) {
			sess.Conn.Close("not-authorized", "the account was removed from the fixtures")
		}
	}
}
