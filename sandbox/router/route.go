package router

import (
	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
)

// Route delivers p according to its destination: the domain itself, a
// user's bare JID, or one of the user's resources. p.El must already carry
// the from address the server stamped.
func (r *Router) Route(p *Packet) {
	switch {
	case p.To.Domainpart() != r.Domain:
		// There is no server-to-server: a remote domain cannot be reached.
		r.bounce(p, "remote-server-not-found", "this sandbox serves only "+r.Domain)
	case p.To.Localpart() == "":
		r.toServer(p)
	case !r.UserExists(p.localTo()):
		r.toUnknownUser(p)
	case p.To.Resourcepart() != "":
		r.toFull(p)
	default:
		r.toBare(p)
	}
}

// toServer handles stanzas addressed to the domain (or domain/resource).
func (r *Router) toServer(p *Packet) {
	if p.El.Name.Local == stanza.IQ {
		r.mu.RLock()
		table := r.serverIQ
		r.handleIQ(p, table)
		return
	}
	// Messages and presence to the server itself have no one to read them.
}

// handleIQ answers an iq request from table (the caller holds r.mu for
// reading, released here). RFC 6120 §8.2.3: get and set demand exactly one
// payload and an answer; results and errors are never answered.
func (r *Router) handleIQ(p *Packet, table map[string]IQHandler) {
	var h IQHandler
	payload := p.El.Payload()
	if payload != nil {
		h = table[payload.Name.Space]
	}
	r.mu.RUnlock()
	switch t := p.El.Type(); {
	case t == "result" || t == "error":
		return
	case t != "get" && t != "set":
		r.reply(p, p.El.ErrorReply(stanza.BadRequest, "iq type must be get, set, result or error"))
		return
	case payload == nil || len(p.El.Elements()) != 1:
		r.reply(p, p.El.ErrorReply(stanza.BadRequest, "an iq request carries exactly one payload"))
		return
	case h == nil:
		r.reply(p, p.El.ErrorReply(stanza.ServiceUnavailable, ""))
		return
	}
	if reply := h(p); reply != nil {
		r.reply(p, reply)
	}
}

// reply routes an answer from p's recipient back to p's sender.
func (r *Router) reply(p *Packet, el *stanza.Element) {
	r.Route(&Packet{From: p.To, To: p.From, El: el})
}

// bounce answers p with a stanza error, unless p is itself an error or a
// kind that must not be answered (RFC 6120 §8.3.1).
func (r *Router) bounce(p *Packet, condition, text string) {
	if p.El.Type() == "error" || p.El.Name.Local == stanza.Presence || p.From.Domainpart() == "" {
		return
	}
	if p.El.Name.Local == stanza.IQ && p.El.Type() == "result" {
		return
	}
	r.reply(p, p.El.ErrorReply(condition, text))
}

// toUnknownUser follows RFC 6121 §8.5.1: no such account.
func (r *Router) toUnknownUser(p *Packet) {
	switch p.El.Name.Local {
	case stanza.IQ, stanza.Message:
		r.bounce(p, stanza.ServiceUnavailable, "")
	}
	// Presence to an unknown account is silently dropped.
}

// toFull follows RFC 6121 §8.5.3: a full JID.
func (r *Router) toFull(p *Packet) {
	kind, typ := p.El.Name.Local, p.El.Type()
	if kind == stanza.Presence && (isSubscription(typ) || typ == "probe") {
		// RFC 6121 §3.1.3 and §4.3: subscription stanzas and probes are
		// about the account, not one of its resources.
		r.toBare(p)
		return
	}
	if s := r.Session(p.BareTo(), p.To.Resourcepart()); s != nil {
		r.Deliver(s, p.El)
		return
	}
	switch kind {
	case stanza.Message:
		if typ == "" || typ == "normal" || typ == "chat" {
			r.message(p)
		} else if typ == "groupchat" {
			r.bounce(p, stanza.ServiceUnavailable, "")
		}
	case stanza.IQ:
		r.bounce(p, stanza.ServiceUnavailable, "")
	}
}

// toBare follows RFC 6121 §8.5.2: a bare JID.
func (r *Router) toBare(p *Packet) {
	switch p.El.Name.Local {
	case stanza.Message:
		r.message(p)
	case stanza.Presence:
		if r.Hooks.PresenceIn.Run(p).Handled {
			return
		}
		// p.To may still be a full JID here (toFull hands subscription
		// stanzas on), which matches no bare JID: hence To, not BareTo.
		to := p.ToBare
		if to == "" {
			to = p.To.String()
		}
		r.EachAvailable(to, func(s *Session) { r.Deliver(s, p.El) })
	case stanza.IQ:
		r.mu.RLock()
		r.handleIQ(p, r.userIQ)
	}
}

// message delivers a message to a bare JID: to the available resources of
// highest non-negative priority (RFC 6121 §8.5.2.1.1), or to offline
// storage for chat and normal messages when there are none.
func (r *Router) message(p *Packet) {
	var best []*Session
	top := 0
	for _, s := range r.Sessions(p.BareTo()) {
		ok, prio, _ := s.Presence()
		switch {
		case !ok || prio < 0 || prio < top:
		case prio > top || best == nil:
			best, top = append(best[:0], s), prio
		default:
			best = append(best, s)
		}
	}
	typ := p.El.Type()
	if len(best) > 0 && typ != "groupchat" {
		for _, s := range best {
			r.Deliver(s, p.El)
		}
		return
	}
	switch typ {
	case "", "normal", "chat":
		if !r.Hooks.Offline.Run(p).Handled {
			r.bounce(p, stanza.ServiceUnavailable, "")
		}
	case "groupchat":
		r.bounce(p, stanza.ServiceUnavailable, "")
	}
	// Headline and error messages without a recipient are dropped.
}

func isSubscription(t string) bool {
	switch t {
	case "subscribe", "subscribed", "unsubscribe", "unsubscribed":
		return true
	}
	return false
}
