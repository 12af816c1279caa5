package presence

import (
	"mellium.im/xmpp/jid"

	"github.com/xmppsandbox/xmppsandbox/sandbox/router"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
)

// broadcast handles presence without a to: the seed's presence_update.
func (m *Module) broadcast(sess *router.Session, el *stanza.Element) {
	if el.Type() == "unavailable" {
		m.goUnavailable(sess, el)
		return
	}
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
func (m *Module) probe(sess *router.Session, to []jid.JID) {
	for _, c := range to {
		m.route(sess.JID, c, stanza.New(stanza.NSClient, stanza.Presence, "type", "probe"))
	}
}

// sendToContacts sends el to the contacts subscribed to the user
// (RFC 6121 §4.2.2, §4.4.2).
func (m *Module) sendToContacts(sess *router.Session, el *stanza.Element, from []jid.JID) {
	for _, c := range from {
		m.route(sess.JID, c, el)
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
func (m *Module) answerProbe(p *router.Packet) {
	it, ok := m.Roster.Get(p.To.Localpart(), p.From.Bare().String())
	if !ok || !rosterState(it).SendsPresenceTo() {
		return
	}
	for _, s := range m.Router.Available(p.To.Bare().String()) {
		if _, _, last := s.Presence(); last != nil {
			m.route(s.JID, p.From, last)
		}
	}
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
