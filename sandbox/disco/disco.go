// Package disco answers service discovery (XEP-0030) for the server and,
// on their behalf, for user accounts.
package disco

import (
	"sort"

	"github.com/xmppsandbox/xmppsandbox/sandbox/router"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
)

// Namespaces of XEP-0030.
const (
	NSInfo  = "http://jabber.org/protocol/disco#info"
	NSItems = "http://jabber.org/protocol/disco#items"
)

// Identity is a disco identity.
type Identity struct{ Category, Type, Name string }

// Module holds what the server and accounts advertise; other features add
// their namespaces before the server starts.
type Module struct {
	ServerIdentity  Identity
	ServerFeatures  []string
	AccountFeatures []string
	// Listed reports whether a feature is offered now, so that one
	// switched off at run time stops being advertised; nil lists all.
	Listed func(feature string) bool
}

// Register installs the handlers on r.
func (m *Module) Register(r *router.Router) {
	r.HandleServerIQ(NSInfo, m.serverInfo)
	r.HandleServerIQ(NSItems, items)
	r.HandleUserIQ(NSInfo, m.accountInfo)
	r.HandleUserIQ(NSItems, items)
}

func (m *Module) serverInfo(p *router.Packet) *stanza.Element {
	return info(p, m.ServerIdentity, m.listed(m.ServerFeatures))
}

// accountInfo answers for an account (XEP-0030 §3.1; RFC 6121 has the
// server answer for the bare JID).
func (m *Module) accountInfo(p *router.Packet) *stanza.Element {
	return info(p, Identity{Category: "account", Type: "registered"}, m.listed(m.AccountFeatures))
}

// listed returns the features of all that Listed lets through.
func (m *Module) listed(all []string) []string {
	if m.Listed == nil {
		return all
	}
	var out []string
	for _, f := range all {
		if m.Listed(f) {
			out = append(out, f)
		}
	}
	return out
}

func info(p *router.Packet, id Identity, features []string) *stanza.Element {
	if p.El.Type() != "get" {
		return p.El.ErrorReply(stanza.NotAllowed, "")
	}
	if node := p.El.Payload().Get("node"); node != "" {
		return p.El.ErrorReply(stanza.ItemNotFound, "no such node")
	}
	q := stanza.New(NSInfo, "query")
	q.Append(stanza.New(NSInfo, "identity", "category", id.Category, "type", id.Type, "name", id.Name))
	all := append([]string{NSInfo, NSItems}, features...)
	sort.Strings(all)
	for i, f := range all {
		if i == 0 || all[i-1] != f {
			q.Append(stanza.New(NSInfo, "feature", "var", f))
		}
	}
	return p.El.Result(q)
}

func items(p *router.Packet) *stanza.Element {
	if p.El.Type() != "get" {
		return p.El.ErrorReply(stanza.NotAllowed, "")
	}
	return p.El.Result(stanza.New(NSItems, "query", "node", p.El.Payload().Get("node")))
}
