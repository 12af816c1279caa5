package presence

import (
	"mellium.im/xmpp/jid"

	"github.com/xmppsandbox/xmppsandbox/sandbox/roster"
	"github.com/xmppsandbox/xmppsandbox/sandbox/router"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
)

// broadcast handles presence without a to: the seed's presence_update.
func (m *Module) broadcast(sess *router.Session, el *stanza.Element) {
	if el.Type() == "unavailable" {
		m.goUnavailable(sess, el)
		return
	}
	// Every recipient gets the same children; write them once.
	el.ShareContent()
	was := sess.SetPresence(el, priority(el))
	l := m.lists(sess.JID.Localpart())
	// The client sees its own presence come back first, then the
	// answers to its probes (RFC 6121 §4.2.2).
	m.sendToOwn(sess, el)
	if !was {
		m.probe(sess, l.To)
	}
	m.sendToContacts(sess, el, l.From)
	if !was {
		m.Hooks.Available.Run(sess)
	}
}

// probe asks each contact the user is subscribed to for its presence
// (presence_broadcast_first, step 1). The probe comes from the new
// resource, so only it receives the answers.
func (m *Module) probe(sess *router.Session, to []*roster.Contact) {
	for _, c := range to {
		el := stanza.New(stanza.NSClient, stanza.Presence, "type", "probe", "from", sess.Full, "to", c.Bare)
		m.Router.Route(&router.Packet{From: sess.JID, To: c.JID, ToBare: c.Bare, El: el, Sender: sess})
	}
}

// sendToContacts sends el to the contacts subscribed to the user
// (RFC 6121 §4.2.2, §4.4.2).
func (m *Module) sendToContacts(sess *router.Session, el *stanza.Element, from []*roster.Contact) {
	for _, c := range from {
		m.routeTo(sess, c, el)
	}
}

// sendToOwn sends el to the user's own available resources, the sender
// included.
func (m *Module) sendToOwn(sess *router.Session, el *stanza.Element) {
	for _, own := range m.Router.Available(sess.Bare) {
		m.Router.Deliver(own, el.Readdressed(sess.Full, own.Full))
	}
}

// goUnavailable handles a resource going offline, by its own
// <presence type='unavailable'/> or by its stream ending.
func (m *Module) goUnavailable(sess *router.Session, el *stanza.Element) {
	for _, d := range sess.TakeDirected() {
		if dj, err := jid.Parse(d); err == nil {
			m.route(sess.JID, dj, el)
		}
	}
	wasAvailable, _, _ := sess.Presence()
	if !wasAvailable {
		return
	}
	el.ShareContent()
	// Own resources still see the last word of this one.
	m.sendToOwn(sess, el)
	m.sendToContacts(sess, el, m.lists(sess.JID.Localpart()).From)
	sess.SetPresence(nil, 0)
}

// SessionClosed broadcasts unavailable for a session whose stream ended
// (RFC 6121 §4.5.2).
func (m *Module) SessionClosed(sess *router.Session) {
	m.goUnavailable(sess, stanza.New(stanza.NSClient, stanza.Presence, "type", "unavailable"))
}

// answerProbe replies to a probe from a contact with the last presence of
// each of the user's available resources, if the contact may see it
// (RFC 6121 §4.3.2).
//
// Most probed contacts are offline, so the sessions are looked up first:
// with none, the answer is silence whatever the roster says, and the
// contact's roster need not be read at all.
func (m *Module) answerProbe(p *router.Packet) {
	sessions := m.Router.Available(p.BareTo())
	if len(sessions) == 0 {
		return
	}
	bare, full := prober(p)
	it, ok := m.Roster.Get(p.To.Localpart(), bare)
	if !ok || !rosterState(it).SendsPresenceTo() {
		return
	}
	for _, s := range sessions {
		if _, _, last := s.Presence(); last != nil {
			m.Router.Route(&router.Packet{From: s.JID, To: p.From, El: last.Readdressed(s.Full, full)})
		}
	}
}

// prober returns the bare and full JID a probe comes from, as strings:
// the sending session has them ready when the probe is its own.
func prober(p *router.Packet) (bare, full string) {
	if s := p.Sender; s != nil && s.JID.Equal(p.From) {
		return s.Bare, s.Full
	}
	return p.From.Bare().String(), p.From.String()
}

// sendPresenceTo sends the user's current presence, one stanza per
// available resource, to a contact that was just granted a subscription.
func (m *Module) sendPresenceTo(user string, to jid.JID) {
	for _, s := range m.Router.Available(m.bare(user).String()) {
		if _, _, last := s.Presence(); last != nil {
			m.route(s.JID, to, last)
		}
	}
}

// sendUnavailableTo tells a contact who lost its subscription that each of
// the user's resources is gone (RFC 6121 §3.2.2, §3.3.2).
func (m *Module) sendUnavailableTo(user string, to jid.JID) {
	for _, s := range m.Router.Available(m.bare(user).String()) {
		m.route(s.JID, to, stanza.New(stanza.NSClient, stanza.Presence, "type", "unavailable"))
	}
}
