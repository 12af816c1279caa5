// Package store keeps the sandbox's users, rosters, subscription requests and
// offline messages in SQLite, either in memory or in a file that survives
// restarts and crashes.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// MemoryPath is the Open path that keeps everything in memory and writes
// nothing to disk.
const MemoryPath = ":memory:"

// Store is an open database. Its methods are safe for concurrent use.
// Calls are serialised on one connection: SQLite allows one writer at a
// time anyway, and a single connection is what keeps a ":memory:"
// database alive and shared.
type Store struct {
	queries
	db *sql.DB

	mu    sync.Mutex // guards stmts
	stmts [stmtCount]*sql.Stmt

	requests requestOwners
}

// Open opens the database at path, creating and migrating it as needed.
// MemoryPath keeps the data in memory only. A file database uses a
// write-ahead log, so every call that returned has reached the file and
// survives the process being killed.
func Open(path string) (*Store, error) {
	if path == "" {
		return nil, errors.New("store: empty database path")
	}
	db, err := sql.Open("sqlite", dataSource(path))
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	// Keep exactly one connection forever: each new connection to
	// ":memory:" would be a different, empty database.
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	s := &Store{db: db}
	s.queries = queries{r: s}
	if err := s.init(context.Background()); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	return s, nil
}

// init migrates the schema. Statements are prepared on first use:
// preparing all of them up front was a fifth of a sandbox's start.
func (s *Store) init(ctx context.Context) error {
	return migrate(ctx, s.db)
}

// dataSource builds the driver's data source name for path. File paths are
// written as SQLite URIs so that a '?' or '#' in a file name stays part of
// the name instead of starting the parameters.
func dataSource(path string) string {
	const common = "_pragma=foreign_keys(1)&_pragma=busy_timeout(5000)"
	if path == MemoryPath {
		return MemoryPath + "?" + common
	}
	escaped := strings.NewReplacer("%", "%25", "?", "%3F", "#", "%23").Replace(path)
	// synchronous=NORMAL in WAL mode loses nothing on a process crash; only
	// a power cut may drop the last commits. A 32 MiB page cache keeps a
	// bulk seed from spilling to disk before its commit.
	return "file:" + escaped + "?" + common +
		"&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=cache_size(-32768)"
}

// Close releases the statements and the database. A file database is
// checkpointed on close, leaving no write-ahead log behind.
func (s *Store) Close() error {
	var errs []error
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, st := range s.stmts {
		if st != nil {
			errs = append(errs, st.Close())
		}
	}
	errs = append(errs, s.db.Close())
	return errors.Join(errs...)
}

// Update runs fn in one transaction, committed if fn returns nil and rolled
// back otherwise. Inside fn use only tx: a call on the Store would wait for
// the connection that the transaction holds.
func (s *Store) Update(ctx context.Context, fn func(tx *Tx) error) error {
	sqlTx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	committed := false
	defer func() {
		if !committed {
			sqlTx.Rollback()
		}
	}()
	tx := &Tx{store: s, tx: sqlTx}
	tx.queries = queries{r: tx}
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.flushVersions(ctx); err != nil {
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	committed = true
	return nil
}

// stmt returns the prepared statement id, preparing it on first use. A
// statement that cannot be prepared (the database is closed) is returned
// unprepared: using it reports the error.
func (s *Store) stmt(ctx context.Context, id stmtID) statement {
	if st := s.prepared(id); st != nil {
		return st
	}
	// Not under s.mu: preparing waits for the connection, which a
	// transaction may hold while it asks for s.mu in prepared.
	st, err := s.db.PrepareContext(ctx, id.text())
	if err != nil {
		return unprepared{s.db, id.text()}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if won := s.stmts[id]; won != nil {
		st.Close() // another caller prepared it meanwhile
		return won
	}
	s.stmts[id] = st
	return st
}

// prepared returns statement id if it is already prepared, else nil.
func (s *Store) prepared(id stmtID) *sql.Stmt {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stmts[id]
}

// base returns the store itself: what a transaction's base is.
func (s *Store) base() *Store { return s }

// atomic runs fn in a new transaction.
func (s *Store) atomic(ctx context.Context, fn func(tx *Tx) error) error {
	return s.Update(ctx, fn)
}

// rosterVersion reads the owner's roster version.
func (s *Store) rosterVersion(ctx context.Context, owner string) (int64, error) {
	return s.storedRosterVersion(ctx, owner)
}
