// Package presence broadcasts presence (RFC 6121 §4) and carries out the
// subscription transitions the roster's tables decide (RFC 6121 §3): the
// seed's presence_update, presence_broadcast_first and process_subscription.
package presence

import (
	"strconv"
	"strings"

	"mellium.im/xmpp/jid"

	"github.com/xmppsandbox/xmppsandbox/sandbox/hook"
	"github.com/xmppsandbox/xmppsandbox/sandbox/roster"
	"github.com/xmppsandbox/xmppsandbox/sandbox/router"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
	"github.com/xmppsandbox/xmppsandbox/sandbox/store"
)

// Lists are a user's presence peers: the bare JIDs the user's presence
// goes to (the seed's pres_f) and those it comes from (pres_t).
type Lists struct {
	Owner    string
	From, To []*roster.Contact
}

// Hooks are the points other features join presence at.
type Hooks struct {
	// SubscriptionLists is the seed's roster_get_subscription_lists.
	SubscriptionLists hook.Fold[*Lists]
	// Available runs after a resource's initial presence went out: the
	// moment to hand it offline messages and pending requests.
	Available hook.Run[*router.Session]
}

// Module is the presence service of the domain.
type Module struct {
	Domain string
	Router *router.Router
	Roster *roster.Service
	Store  *store.Store
	// AutoAccept reports whether a local user approves every request.
	AutoAccept func(user string) bool
	Hooks      Hooks
}

// lists runs the subscription-lists hook for owner.
func (m *Module) lists(owner string) *Lists {
	return m.Hooks.SubscriptionLists.Run(&Lists{Owner: owner})
}

// UserSend is the c2s user_send_packet handler for presence a client sends.
func (m *Module) UserSend(sess *router.Session, p *router.Packet) bool {
	typ := p.El.Type()
	switch {
	case isSubscription(typ):
		m.outbound(sess.JID, p.To.Bare(), p.El)
		return true
	case typ == "probe":
		return true // RFC 6121 §4.3: probes are the server's business
	case typ == "error":
		return false
	case typ != "" && typ != "unavailable":
		return true // not a presence type: nothing sensible to route
	case p.El.To() == "":
		m.broadcast(sess, p.El)
		return true
	}
	// Directed presence (RFC 6121 §4.6): remember who saw us.
	sess.AddDirected(p.To.String(), typ == "")
	return false
}

// route sends el from one JID to another through the router.
func (m *Module) route(from, to jid.JID, el *stanza.Element) {
	m.Router.Route(&router.Packet{From: from, To: to, El: el.Readdressed(from.String(), to.String())})
}

// routeTo sends el from a session to a contact, both addressed by the
// strings they already carry: the fan-out path, once per contact.
func (m *Module) routeTo(sess *router.Session, c *roster.Contact, el *stanza.Element) {
	m.Router.Route(&router.Packet{From: sess.JID, To: c.JID, ToBare: c.Bare, El: el.Readdressed(sess.Full, c.Bare)})
}

func isSubscription(t string) bool {
	switch t {
	case "subscribe", "subscribed", "unsubscribe", "unsubscribed":
		return true
	}
	return false
}

// priority reads <priority/>, which RFC 6121 §4.7.2.3 bounds to a byte.
func priority(el *stanza.Element) int {
	n, err := strconv.Atoi(strings.TrimSpace(el.ChildText("priority")))
	if err != nil || n < -128 || n > 127 {
		return 0
	}
	return n
}

func (m *Module) bare(user string) jid.JID {
	j, _ := jid.New(user, m.Domain, "")
	return j
}

// SendAs handles a presence stanza as if from (a local user, bare or
// full JID) had sent it, whether or not that user is online: the admin
// API's injection. A session bound to from is used when there is one.
func (m *Module) SendAs(from, to jid.JID, el *stanza.Element) {
	if sess := m.Router.Session(from.Bare().String(), from.Resourcepart()); sess != nil {
		p := &router.Packet{From: from, To: to, El: el.Readdressed(from.String(), el.To()), Sender: sess}
		if !m.UserSend(sess, p) {
			m.Router.Route(p)
		}
		return
	}
	switch typ := el.Type(); {
	case isSubscription(typ):
		m.outbound(from, to.Bare(), el)
	case el.To() == "" && (typ == "" || typ == "unavailable"):
		m.broadcastAs(from, el)
	default:
		m.route(from, to, el)
	}
}

// broadcastAs sends presence for a user who has no session with that
// JID: to the contacts subscribed to the user and to the user's available
// resources, without changing any session's state.
func (m *Module) broadcastAs(from jid.JID, el *stanza.Element) {
	for _, own := range m.Router.Available(from.Bare().String()) {
		m.Router.Deliver(own, el.Readdressed(from.String(), own.Full))
	}
	for _, c := range m.lists(from.Localpart()).From {
		m.route(from, c.JID, el)
	}
}
