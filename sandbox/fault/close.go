package fault

import (
	"cmp"
	"fmt"

	"github.com/xmppsandbox/xmppsandbox/sandbox/router"
)

// How Close ends a stream.
const (
	// ModeReset drops the connection at once: a TCP reset with no
	// closing tag, as when a network path dies.
	ModeReset = "reset"
	// ModeGraceful sends a stream error and </stream:stream> (RFC 6120
	// §4.9) after what is already queued.
	ModeGraceful = "graceful"
)

// DefaultCondition is the stream error of a graceful close that names
// none.
const DefaultCondition = "system-shutdown"

// closeText is the text sent with the stream error of a graceful close.
const closeText = "closed by a fault injected in the sandbox"

// Aborter is implemented by a connection that can end at once, without a
// closing tag.
type Aborter interface {
	Abort()
}

// CheckClose validates a close request and returns the condition to use.
func CheckClose(mode, condition string) (string, error) {
	switch mode {
	case ModeReset:
		if condition != "" {
			return "", fmt.Errorf("a reset sends no stream error: drop the condition %q or close gracefully", condition)
		}
		return "", nil
	case "", ModeGraceful:
		if condition == "" {
			return DefaultCondition, nil
		}
		return condition, CheckStreamCondition(condition)
	}
	return "", fmt.Errorf("a close mode is %q or %q, not %q", ModeReset, ModeGraceful, mode)
}

// Close ends sessions as mode says: aborted, or closed with a stream
// error of condition (already checked with CheckClose).
func Close(sessions []*router.Session, mode, condition string) {
	for _, s := range sessions {
		if a, ok := s.Conn.(Aborter); ok && mode == ModeReset {
			a.Abort()
			continue
		}
		s.Conn.Close(cmp.Or(condition, DefaultCondition), closeText)
	}
}
