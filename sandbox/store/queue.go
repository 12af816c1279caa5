package store

import (
	"cmp"
	"context"
	"slices"
	"time"
)

// SubRequest is a stored inbound subscription request (RFC 6121 §3.1.3),
// kept until the owner answers it.
type SubRequest struct {
	Contact string // bare JID of the requester
	Stanza  string // the whole original presence stanza as XML text
}

// OfflineMessage is a stanza stored for a user who was offline
// (RFC 6121 §8.5.2.1.1).
type OfflineMessage struct {
	ID     int64
	Stanza string
	Stamp  time.Time // when it was stored, to the microsecond, in UTC
}

// PutSubRequest stores r for owner, replacing an earlier request from the
// same contact; the replacement counts as the latest arrival.
func (q queries) PutSubRequest(ctx context.Context, owner string, r SubRequest) error {
	_, err := q.exec(ctx, stmtPutSubRequest, owner, r.Contact, r.Stanza)
	if err == nil {
		q.r.base().requests.wrote(owner)
	}
	return fail(err, "put subscription request", owner, r.Contact)
}

// DeleteSubRequest removes owner's request from contact, if any.
func (q queries) DeleteSubRequest(ctx context.Context, owner, contact string) error {
	_, err := q.exec(ctx, stmtDeleteSubRequest, owner, contact)
	return fail(err, "delete subscription request", owner, contact)
}

// SubRequests returns owner's pending requests in arrival order.
func (q queries) SubRequests(ctx context.Context, owner string) ([]SubRequest, error) {
	rows, err := q.rows(ctx, stmtSubRequests, owner)
	if err != nil {
		return nil, fail(err, "subscription requests of", owner)
	}
	defer rows.Close()
	var reqs []SubRequest
	for rows.Next() {
		var r SubRequest
		if err := rows.Scan(&r.Contact, &r.Stanza); err != nil {
			return nil, fail(err, "subscription requests of", owner)
		}
		reqs = append(reqs, r)
	}
	return reqs, fail(rows.Err(), "subscription requests of", owner)
}

// PushOffline stores stanza for owner, stamped with stamp.
func (q queries) PushOffline(ctx context.Context, owner string, stanza string, stamp time.Time) error {
	_, err := q.exec(ctx, stmtPushOffline, owner, stanza, stamp.UnixMicro())
	return fail(err, "push offline message for", owner)
}

// PopOffline returns owner's stored messages in arrival order and deletes
// them, in one transaction: a failure deletes nothing.
func (q queries) PopOffline(ctx context.Context, owner string) ([]OfflineMessage, error) {
	var msgs []OfflineMessage
	err := q.r.atomic(ctx, func(tx *Tx) error {
		var err error
		msgs, err = tx.popOffline(ctx, owner)
		return err
	})
	if err != nil {
		return nil, fail(err, "pop offline messages of", owner)
	}
	// RETURNING yields rows in no promised order.
	slices.SortFunc(msgs, func(a, b OfflineMessage) int { return cmp.Compare(a.ID, b.ID) })
	return msgs, nil
}

// popOffline deletes owner's messages and returns them unordered.
func (q queries) popOffline(ctx context.Context, owner string) ([]OfflineMessage, error) {
	rows, err := q.rows(ctx, stmtPopOffline, owner)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var msgs []OfflineMessage
	for rows.Next() {
		var m OfflineMessage
		var id, micros integer
		if err := rows.Scan(&id, &m.Stanza, &micros); err != nil {
			return nil, err
		}
		m.ID, m.Stamp = int64(id), time.UnixMicro(int64(micros)).UTC()
		msgs = append(msgs, m)
	}
	return msgs, rows.Err()
}

// CountOffline returns the number of messages stored for owner.
func (q queries) CountOffline(ctx context.Context, owner string) (int, error) {
	n, err := q.count(ctx, stmtCountOffline, owner)
	return n, fail(err, "count offline messages of", owner)
}
