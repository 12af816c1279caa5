// Package offline keeps chat and normal messages for users with no
// available resource and hands them over at the next initial presence
// (XEP-0160), stamped with their delay (XEP-0203).
package offline

import (
	"context"
	"time"

	"github.com/xmppsandbox/xmppsandbox/sandbox/router"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
	"github.com/xmppsandbox/xmppsandbox/sandbox/store"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stream"
)

// Module stores and delivers offline messages.
type Module struct {
	Domain string
	Store  *store.Store
	Router *router.Router
	Now    func() time.Time

	pending pending
}

// Keep is the router's Offline hook: it stores the message.
func (m *Module) Keep(p *router.Packet) (*router.Packet, bool) {
	if p.El.Child("*", "body") == nil && len(p.El.Elements()) == 0 {
		return p, true // nothing worth keeping
	}
	owner := p.To.Localpart()
	err := m.Store.PushOffline(context.Background(), owner, p.El.String(), m.now())
	p.Handled = err == nil
	if p.Handled {
		m.pending.add(m.Store, owner)
	}
	return p, !p.Handled
}

// Deliver is the presence Available hook: it hands the user's stored
// messages to the resource that just came online.
func (m *Module) Deliver(s *router.Session) {
	owner := s.JID.Localpart()
	if !m.pending.take(m.Store, owner) {
		return
	}
	msgs, err := m.Store.PopOffline(context.Background(), owner)
	if err != nil {
		m.pending.add(m.Store, owner) // still there, for the next login
		return
	}
	for _, msg := range msgs {
		el, err := stream.Parse(msg.Stanza, 0)
		if err != nil {
			continue
		}
		delay := stanza.New(stanza.NSDelay, "delay", "from", m.Domain, "stamp", msg.Stamp.UTC().Format("2006-01-02T15:04:05.000Z"))
		m.Router.Deliver(s, el.Append(delay))
	}
}

func (m *Module) now() time.Time {
	if m.Now != nil {
		return m.Now()
	}
	return time.Now()
}
