package store

import "context"

// OfflineOwners returns the users who have at least one stored offline
// message, so the offline module can learn it once and then skip the
// store at the logins of everyone else.
func (s *Store) OfflineOwners(ctx context.Context) (map[string]struct{}, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT owner FROM offline`)
	if err != nil {
		return nil, fail(err, "offline owners")
	}
	defer rows.Close()
	owners := map[string]struct{}{}
	for rows.Next() {
		var owner string
		if err := rows.Scan(&owner); err != nil {
			return nil, fail(err, "offline owners")
		}
		owners[owner] = struct{}{}
	}
	return owners, fail(rows.Err(), "offline owners")
}
