package presence

import (
	"mellium.im/xmpp/jid"

	"github.com/xmppsandbox/xmppsandbox/sandbox/roster"
)

// ItemChanged tells owner's clients about an item that changed behind
// their back (a reloaded fixture, already stored with roster version ver):
// the roster push, and presence when the owner starts or stops seeing the
// contact's (RFC 6121 §3), as if the change had come by stanzas. Each side
// of a mirrored pair gets its own call, so only the owner's view is
// handled here; that covers both directions without sending anything
// twice. existed says whether old was stored; removed whether new is gone.
func (m *Module) ItemChanged(owner string, contact jid.JID, old, new roster.Item, existed, removed bool, ver int64) {
	// The change was stored behind the roster service's back.
	m.Roster.Forget(owner)
	if removed {
		m.Roster.Push(owner, old, ver, true)
	} else if !rosterState(new).Hidden() {
		m.Roster.Push(owner, new, ver, false)
	}
	before := existed && rosterState(old).ReceivesPresence()
	after := !removed && rosterState(new).ReceivesPresence()
	switch {
	case after && !before:
		m.showContact(owner, contact)
	case before && !after:
		m.contactGone(owner, contact)
	}
}

// showContact hands owner's available resources the current presence of
// each of the contact's available resources.
func (m *Module) showContact(owner string, contact jid.JID) {
	to := m.bare(owner).String()
	for _, s := range m.Router.Available(contact.String()) {
		_, _, last := s.Presence()
		if last == nil {
			continue
		}
		for _, own := range m.Router.Available(to) {
			m.Router.Deliver(own, last.Readdressed(s.Full, to))
		}
	}
}
