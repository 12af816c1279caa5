// Package ping answers XMPP Ping (XEP-0199) for the server and for
// accounts.
package ping

import (
	"github.com/xmppsandbox/xmppsandbox/sandbox/router"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
)

// NS is the XEP-0199 namespace.
const NS = "urn:xmpp:ping"

// Register installs the ping handler on r.
func Register(r *router.Router) {
	r.HandleServerIQ(NS, handle)
	r.HandleUserIQ(NS, handle)
}

func handle(p *router.Packet) *stanza.Element {
	if p.El.Type() != "get" {
		return p.El.ErrorReply(stanza.BadRequest, "")
	}
	return p.El.Result()
}
