package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
)

// Subscription states of a roster item (RFC 6121 §2.1.2.5).
const (
	SubNone uint8 = iota
	SubTo
	SubFrom
	SubBoth
)

// RosterItem is one contact in a local user's roster (RFC 6121 §2.1).
type RosterItem struct {
	Owner      string   // localpart of the local user who owns the roster
	Contact    string   // bare JID of the contact
	Name       string   // the handle the owner gave the contact
	Groups     []string // in the order given
	Sub        uint8    // SubNone, SubTo, SubFrom or SubBoth
	PendingOut bool     // the owner asked to subscribe, no answer yet
	PendingIn  bool     // the contact asked to subscribe, no answer yet
	Approved   bool     // pre-approved subscription (RFC 6121 §3.4)
}

// groupSep starts every group name in the stored groups column. XML 1.0
// §2.2 forbids this control character, so no group name from a stream can
// contain it.
const groupSep = "\x1f"

// Roster returns the owner's items sorted by contact, and the roster
// version (XEP-0237), read together.
func (q queries) Roster(ctx context.Context, owner string) (items []RosterItem, ver int64, err error) {
	err = q.r.atomic(ctx, func(tx *Tx) error {
		if items, err = tx.rosterItems(ctx, owner); err != nil {
			return err
		}
		ver, err = tx.rosterVersion(ctx, owner)
		return err
	})
	return items, ver, fail(err, "roster of", owner)
}

// rosterItems reads the owner's items sorted by contact.
func (q queries) rosterItems(ctx context.Context, owner string) ([]RosterItem, error) {
	rows, err := q.rows(ctx, stmtRoster, owner)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var items []RosterItem
	row := newRosterRow()
	for rows.Next() {
		it, err := row.scan(rows, owner)
		if err != nil {
			return nil, err
		}
		items = append(items, it)
	}
	return items, rows.Err()
}

// RosterItem returns the owner's item for contact, and whether it exists.
func (q queries) RosterItem(ctx context.Context, owner, contact string) (RosterItem, bool, error) {
	it, err := newRosterRow().scan(q.row(ctx, stmtRosterItem, owner, contact), owner)
	if errors.Is(err, sql.ErrNoRows) {
		return RosterItem{}, false, nil
	}
	return it, err == nil, fail(err, "roster item", owner, contact)
}

// PutRosterItem inserts or replaces it and bumps the owner's roster
// version in the same transaction, returning the new version.
func (q queries) PutRosterItem(ctx context.Context, it RosterItem) (ver int64, err error) {
	groups, err := encodeGroups(it.Groups)
	if err == nil {
		err = q.r.atomic(ctx, func(tx *Tx) error {
			_, err := tx.exec(ctx, stmtPutRosterItem, it.Owner, it.Contact, it.Name, groups,
				int64(it.Sub), it.PendingOut, it.PendingIn, it.Approved)
			if err != nil {
				return err
			}
			ver, err = tx.bumpRosterVersion(ctx, it.Owner)
			return err
		})
	}
	return ver, fail(err, "put roster item", it.Owner, it.Contact)
}

// DeleteRosterItem removes the owner's item for contact. It bumps the
// roster version if there was such an item and returns the version now
// current.
func (q queries) DeleteRosterItem(ctx context.Context, owner, contact string) (ver int64, err error) {
	err = q.r.atomic(ctx, func(tx *Tx) error {
		n, err := tx.exec(ctx, stmtDeleteRosterItem, owner, contact)
		switch {
		case err != nil:
			return err
		case n == 0:
			ver, err = tx.rosterVersion(ctx, owner)
		default:
			ver, err = tx.bumpRosterVersion(ctx, owner)
		}
		return err
	})
	return ver, fail(err, "delete roster item", owner, contact)
}

// RosterVersion returns the owner's roster version; 0 before any change.
func (q queries) RosterVersion(ctx context.Context, owner string) (int64, error) {
	ver, err := q.r.rosterVersion(ctx, owner)
	return ver, fail(err, "roster version of", owner)
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface {
	Scan(dest ...any) error
}

// rosterRow receives the roster columns. One is reused for every row of a
// query, so scanning allocates little beyond the strings themselves.
type rosterRow struct {
	contact, name, groups                string
	sub, pendingOut, pendingIn, approved integer
	dest                                 [7]any
}

// newRosterRow returns a rosterRow ready to scan into.
func newRosterRow() *rosterRow {
	r := &rosterRow{}
	r.dest = [7]any{&r.contact, &r.name, &r.groups, &r.sub, &r.pendingOut, &r.pendingIn, &r.approved}
	return r
}

// scan reads one row into an item of owner's roster.
func (r *rosterRow) scan(sc scanner, owner string) (RosterItem, error) {
	if err := sc.Scan(r.dest[:]...); err != nil {
		return RosterItem{}, err
	}
	return RosterItem{
		Owner:      owner,
		Contact:    r.contact,
		Name:       r.name,
		Groups:     decodeGroups(r.groups),
		Sub:        uint8(r.sub),
		PendingOut: r.pendingOut != 0,
		PendingIn:  r.pendingIn != 0,
		Approved:   r.approved != 0,
	}, nil
}

// encodeGroups joins group names for the groups column, each prefixed by
// groupSep so that no groups and one empty group stay distinct.
func encodeGroups(groups []string) (string, error) {
	size := len(groups) * len(groupSep)
	for _, g := range groups {
		if strings.Contains(g, groupSep) {
			return "", errors.New("group name contains U+001F")
		}
		size += len(g)
	}
	var b strings.Builder
	b.Grow(size)
	for _, g := range groups {
		b.WriteString(groupSep)
		b.WriteString(g)
	}
	return b.String(), nil
}

// decodeGroups splits the groups column back into names.
func decodeGroups(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s[len(groupSep):], groupSep)
}
