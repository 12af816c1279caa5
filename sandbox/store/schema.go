package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// migrations returns the schema changes in order; migration i brings the
// database from user_version i to i+1. Append only: a released step must
// never change, since files out there already ran it.
func migrations() []string {
	return []string{schemaV1}
}

// schemaV1 is the first schema. Roster versions live apart from users and
// are never deleted, so a re-created user's clients never see a version
// number reused for different content (XEP-0237 §4).
const schemaV1 = `
CREATE TABLE users (
	name        TEXT PRIMARY KEY CHECK (name <> ''),
	password    TEXT NOT NULL,
	auto_accept INTEGER NOT NULL DEFAULT 0,
	fixture     INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

CREATE TABLE scram (
	user       TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
	mech       TEXT NOT NULL,
	salt       BLOB NOT NULL,
	iters      INTEGER NOT NULL,
	stored_key BLOB NOT NULL,
	server_key BLOB NOT NULL,
	PRIMARY KEY (user, mech)
) WITHOUT ROWID;

-- Keys derived from an old password must not authenticate the new one.
CREATE TRIGGER users_password_changed AFTER UPDATE OF password ON users
WHEN OLD.password IS NOT NEW.password
BEGIN
	DELETE FROM scram WHERE user = NEW.name;
END;

CREATE TABLE roster (
	owner       TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
	contact     TEXT NOT NULL CHECK (contact <> ''),
	name        TEXT NOT NULL DEFAULT '',
	groups      TEXT NOT NULL DEFAULT '',
	sub         INTEGER NOT NULL DEFAULT 0 CHECK (sub BETWEEN 0 AND 3),
	pending_out INTEGER NOT NULL DEFAULT 0,
	pending_in  INTEGER NOT NULL DEFAULT 0,
	approved    INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (owner, contact)
) WITHOUT ROWID;

CREATE TABLE roster_versions (
	owner TEXT PRIMARY KEY,
	ver   INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE sub_requests (
	id      INTEGER PRIMARY KEY,
	owner   TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
	contact TEXT NOT NULL,
	stanza  TEXT NOT NULL,
	UNIQUE (owner, contact)
);

CREATE TABLE offline (
	id     INTEGER PRIMARY KEY AUTOINCREMENT,
	owner  TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
	stanza TEXT NOT NULL,
	stamp  INTEGER NOT NULL
);
CREATE INDEX offline_owner ON offline(owner, id);
`

// ErrNewerSchema is returned by Open for a database written by a newer
// program whose schema this one does not know.
var ErrNewerSchema = errors.New("database schema is newer than this program supports")

// migrate brings the database to the latest schema in one immediate
// transaction, so two processes opening a new file at once cannot both
// apply the same step.
func migrate(ctx context.Context, db *sql.DB) (err error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	// A database already at the latest schema, every start but the first,
	// needs no write lock: taking one costs a start a write to the file.
	if have, err := userVersion(ctx, conn); err == nil && have == len(migrations()) {
		return nil
	}
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			conn.ExecContext(context.Background(), "ROLLBACK")
		}
	}()
	if err := applyMigrations(ctx, conn); err != nil {
		return err
	}
	_, err = conn.ExecContext(ctx, "COMMIT")
	return err
}

// applyMigrations runs the steps the database has not seen yet.
func applyMigrations(ctx context.Context, conn *sql.Conn) error {
	have, err := userVersion(ctx, conn)
	if err != nil {
		return err
	}
	steps := migrations()
	if have > len(steps) {
		return fmt.Errorf("%w: version %d, known up to %d", ErrNewerSchema, have, len(steps))
	}
	for i := have; i < len(steps); i++ {
		if _, err := conn.ExecContext(ctx, steps[i]); err != nil {
			return fmt.Errorf("migration %d: %w", i+1, err)
		}
	}
	if have == len(steps) {
		return nil
	}
	// PRAGMA takes no bound parameters; the number is ours, not input.
	_, err = conn.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", len(steps)))
	return err
}

// userVersion reads the schema version the database was last migrated to.
func userVersion(ctx context.Context, conn *sql.Conn) (int, error) {
	var v int
	err := conn.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v)
	return v, err
}
