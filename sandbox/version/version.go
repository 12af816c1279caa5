// Package version answers Software Version (XEP-0092) for the server.
package version

import (
	"github.com/xmppsandbox/xmppsandbox/sandbox/router"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
)

// NS is the XEP-0092 namespace.
const NS = "jabber:iq:version"

// Register installs the handler; name and ver are what the server reports.
// The operating system is not revealed.
func Register(r *router.Router, name, ver string) {
	r.HandleServerIQ(NS, func(p *router.Packet) *stanza.Element {
		if p.El.Type() != "get" {
			return p.El.ErrorReply(stanza.BadRequest, "")
		}
		q := stanza.New(NS, "query")
		q.Append(stanza.New(NS, "name").AppendText(name))
		q.Append(stanza.New(NS, "version").AppendText(ver))
		return p.El.Result(q)
	})
}
