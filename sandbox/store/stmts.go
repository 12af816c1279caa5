package store

import (
	"fmt"
	"strings"
)

// stmtID names one of the statements prepared at Open.
type stmtID int

const (
	stmtUser stmtID = iota
	stmtUsers
	stmtCountUsers
	stmtPutUser
	stmtDeleteUser
	stmtDeleteAllUsers
	stmtSCRAM
	stmtPutSCRAM
	stmtRoster
	stmtRosterItem
	stmtPutRosterItem
	stmtDeleteRosterItem
	stmtRosterVersion
	stmtBumpRosterVersion
	stmtSetRosterVersion
	stmtPutSubRequest
	stmtDeleteSubRequest
	stmtSubRequests
	stmtRequestOwners
	stmtPushOffline
	stmtPopOffline
	stmtCountOffline
	stmtCount // number of statements, not a statement
)

// text returns the SQL of statement id.
func (id stmtID) text() string {
	switch id {
	case stmtUser:
		return `SELECT name, password, auto_accept, fixture FROM users WHERE name = ?`
	case stmtUsers:
		return `SELECT name, password, auto_accept, fixture FROM users ORDER BY name`
	case stmtCountUsers:
		return `SELECT count(*) FROM users`
	case stmtPutUser:
		return `INSERT INTO users (name, password, auto_accept, fixture) VALUES (?1, ?2, ?3, ?4)
			ON CONFLICT (name) DO UPDATE SET password = ?2, auto_accept = ?3, fixture = ?4`
	case stmtDeleteUser:
		return `DELETE FROM users WHERE name = ?`
	case stmtDeleteAllUsers:
		return `DELETE FROM users`
	case stmtSCRAM:
		return `SELECT salt, iters, stored_key, server_key FROM scram WHERE user = ? AND mech = ?`
	case stmtPutSCRAM:
		return `INSERT INTO scram (user, mech, salt, iters, stored_key, server_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
			ON CONFLICT (user, mech) DO UPDATE SET salt = ?3, iters = ?4, stored_key = ?5, server_key = ?6`
	}
	return id.rosterText()
}

// rosterText returns the SQL of the roster statements.
func (id stmtID) rosterText() string {
	const columns = `contact, name, groups, sub, pending_out, pending_in, approved`
	switch id {
	case stmtRoster:
		return `SELECT ` + columns + ` FROM roster WHERE owner = ? ORDER BY contact`
	case stmtRosterItem:
		return `SELECT ` + columns + ` FROM roster WHERE owner = ? AND contact = ?`
	case stmtPutRosterItem:
		return `INSERT INTO roster (owner, ` + columns + `) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
			ON CONFLICT (owner, contact) DO UPDATE SET name = ?3, groups = ?4, sub = ?5,
			pending_out = ?6, pending_in = ?7, approved = ?8`
	case stmtDeleteRosterItem:
		return `DELETE FROM roster WHERE owner = ? AND contact = ?`
	case stmtRosterVersion:
		return `SELECT ver FROM roster_versions WHERE owner = ?`
	case stmtBumpRosterVersion:
		return `INSERT INTO roster_versions (owner, ver) VALUES (?, 1)
			ON CONFLICT (owner) DO UPDATE SET ver = ver + 1 RETURNING ver`
	case stmtSetRosterVersion:
		return `UPDATE roster_versions SET ver = ?2 WHERE owner = ?1`
	}
	return id.queueText()
}

// queueText returns the SQL of the subscription request and offline
// message statements.
func (id stmtID) queueText() string {
	switch id {
	case stmtPutSubRequest:
		// REPLACE gives the newer request a new id, so it sorts as the
		// latest arrival.
		return `INSERT OR REPLACE INTO sub_requests (owner, contact, stanza) VALUES (?, ?, ?)`
	case stmtDeleteSubRequest:
		return `DELETE FROM sub_requests WHERE owner = ? AND contact = ?`
	case stmtSubRequests:
		return `SELECT contact, stanza FROM sub_requests WHERE owner = ? ORDER BY id`
	case stmtRequestOwners:
		return `SELECT DISTINCT owner FROM sub_requests`
	case stmtPushOffline:
		return `INSERT INTO offline (owner, stanza, stamp) VALUES (?, ?, ?)`
	case stmtPopOffline:
		return `DELETE FROM offline WHERE owner = ? RETURNING id, stanza, stamp`
	case stmtCountOffline:
		return `SELECT count(*) FROM offline WHERE owner = ?`
	}
	panic(fmt.Sprintf("store: no statement %d", id))
}

// fail names the operation that failed and what it was about; a nil err
// stays nil. The message is built only on failure, keeping successful
// calls free of allocations.
func fail(err error, op string, about ...string) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("store: %s %s: %w", op, strings.Join(about, " "), err)
}
