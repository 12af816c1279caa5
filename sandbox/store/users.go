package store

import (
	"context"
	"database/sql"
	"errors"
)

// User is a local account.
type User struct {
	Name       string // the localpart
	Password   string
	AutoAccept bool // approve every subscription request and subscribe back
	Fixture    bool // came from a fixture file, not from run time
}

// SCRAMKeys are the salted keys a SCRAM mechanism needs to authenticate a
// user without the password (RFC 5802 §3).
type SCRAMKeys struct {
	Salt      []byte
	Iters     int
	StoredKey []byte
	ServerKey []byte
}

// PutUser inserts or updates u. A changed password drops the user's stored
// SCRAM keys, which were derived from the old one.
func (q queries) PutUser(ctx context.Context, u User) error {
	_, err := q.exec(ctx, stmtPutUser, u.Name, u.Password, u.AutoAccept, u.Fixture)
	return fail(err, "put user", u.Name)
}

// DeleteAllUsers removes every user and everything users own, for a
// reset to the fixtures. Roster versions stay, so they never go back.
func (q queries) DeleteAllUsers(ctx context.Context) error {
	_, err := q.exec(ctx, stmtDeleteAllUsers)
	return fail(err, "delete all users")
}

// DeleteUser removes the user and everything the user owns: SCRAM keys,
// roster, subscription requests and offline messages. Only the roster
// version counter stays, so a re-created user's versions keep rising. An
// absent user is not an error.
func (q queries) DeleteUser(ctx context.Context, name string) error {
	_, err := q.exec(ctx, stmtDeleteUser, name)
	return fail(err, "delete user", name)
}

// User returns the user called name, and whether it exists.
func (q queries) User(ctx context.Context, name string) (User, bool, error) {
	var u User
	err := scanUser(q.row(ctx, stmtUser, name), &u)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, false, nil
	}
	return u, err == nil, fail(err, "user", name)
}

// Users returns every user, sorted by name.
func (q queries) Users(ctx context.Context) ([]User, error) {
	rows, err := q.rows(ctx, stmtUsers)
	if err != nil {
		return nil, fail(err, "users")
	}
	defer rows.Close()
	var users []User
	for rows.Next() {
		var u User
		if err := scanUser(rows, &u); err != nil {
			return nil, fail(err, "users")
		}
		users = append(users, u)
	}
	return users, fail(rows.Err(), "users")
}

// CountUsers returns the number of users.
func (q queries) CountUsers(ctx context.Context) (int, error) {
	n, err := q.count(ctx, stmtCountUsers)
	return n, fail(err, "count users")
}

// SCRAM returns the user's keys for mech ("SCRAM-SHA-1", "SCRAM-SHA-256"),
// and whether they are stored.
func (q queries) SCRAM(ctx context.Context, name, mech string) (SCRAMKeys, bool, error) {
	var k SCRAMKeys
	var iters integer
	err := q.row(ctx, stmtSCRAM, name, mech).Scan(&k.Salt, &iters, &k.StoredKey, &k.ServerKey)
	k.Iters = int(iters)
	if errors.Is(err, sql.ErrNoRows) {
		return SCRAMKeys{}, false, nil
	}
	return k, err == nil, fail(err, "scram keys", mech, name)
}

// PutSCRAM stores the user's keys for mech, replacing earlier ones.
func (q queries) PutSCRAM(ctx context.Context, name, mech string, k SCRAMKeys) error {
	_, err := q.exec(ctx, stmtPutSCRAM, name, mech, k.Salt, int64(k.Iters), k.StoredKey, k.ServerKey)
	return fail(err, "put scram keys", mech, name)
}

// count runs a statement that returns one integer.
func (q queries) count(ctx context.Context, id stmtID, args ...any) (int, error) {
	var n integer
	err := q.row(ctx, id, args...).Scan(&n)
	return int(n), err
}

// scanUser reads the user columns into u.
func scanUser(sc scanner, u *User) error {
	var autoAccept, fixture integer
	err := sc.Scan(&u.Name, &u.Password, &autoAccept, &fixture)
	u.AutoAccept, u.Fixture = autoAccept != 0, fixture != 0
	return err
}
