package store

import "fmt"

// integer receives an INTEGER column. database/sql converts integers and
// booleans by reflection; a Scanner of its own keeps row reads on the
// login path free of it.
type integer int64

// Scan implements sql.Scanner.
func (i *integer) Scan(src any) error {
	v, ok := src.(int64)
	if !ok {
		return fmt.Errorf("column holds %T, want an integer", src)
	}
	*i = integer(v)
	return nil
}
