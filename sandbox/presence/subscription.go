package presence

import (
	"context"
	"errors"

	"mellium.im/xmpp/jid"

	"github.com/xmppsandbox/xmppsandbox/sandbox/roster"
	"github.com/xmppsandbox/xmppsandbox/sandbox/roster/subscription"
	"github.com/xmppsandbox/xmppsandbox/sandbox/router"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
	"github.com/xmppsandbox/xmppsandbox/sandbox/store"
)

func rosterState(it roster.Item) subscription.State { return roster.StateOf(it) }

// apply runs one transition on owner's item for contact and stores it.
// The push is returned for the caller to send when the wire order wants
// it (see inbound).
func (m *Module) apply(owner string, contact jid.JID, table func(subscription.State) subscription.Outcome) (subscription.Outcome, func()) {
	var out subscription.Outcome
	c, _ := m.Roster.UpdateQuietly(owner, contact.String(), func(it *roster.Item) bool {
		out = table(rosterState(*it))
		if !out.Changed {
			return false
		}
		roster.SetState(it, out.New)
		return true
	})
	if strayItem(c) {
		// The item held only a request that is now gone: it was never
		// shown, so it goes as it came (as ejabberd does).
		m.Roster.RemoveQuietly(owner, contact.String())
		return out, func() {}
	}
	push := func() {
		if out.Push && !c.Unchanged {
			m.Roster.Push(owner, c.New, c.Version, false)
		}
	}
	return out, push
}

// strayItem reports a change that left an item with nothing in it after
// it had only ever held a hidden pending request.
func strayItem(c roster.Change) bool {
	return c.Existed && !c.Unchanged && rosterState(c.Old).Hidden() &&
		rosterState(c.New) == (subscription.State{}) && c.New.Name == "" && len(c.New.Groups) == 0
}

// outbound carries out a subscription stanza a user sends (RFC 6121
// §3.1.2, §3.2.2, §3.3.2, §3.4): the seed's out_state_change, then
// routing and the presence that follows.
func (m *Module) outbound(from, to jid.JID, el *stanza.Element) {
	kind, _ := subscription.ParseKind(el.Type())
	user := from.Localpart()
	if to.Localpart() == "" || to.Equal(from.Bare()) {
		return // no subscriptions to servers or to oneself
	}
	out, push := m.apply(user, to, func(s subscription.State) subscription.Outcome { return subscription.Out(s, kind) })
	push()
	if !out.New.PendingIn {
		m.Store.DeleteSubRequest(context.Background(), user, to.String())
	}
	if out.SendUnavailable {
		// The contact learns we are gone before it learns why.
		m.sendUnavailableTo(user, to)
		out.SendUnavailable = false
	}
	if out.Forward {
		// RFC 6121 §3.1.2: subscription stanzas leave from the bare JID.
		m.route(from.Bare(), to, el)
	}
	m.effects(user, to, out)
	if kind == subscription.Subscribed && out.Forward && out.New.ReceivesPresence() {
		// Having just approved a contact we are already subscribed to,
		// refresh its presence for all our resources, as Prosody does.
		m.route(from.Bare(), to, stanza.New(stanza.NSClient, stanza.Presence, "type", "probe"))
	}
}

// effects sends the presence a transition calls for.
func (m *Module) effects(user string, contact jid.JID, out subscription.Outcome) {
	if out.SendPresence {
		m.sendPresenceTo(user, contact)
	}
	if out.SendUnavailable {
		m.sendUnavailableTo(user, contact)
	}
	// out.ContactGone needs nothing here: every contact this server
	// can reach is local, and the contact's side of the same transition
	// already sent the unavailable (SendUnavailable), so sending it from
	// here too would deliver it twice.
}

// contactGone tells the user's resources that a contact whose presence
// they may no longer see is unavailable.
func (m *Module) contactGone(user string, contact jid.JID) {
	from := []jid.JID{contact}
	if contact.Domainpart() == m.Domain {
		if ss := m.Router.Available(contact.String()); len(ss) > 0 {
			from = from[:0]
			for _, s := range ss {
				from = append(from, s.JID)
			}
		}
	}
	to := m.bare(user).String()
	for _, own := range m.Router.Available(to) {
		for _, f := range from {
			m.Router.Deliver(own, stanza.New(stanza.NSClient, stanza.Presence, "type", "unavailable", "from", f.String(), "to", to))
		}
	}
}

// Inbound is the router's PresenceIn handler: subscription stanzas and
// probes addressed to a local user.
func (m *Module) Inbound(p *router.Packet) (*router.Packet, bool) {
	typ := p.El.Type()
	switch {
	case typ == "probe":
		m.answerProbe(p)
	case isSubscription(typ):
		m.inbound(p)
	default:
		return p, true
	}
	p.Handled = true
	return p, false
}

