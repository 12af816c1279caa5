package roster

import (
	"strings"

	"mellium.im/xmpp/jid"

	"github.com/xmppsandbox/xmppsandbox/sandbox/router"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
	"github.com/xmppsandbox/xmppsandbox/sandbox/toggle"
)

// Limits on what a client may store, so one client cannot bloat the
// database (RFC 6121 §2.3.3 leaves them to the server).
const (
	maxNameLen  = 1023
	maxGroupLen = 1023
	maxGroups   = 64
)

// Remover performs a roster removal with its subscription side effects
// (RFC 6121 §2.5.2); the presence layer provides it. It calls answer once
// the removal is stored and before anyone is told of it.
type Remover func(owner string, contact jid.JID, answer func())

// HandleIQ answers jabber:iq:roster requests a user sends about their
// own roster. remove carries out removals.
func (s *Service) HandleIQ(remove Remover) router.IQHandler {
	return func(p *router.Packet) *stanza.Element {
		if !p.From.Bare().Equal(p.To) {
			return p.El.ErrorReply(stanza.Forbidden, "a roster belongs to its owner")
		}
		if p.El.Type() == "get" {
			return s.get(p)
		}
		return s.set(p, remove)
	}
}

// get returns the roster, or an empty result when the client's version is
// current (XEP-0237), and makes the resource interested in pushes.
func (s *Service) get(p *router.Packet) *stanza.Element {
	owner := p.From.Localpart()
	sess := s.Router.Session(p.From.Bare().String(), p.From.Resourcepart())
	if sess != nil {
		sess.SetInterested()
	}
	items, ver, err := s.Items(owner)
	if err != nil {
		return p.El.ErrorReply(stanza.InternalServerError, "")
	}
	wire := s.wireVersion(sess, ver)
	if q := p.El.Payload(); wire != "" && q.Has("ver") && q.Get("ver") == wire {
		return p.El.Result()
	}
	q := stanza.New(stanza.NSRoster, "query", "ver", wire)
	for _, it := range items {
		if !StateOf(it).Hidden() {
			q.Append(ItemElement(it, false))
		}
	}
	return p.El.Result(q)
}

// wireVersion is the ver attribute for a result or push to sess: none
// when the session's stream did not offer versioning (XEP-0237: a server
// that does not advertise it sends no ver), else ver.
func (s *Service) wireVersion(sess *router.Session, ver int64) string {
	on := s.Toggles.On(toggle.RosterVersioning)
	if sess != nil {
		if n, ok := sess.Conn.(toggle.Negotiated); ok {
			on = n.Negotiated().On(toggle.RosterVersioning)
		}
	}
	if !on {
		return ""
	}
	return version(ver)
}

// set adds, updates or removes one item (RFC 6121 §2.3, §2.5).
func (s *Service) set(p *router.Packet, remove Remover) *stanza.Element {
	owner := p.From.Localpart()
	items := p.El.Payload().Elements()
	if len(items) != 1 || items[0].Name.Local != "item" || items[0].Name.Space != stanza.NSRoster {
		return p.El.ErrorReply(stanza.BadRequest, "a roster set carries exactly one item")
	}
	item := items[0]
	contact, err := router.ParseJID(item.Get("jid"))
	if err != nil || item.Get("jid") == "" {
		return p.El.ErrorReply(stanza.JIDMalformed, "the item's jid is not a valid JID")
	}
	contact = contact.Bare()
	if contact.Equal(p.From.Bare()) {
		return p.El.ErrorReply(stanza.NotAllowed, "you cannot add yourself to your roster")
	}
	if item.Get("subscription") == "remove" {
		if _, ok := s.Get(owner, contact.String()); !ok {
			return p.El.ErrorReply(stanza.ItemNotFound, "no such roster item")
		}
		// RFC 6121 §2.5.2: the result comes before the pushes, and only
		// once the removal is stored.
		remove(owner, contact, func() {
			s.Router.Route(&router.Packet{From: p.To, To: p.From, El: p.El.Result()})
		})
		return nil
	}
	name, groups, bad := parseItem(item)
	if bad != nil {
		return bad(p.El)
	}
	// RFC 6121 §2.3.2: the item is stored, then the result goes back,
	// then the push, so an acknowledged change survives a crash.
	c, err := s.UpdateQuietly(owner, contact.String(), func(it *Item) bool {
		it.Name, it.Groups = name, groups
		return true
	})
	if err != nil {
		return p.El.ErrorReply(stanza.InternalServerError, "")
	}
	s.Router.Route(&router.Packet{From: p.To, To: p.From, El: p.El.Result()})
	if visible(c) {
		s.Push(owner, c.New, c.Version, false)
	}
	return nil
}

// parseItem reads name and groups, returning an error builder for the
// violations RFC 6121 §2.3.3 lists.
func parseItem(item *stanza.Element) (string, []string, func(*stanza.Element) *stanza.Element) {
	fail := func(cond, text string) func(*stanza.Element) *stanza.Element {
		return func(el *stanza.Element) *stanza.Element { return el.ErrorReply(cond, text) }
	}
	name := item.Get("name")
	if len(name) > maxNameLen {
		return "", nil, fail(stanza.NotAcceptable, "the name is too long")
	}
	var groups []string
	seen := map[string]bool{}
	for _, g := range item.Elements() {
		if g.Name.Local != "group" {
			continue
		}
		text := g.Content()
		switch {
		case strings.TrimSpace(text) == "":
			return "", nil, fail(stanza.NotAcceptable, "group names cannot be empty")
		case len(text) > maxGroupLen:
			return "", nil, fail(stanza.NotAcceptable, "a group name is too long")
		case seen[text]:
			return "", nil, fail(stanza.BadRequest, "the same group is listed twice")
		case len(groups) >= maxGroups:
			return "", nil, fail(stanza.NotAcceptable, "too many groups")
		}
		seen[text] = true
		groups = append(groups, text)
	}
	return name, groups, nil
}

// SubscriptionLists returns the contacts owner sends presence to (the
// seed's pres_f: From and Both) and receives presence from (pres_t: To
// and Both), as ejabberd's roster_get_subscription_lists hook does. The
// slices and contacts are shared with the cache (and the contacts with
// other rosters): read them, never change them.
func (s *Service) SubscriptionLists(owner string) (from, to []*Contact) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.load(owner)
	if err != nil {
		return nil, nil
	}
	return c.lists()
}
