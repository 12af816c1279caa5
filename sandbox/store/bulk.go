package store

import (
	"context"
	"database/sql"
	"strings"
)

// bulkRows is how many rows one bulk statement writes. Binding and
// stepping many rows per statement spreads the per-statement cost of
// database/sql and the driver, which dominates one-row statements; 64
// rows of 8 columns stay far below SQLite's limit on bound parameters.
const bulkRows = 64

// PutUsers inserts or updates users, as PutUser does for each, in
// statements of many rows.
func (t *Tx) PutUsers(ctx context.Context, users []User) error {
	return t.bulk(ctx, bulkUsers, len(users), func(i int, args []any) ([]any, error) {
		u := &users[i]
		return append(args, u.Name, u.Password, u.AutoAccept, u.Fixture), nil
	})
}

// PutRosterItems inserts or replaces items, as PutRosterItem does for
// each: every item bumps its owner's roster version once, so versions
// come out as they would one item at a time.
func (t *Tx) PutRosterItems(ctx context.Context, items []RosterItem) error {
	err := t.bulk(ctx, bulkRoster, len(items), func(i int, args []any) ([]any, error) {
		it := &items[i]
		groups, err := encodeGroups(it.Groups)
		if err != nil {
			return args, fail(err, "put roster item", it.Owner, it.Contact)
		}
		return append(args, it.Owner, it.Contact, it.Name, groups, int64(it.Sub), it.PendingOut, it.PendingIn, it.Approved), nil
	})
	if err != nil {
		return err
	}
	for i := range items {
		if _, err := t.bumpRosterVersion(ctx, items[i].Owner); err != nil {
			return fail(err, "put roster item", items[i].Owner, items[i].Contact)
		}
	}
	return nil
}

// bulkKind is a table that bulk writes.
type bulkKind int

const (
	bulkUsers bulkKind = iota
	bulkRoster
)

// bulk writes n rows of kind; add appends row i's arguments to args.
func (t *Tx) bulk(ctx context.Context, kind bulkKind, n int, add func(i int, args []any) ([]any, error)) error {
	var full *sql.Stmt // prepared on the first full chunk
	var args []any
	for start := 0; start < n; start += bulkRows {
		end := min(start+bulkRows, n)
		args = args[:0]
		for i := start; i < end; i++ {
			var err error
			if args, err = add(i, args); err != nil {
				return err
			}
		}
		st, err := t.chunkStmt(ctx, kind, end-start, &full)
		if err != nil {
			return err
		}
		if _, err := st.ExecContext(ctx, args...); err != nil {
			return fail(err, "bulk write")
		}
	}
	if full != nil {
		full.Close()
	}
	return nil
}

// chunkStmt returns the statement for a chunk of rows rows: *full, kept
// for the chunks to come, or for the last short chunk one of its own,
// which closes with the transaction.
func (t *Tx) chunkStmt(ctx context.Context, kind bulkKind, rows int, full **sql.Stmt) (*sql.Stmt, error) {
	if rows < bulkRows {
		return t.bulkStmt(ctx, kind, rows)
	}
	if *full == nil {
		st, err := t.bulkStmt(ctx, kind, rows)
		if err != nil {
			return nil, err
		}
		*full = st
	}
	return *full, nil
}

// bulkStmt prepares, within the transaction, the statement writing rows
// rows of kind.
func (t *Tx) bulkStmt(ctx context.Context, kind bulkKind, rows int) (*sql.Stmt, error) {
	head, row, tail := bulkUserSQL()
	if kind == bulkRoster {
		head, row, tail = bulkRosterSQL()
	}
	var b strings.Builder
	b.WriteString(head)
	for i := range rows {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(row)
	}
	b.WriteString(tail)
	st, err := t.tx.PrepareContext(ctx, b.String())
	return st, fail(err, "prepare bulk write")
}

// bulkUserSQL is stmtPutUser for many rows.
func bulkUserSQL() (head, row, tail string) {
	return `INSERT INTO users (name, password, auto_accept, fixture) VALUES `, `(?,?,?,?)`,
		` ON CONFLICT (name) DO UPDATE SET password = excluded.password,
		auto_accept = excluded.auto_accept, fixture = excluded.fixture`
}

// bulkRosterSQL is stmtPutRosterItem for many rows.
func bulkRosterSQL() (head, row, tail string) {
	return `INSERT INTO roster (owner, contact, name, groups, sub, pending_out, pending_in, approved) VALUES `,
		`(?,?,?,?,?,?,?,?)`,
		` ON CONFLICT (owner, contact) DO UPDATE SET name = excluded.name, groups = excluded.groups,
		sub = excluded.sub, pending_out = excluded.pending_out, pending_in = excluded.pending_in,
		approved = excluded.approved`
}
