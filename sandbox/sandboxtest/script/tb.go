package script

import (
	"fmt"
	"testing"
)

// failContext is what a failure inside the client helpers is about: the
// step being run and, while a Receive step waits, the expected stanza.
type failContext struct {
	pos  string
	want string
}

func (f *failContext) wrap(msg string) string {
	if f.want != "" {
		return f.pos + ": " + msg + "\nwant:\n" + indent(f.want)
	}
	return f.pos + ": " + msg
}

// clientTB is the testing.TB a client logs in with. It puts the current
// step in front of every failure the client helpers report, and keeps the
// client's cleanups so that a disconnect step can run them early.
type clientTB struct {
	testing.TB
	where **failContext
	conn  *conn
}

// Cleanup keeps f with the connection instead of the test.
func (c *clientTB) Cleanup(f func()) { c.conn.cleanups = append(c.conn.cleanups, f) }

// Fatalf reports at the current step.
func (c *clientTB) Fatalf(format string, args ...any) {
	c.TB.Helper()
	c.TB.Fatal((*c.where).wrap(fmt.Sprintf(format, args...)))
}

// Fatal reports at the current step.
func (c *clientTB) Fatal(args ...any) {
	c.TB.Helper()
	c.TB.Fatal((*c.where).wrap(fmt.Sprint(args...)))
}

// Errorf reports at the current step.
func (c *clientTB) Errorf(format string, args ...any) {
	c.TB.Helper()
	c.TB.Error((*c.where).wrap(fmt.Sprintf(format, args...)))
}

// Error reports at the current step.
func (c *clientTB) Error(args ...any) {
	c.TB.Helper()
	c.TB.Error((*c.where).wrap(fmt.Sprint(args...)))
}
