// Package load measures an XMPP server from the outside, as many clients
// at once over plain TCP with SASL PLAIN: how soon it serves after start,
// how fast it logs clients in, how many messages it carries, how fast a
// presence change reaches every contact and what an idle connection costs.
// It speaks to any server, so the same figures compare the sandbox with
// others. The clients frame the server's elements without parsing them and
// write in batches, and every result reports the CPU the load generator
// itself used, so that a reader can tell it was not the bottleneck.
package load

import (
	"fmt"
	"strings"
	"time"

	"github.com/xmppsandbox/xmppsandbox/sandbox/xclient"
)

// Config says which server to load and as whom; the scenarios take their
// counts as arguments.
type Config struct {
	Addr   string // the client listener, host:port
	Domain string
	// Users is the pattern of user names, with %d for a number counted
	// from First; Password likewise, "" meaning the user's own name.
	Users    string
	Password string
	First    int
	Server   string        // the server's label in results
	PID      int           // the server's process, for its CPU and memory; 0 if unknown
	Parallel int           // logins at once while connections are opened
	Timeout  time.Duration // bound on one scenario
}

// defaults fills what was left zero.
func (c Config) defaults() Config {
	if c.Users == "" {
		c.Users = "user%d"
	}
	if c.First == 0 {
		c.First = 1
	}
	if c.Server == "" {
		c.Server = c.Addr
	}
	if c.Parallel <= 0 {
		c.Parallel = 50
	}
	if c.Timeout <= 0 {
		c.Timeout = 2 * time.Minute
	}
	return c
}

// user is the name and password of the i-th user (from 0).
func (c Config) user(i int) (name, password string) {
	name = numbered(c.Users, c.First+i)
	switch {
	case c.Password == "":
		return name, name
	case strings.Contains(c.Password, "%d"):
		return name, numbered(c.Password, c.First+i)
	}
	return name, c.Password
}

// numbered fills the %d of a pattern; a pattern without one names a
// single user.
func numbered(pattern string, n int) string {
	if !strings.Contains(pattern, "%d") {
		return pattern
	}
	return fmt.Sprintf(pattern, n)
}

// options are the client's login options.
func (c Config) options(resource string) xclient.Options {
	return xclient.Options{Domain: c.Domain, Resource: resource, Timeout: c.loginTimeout()}
}

// loginTimeout bounds one login: a loaded server may take seconds.
func (c Config) loginTimeout() time.Duration { return min(c.Timeout, 30*time.Second) }
