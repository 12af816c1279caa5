package store

import (
	"context"
	"database/sql"
	"errors"
)

// Tx is a transaction opened by Store.Update. It has the same read and
// write methods as Store, all inside the one transaction; it must not be
// used after Update returned.
type Tx struct {
	queries
	store    *Store
	tx       *sql.Tx
	stmts    [stmtCount]*sql.Stmt
	versions map[string]*txVersion
}

// txVersion is an owner's roster version as this transaction sees it.
// Bumps after the first stay in memory and are written once at commit,
// which keeps bulk roster loads at one statement a row.
type txVersion struct {
	current int64 // the version callers see
	stored  int64 // the version in the database
}

// stmt returns the transaction's copy of the prepared statement id, made
// once per transaction so that bulk loads do not re-bind it on every row.
func (t *Tx) stmt(ctx context.Context, id stmtID) statement {
	if st := t.stmts[id]; st != nil {
		return st
	}
	var st *sql.Stmt
	if shared := t.store.prepared(id); shared != nil {
		st = t.tx.StmtContext(ctx, shared)
	} else {
		// The store's connection is this transaction's: preparing on the
		// store would wait for it forever. Prepare for this transaction.
		var err error
		if st, err = t.tx.PrepareContext(ctx, id.text()); err != nil {
			return unprepared{t.tx, id.text()}
		}
	}
	t.stmts[id] = st
	return st
}

// base returns the store the transaction is in.
func (t *Tx) base() *Store { return t.store }

// atomic runs fn directly: the transaction already makes it atomic.
func (t *Tx) atomic(_ context.Context, fn func(tx *Tx) error) error {
	return fn(t)
}

// rosterVersion returns the owner's roster version within the transaction.
func (t *Tx) rosterVersion(ctx context.Context, owner string) (int64, error) {
	if v, ok := t.versions[owner]; ok {
		return v.current, nil
	}
	ver, err := t.storedRosterVersion(ctx, owner)
	if err == nil {
		t.rememberVersion(owner, ver)
	}
	return ver, err
}

// bumpRosterVersion increments the owner's roster version and returns it.
func (t *Tx) bumpRosterVersion(ctx context.Context, owner string) (int64, error) {
	if v, ok := t.versions[owner]; ok {
		v.current++
		return v.current, nil
	}
	var ver integer
	if err := t.row(ctx, stmtBumpRosterVersion, owner).Scan(&ver); err != nil {
		return 0, err
	}
	t.rememberVersion(owner, int64(ver))
	return int64(ver), nil
}

// rememberVersion caches a version known to be stored.
func (t *Tx) rememberVersion(owner string, ver int64) {
	if t.versions == nil {
		t.versions = make(map[string]*txVersion)
	}
	t.versions[owner] = &txVersion{current: ver, stored: ver}
}

// flushVersions writes the versions bumped only in memory.
func (t *Tx) flushVersions(ctx context.Context) error {
	for owner, v := range t.versions {
		if v.current == v.stored {
			continue
		}
		if _, err := t.exec(ctx, stmtSetRosterVersion, owner, v.current); err != nil {
			return fail(err, "set roster version of", owner)
		}
		v.stored = v.current
	}
	return nil
}

// storedRosterVersion reads the owner's roster version from the
// database; 0 if the roster never changed.
func (q queries) storedRosterVersion(ctx context.Context, owner string) (int64, error) {
	var ver integer
	err := q.row(ctx, stmtRosterVersion, owner).Scan(&ver)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return int64(ver), err
}

// runner is what the shared queries need from a Store or a Tx.
type runner interface {
	stmt(ctx context.Context, id stmtID) statement
	atomic(ctx context.Context, fn func(tx *Tx) error) error
	rosterVersion(ctx context.Context, owner string) (int64, error)
	base() *Store // the store itself, or the one a transaction is in
}

// queries holds the read and write methods shared by Store and Tx.
type queries struct {
	r runner
}

// exec runs statement id for its effect and returns the rows it changed.
func (q queries) exec(ctx context.Context, id stmtID, args ...any) (int64, error) {
	res, err := q.r.stmt(ctx, id).ExecContext(ctx, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// row runs statement id expecting at most one row.
func (q queries) row(ctx context.Context, id stmtID, args ...any) *sql.Row {
	return q.r.stmt(ctx, id).QueryRowContext(ctx, args...)
}

// rows runs statement id for a result set.
func (q queries) rows(ctx context.Context, id stmtID, args ...any) (*sql.Rows, error) {
	return q.r.stmt(ctx, id).QueryContext(ctx, args...)
}
