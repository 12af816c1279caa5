// Package c2s is the client-to-server session: the seed's ejabberd_c2s
// state machine, from wait_for_stream to session_established. It knows
// streams, TLS, SASL and resource binding; everything a session does after
// that reaches features through its hooks and the router.
package c2s

import (
	"crypto/tls"
	"time"

	"github.com/xmppsandbox/xmppsandbox/sandbox/fault"
	"github.com/xmppsandbox/xmppsandbox/sandbox/hook"
	"github.com/xmppsandbox/xmppsandbox/sandbox/router"
	"github.com/xmppsandbox/xmppsandbox/sandbox/sasl"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
	"github.com/xmppsandbox/xmppsandbox/sandbox/toggle"
)

// Config is what every session of a listener shares.
type Config struct {
	Domain string
	// TLS enables STARTTLS when not nil.
	TLS *tls.Config
	// RequireTLS refuses authentication before STARTTLS.
	RequireTLS bool
	// MaxStanza is the stanza size limit in bytes.
	MaxStanza int
	// AuthTimeout closes a stream that has not authenticated in time.
	AuthTimeout time.Duration
	// Credentials checks passwords for SASL.
	Credentials sasl.Credentials
	// Mechanisms lists the SASL mechanisms offered, in order.
	Mechanisms func() []string
	// Framed selects XMPP over WebSocket framing (RFC 7395): <open/> and
	// <close/> instead of <stream:stream>, one element per message.
	Framed bool
	// MaxQueue bounds the stanzas waiting for a client that does not read.
	MaxQueue int
	Router   *router.Router
	Hooks    *Hooks
	// MaxQueueBytes bounds the same queue by the estimated size of its
	// stanzas; 0 means DefaultMaxQueueBytes.
	MaxQueueBytes int
	// RateLimit is how many stanzas per second a bound session may send;
	// a client over it is disconnected. 0 means no limit.
	RateLimit int
	// RateBurst is how many stanzas a session may send at once within
	// RateLimit; 0 means RateLimit.
	RateBurst int
	// AuthThrottle delays the answers to failed SASL attempts; nil
	// answers them at once.
	AuthThrottle *AuthThrottle
	// Faults injects delays and drops into what bound sessions are sent;
	// nil injects none.
	Faults *fault.Registry
	// Toggles switches optional stream features off for new streams; nil
	// offers them all.
	Toggles *toggle.Set
	// Shutdown is closed when the server shuts down: a stream that has
	// not bound a resource is then cut by a read deadline, and ends with
	// system-shutdown rather than connection-timeout. nil never closes.
	Shutdown <-chan struct{}
}

// shuttingDown reports whether the server is shutting down.
func (c *Config) shuttingDown() bool {
	select {
	case <-c.Shutdown:
		return true
	default:
		return false
	}
}

// Hooks are the points where features join a session.
type Hooks struct {
	// UserSendPacket sees every stanza a bound client sends, with from
	// stamped, before it is routed; a handler that takes care of the
	// stanza itself (presence broadcast, roster iq) sets Handled.
	UserSendPacket hook.Fold[*router.Packet]
	// SessionClosed runs once a bound session ends, before it is
	// unregistered, so its presence can still be broadcast as unavailable.
	SessionClosed hook.Run[*router.Session]
	// Trace sees every element read from or written to a client.
	Trace hook.Run[Trace]
}

// Trace is one element crossing a client connection.
type Trace struct {
	In      bool   // read from the client; otherwise written to it
	Session string // full JID once bound, else the connection's address
	El      *stanza.Element
	Wire    []byte // the bytes written, for outgoing elements; valid only during the hook
	Time    time.Time
}

func (c *Config) maxQueue() int {
	if c.MaxQueue > 0 {
		return c.MaxQueue
	}
	return DefaultMaxQueue
}