// inbound carries out a subscription stanza that arrives for a local user
// (RFC 6121 §3.1.3, §3.2.3, §3.3.3): the seed's in_state_change, then
// delivery, automatic replies and auto_accept.
func (m *Module) inbound(p *router.Packet) {
	kind, _ := subscription.ParseKind(p.El.Type())
	user, from := p.To.Localpart(), p.From.Bare()
	out, push := m.apply(user, from, func(s subscription.State) subscription.Outcome { return subscription.In(s, kind) })
	el := p.El.Readdressed(from.String(), p.To.Bare().String())
	m.keepRequest(user, from, kind, out, el)
	// The stanza is delivered before the push that follows from it, as
	// Prosody does, so a client learns why its roster changes.
	if out.Forward {
		m.deliverSubscription(p.To.Bare().String(), kind, el)
	}
	push()
	switch out.Reply {
	case subscription.ReplySubscribed:
		m.route(m.bare(user), from, stanza.New(stanza.NSClient, stanza.Presence, "type", "subscribed"))
	case subscription.ReplyUnsubscribed:
		m.route(m.bare(user), from, stanza.New(stanza.NSClient, stanza.Presence, "type", "unsubscribed"))
	}
	m.effects(user, from, out)
	if kind == subscription.Subscribe && out.Forward && m.AutoAccept(user) {
		m.autoAccept(user, from)
	}
}

// keepRequest stores an undelivered-until-answered subscription request
// with its whole stanza (RFC 6121 §3.1.3), and forgets it once answered.
func (m *Module) keepRequest(user string, from jid.JID, kind subscription.Kind, out subscription.Outcome, el *stanza.Element) {
	ctx := context.Background()
	switch {
	case kind == subscription.Subscribe && out.Forward && out.New.PendingIn:
		m.Store.PutSubRequest(ctx, user, store.SubRequest{Contact: from.String(), Stanza: el.String()})
	case !out.New.PendingIn:
		m.Store.DeleteSubRequest(ctx, user, from.String())
	}
}

// autoAccept answers a request for a user with auto_accept: approve it and
// subscribe back. The requester asked first, so its side takes the
// request back as approved, and both end at Both (the seed's "add friends
// automatically").
func (m *Module) autoAccept(user string, requester jid.JID) {
	me := m.bare(user)
	m.outbound(me, requester, stanza.New(stanza.NSClient, stanza.Presence, "type", "subscribed"))
	if requester.Domainpart() == m.Domain && m.Router.UserExists(requester.Localpart()) {
		m.Roster.UpdateQuietly(requester.Localpart(), me.String(), func(it *roster.Item) bool {
			if rosterState(*it).SendsPresenceTo() {
				return false
			}
			it.Approved = true
			return true
		})
	}
	m.outbound(me, requester, stanza.New(stanza.NSClient, stanza.Presence, "type", "subscribe"))
}

// deliverSubscription hands an inbound subscription stanza to the user:
// a request to every available resource, the other kinds to the
// interested resources, those that requested the roster (RFC 6121 §3).
func (m *Module) deliverSubscription(bare string, kind subscription.Kind, el *stanza.Element) {
	for _, s := range m.Router.Sessions(bare) {
		ok := s.Interested()
		if kind == subscription.Subscribe {
			ok, _, _ = s.Presence()
		}
		if ok {
			m.Router.Deliver(s, el)
		}
	}
}

// RemoveItem removes owner's item for contact with the subscription
// consequences RFC 6121 §2.5.2 requires: the contact is told with
// unsubscribe and unsubscribed, and each side stops seeing the other.
// answer, if not nil, runs once the removal is stored, before the push.
func (m *Module) RemoveItem(owner string, contact jid.JID, answer func()) {
	it, ok := m.Roster.Get(owner, contact.String())
	if !ok {
		return
	}
	st := rosterState(it)
	unsub, unsubd := subscription.Remove(st)
	c, err := m.Roster.RemoveQuietly(owner, contact.String())
	if err != nil {
		return
	}
	m.Store.DeleteSubRequest(context.Background(), owner, contact.String())
	if answer != nil {
		answer()
	}
	m.Roster.Push(owner, c.Old, c.Version, true)
	me := m.bare(owner)
	if unsubd {
		if st.SendsPresenceTo() {
			m.sendUnavailableTo(owner, contact)
		}
		m.route(me, contact, stanza.New(stanza.NSClient, stanza.Presence, "type", "unsubscribed"))
	}
	if unsub {
		// The contact's side answers the unsubscribe with unavailable
		// from its resources (RFC 6121 §3.3.3).
		m.route(me, contact, stanza.New(stanza.NSClient, stanza.Presence, "type", "unsubscribe"))
	}
}

// AddContact is the seed's server-side add (section 3): it acts as if
// owner's client had set the item and sent a subscribe, in one step, so
// owner's resources get a single push with ask='subscribe' and the contact
// gets the request now or at its next login.
func (m *Module) AddContact(owner string, contact jid.JID, name string, groups []string) error {
	contact = contact.Bare()
	if contact.Equal(m.bare(owner)) {
		return errSelf
	}
	var out subscription.Outcome
	_, err := m.Roster.Update(owner, contact.String(), func(it *roster.Item) bool {
		if name != "" {
			it.Name = name
		}
		if groups != nil {
			it.Groups = groups
		}
		out = subscription.Out(rosterState(*it), subscription.Subscribe)
		roster.SetState(it, out.New)
		return true
	})
	if err != nil {
		return err
	}
	if out.Forward {
		m.route(m.bare(owner), contact, stanza.New(stanza.NSClient, stanza.Presence, "type", "subscribe"))
	}
	return nil
}

var errSelf = errors.New("a user cannot add themselves")
