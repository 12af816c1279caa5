package sandbox

import (
	"errors"
	"net"

	"mellium.im/xmpp/jid"

	"github.com/xmppsandbox/xmppsandbox/sandbox/sasl"
	"github.com/xmppsandbox/xmppsandbox/sandbox/store"
)

// anyPassword is the any-password mode's credentials: every password is
// right, and an unknown user is created at its first login, for quick
// manual tests. Only PLAIN can work this way: SCRAM proves knowledge of a
// password the server would have to know already.
type anyPassword struct {
	*users
	domain string
}

// CheckPassword implements sasl.PasswordChecker.
func (a anyPassword) CheckPassword(name, password string) bool {
	if a.exists(name) {
		return true
	}
	if _, err := jid.New(name, a.domain, ""); err != nil {
		return false
	}
	return a.put(store.User{Name: name, Password: password}) == nil
}

var _ sasl.PasswordChecker = anyPassword{}

// plainOnly is the mechanism list of the any-password mode.
func plainOnly() []string { return []string{string(sasl.PLAIN)} }

// errAnyPasswordOffLoopback refuses a mode that would let anyone in.
var errAnyPasswordOffLoopback = errors.New("--any-password is refused off loopback: it lets anyone log in as anyone")

func checkAnyPassword(enabled bool, listeners ...net.Listener) error {
	if !enabled {
		return nil
	}
	for _, l := range listeners {
		if !isLoopback(l.Addr()) {
			return errAnyPasswordOffLoopback
		}
	}
	return nil
}
