// Package router delivers stanzas: the seed's ejabberd_router (which
// domain, which service) and ejabberd_sm (sessions by full JID and the
// delivery rules of RFC 6121 §8).
package router

import (
	"sort"
	"strings"
	"sync"

	"mellium.im/xmpp/jid"

	"github.com/xmppsandbox/xmppsandbox/sandbox/hook"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
)

// Packet is a stanza on its way through the server with its parsed
// addresses. Handlers of a hook set Handled when they took care of it.
type Packet struct {
	From, To jid.JID
	El       *stanza.Element
	// Sender is the local session that sent the stanza, if any.
	Sender  *Session
	Handled bool
	// ToBare is To's bare JID as a string, when whoever built the packet
	// already had it (presence fan-out does, from the roster): forming
	// it again costs allocations per recipient. Empty means unknown.
	ToBare string
}

// BareTo returns the bare JID p is addressed to, as a string.
func (p *Packet) BareTo() string {
	if p.ToBare != "" {
		return p.ToBare
	}
	return p.To.Bare().String()
}

// localTo returns the localpart p is addressed to: a slice of ToBare
// when known, since a localpart never holds '@' (RFC 7622 §3.3.1).
func (p *Packet) localTo() string {
	if i := strings.IndexByte(p.ToBare, '@'); i > 0 {
		return p.ToBare[:i]
	}
	return p.To.Localpart()
}

// Hooks are the points where features join routing.
type Hooks struct {
	// PresenceIn sees presence addressed to a local user's bare JID (or
	// a full JID, for subscription stanzas) before delivery: subscription
	// handling and probes live there (RFC 6121 §3, §4.3).
	PresenceIn hook.Fold[*Packet]
	// Offline sees chat and normal messages to a user with no available
	// resource; a handler that stores the message sets Handled.
	Offline hook.Fold[*Packet]
	// Delivered sees every stanza handed to a session, after routing.
	Delivered hook.Run[Delivery]
	// Registered and Unregistered see sessions come and go.
	Registered   hook.Run[*Session]
	Unregistered hook.Run[*Session]
}

// Delivery is one stanza handed to one session.
type Delivery struct {
	To *Session
	El *stanza.Element
}

// IQHandler answers an iq request. It returns the reply to route back, or
// nil when it replied itself.
type IQHandler func(p *Packet) *stanza.Element

// Router holds the sessions of the one served domain and routes stanzas.
type Router struct {
	Domain string
	Hooks  Hooks
	// UserExists reports whether a local account exists.
	UserExists func(localpart string) bool

	mu       sync.RWMutex
	users    map[string]map[string]*Session // bare JID → resource → session
	serverIQ map[string]IQHandler           // payload namespace → handler, for the domain
	userIQ   map[string]IQHandler           // payload namespace → handler, for a bare JID
}

// New returns a router for domain.
func New(domain string) *Router {
	return &Router{
		Domain:     domain,
		UserExists: func(string) bool { return false },
		users:      make(map[string]map[string]*Session),
		serverIQ:   make(map[string]IQHandler),
		userIQ:     make(map[string]IQHandler),
	}
}

// HandleServerIQ registers h for iq requests to the domain whose payload
// is in namespace ns.
func (r *Router) HandleServerIQ(ns string, h IQHandler) {
	r.mu.Lock()
	r.serverIQ[ns] = h
	r.mu.Unlock()
}

// HandleUserIQ registers h for iq requests to a user's bare JID (which the
// server answers on the user's behalf, RFC 6120 §10.3.3).
func (r *Router) HandleUserIQ(ns string, h IQHandler) {
	r.mu.Lock()
	r.userIQ[ns] = h
	r.mu.Unlock()
}

// Register binds a session. A session already bound to the same full JID
// is replaced and closed with conflict (RFC 6120 §7.7.2.2).
func (r *Router) Register(s *Session) {
	r.mu.Lock()
	res := r.users[s.Bare]
	if res == nil {
		res = make(map[string]*Session, 1)
		r.users[s.Bare] = res
	}
	old := res[s.JID.Resourcepart()]
	res[s.JID.Resourcepart()] = s
	r.mu.Unlock()
	if old != nil {
		old.Conn.Close("conflict", "replaced by a new session with the same resource")
	}
	r.Hooks.Registered.Run(s)
}

// Unregister removes s if it is still the session bound to its JID.
func (r *Router) Unregister(s *Session) {
	r.mu.Lock()
	res := r.users[s.Bare]
	removed := res[s.JID.Resourcepart()] == s
	if removed {
		delete(res, s.JID.Resourcepart())
		if len(res) == 0 {
			delete(r.users, s.Bare)
		}
	}
	r.mu.Unlock()
	if removed {
		r.Hooks.Unregistered.Run(s)
	}
}

// Session returns the session bound to the full JID bare/resource.
func (r *Router) Session(bare, resource string) *Session {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.users[bare][resource]
}

// OnlineUsers is the number of bare JIDs with at least one session.
func (r *Router) OnlineUsers() int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return len(r.users)
}

// Online reports whether the bare JID has a session bound.
func (r *Router) Online(bare string) bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return len(r.users[bare]) > 0
}

// Sessions returns the sessions of a bare JID, sorted by resource.
func (r *Router) Sessions(bare string) []*Session {
	r.mu.RLock()
	res := r.users[bare]
	out := make([]*Session, 0, len(res))
	for _, s := range res {
		out = append(out, s)
	}
	r.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Full < out[j].Full })
	return out
}

// All returns every session, sorted by full JID.
func (r *Router) All() []*Session {
	r.mu.RLock()
	var out []*Session
	for _, res := range r.users {
		for _, s := range res {
			out = append(out, s)
		}
	}
	r.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Full < out[j].Full })
	return out
}

// Available returns the bare JID's sessions that sent available presence.
func (r *Router) Available(bare string) []*Session {
	all := r.Sessions(bare)
	out := all[:0]
	for _, s := range all {
		if ok, _, _ := s.Presence(); ok {
			out = append(out, s)
		}
	}
	return out
}

// EachAvailable calls fn for each available session of a bare JID, in no
// particular order, without the allocation and sorting of Available: the
// presence fan-out path calls it once per recipient. fn must not call
// back into the router's session registry (Register, Unregister).
func (r *Router) EachAvailable(bare string, fn func(*Session)) {
	r.mu.RLock()
	res := r.users[bare]
	var one [4]*Session
	list := one[:0]
	for _, s := range res {
		list = append(list, s)
	}
	r.mu.RUnlock()
	for _, s := range list {
		if ok, _, _ := s.Presence(); ok {
			fn(s)
		}
	}
}

// Deliver hands el to session s.
func (r *Router) Deliver(s *Session, el *stanza.Element) {
	s.Conn.Send(el)
	r.Hooks.Delivered.Run(Delivery{To: s, El: el})
}
