package virtual

import (
	"mellium.im/xmpp/jid"

	"github.com/xmppsandbox/xmppsandbox/sandbox/ping"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
)

// conn is the router's view of a virtual contact: what is delivered to it
// is what a client would read. Send never blocks and never takes the
// contact's lock, since deliveries arrive from deep inside routing, often
// from the contact's own broadcast; reactions run on the manager's worker.
type conn struct{ c *contact }

// Send reacts to a delivered stanza: requests are answered and messages
// echoed; presence and everything else are read and forgotten.
func (k conn) Send(el *stanza.Element) {
	switch el.Name.Local {
	case stanza.IQ:
		if t := el.Type(); t == "get" || t == "set" {
			k.c.m.work.do(func() { k.c.answer(el) })
		}
	case stanza.Message:
		if echoable(el) {
			k.c.m.work.do(func() { k.c.echo(el) })
		}
	}
}

// Close ends the contact, as a stream error ends a client: for a kick, a
// login that takes its resource, or its account's removal. Its
// unavailable presence goes out before Close returns, so a session that
// takes the resource is announced after the old one left, not before.
// The callers (binding, the admin API, reloads, shutdown) are never
// inside this contact's own sending.
func (k conn) Close(condition, text string) {
	k.c.m.ended(k.c)
}

// echoable reports whether a message is one a person could answer: it
// has a body, and is neither an error nor groupchat or headline traffic
// (RFC 6121 §5.2.2).
func echoable(el *stanza.Element) bool {
	switch el.Type() {
	case "", "normal", "chat":
		return el.Child(stanza.NSClient, "body") != nil
	}
	return false
}

// answer replies to an iq request as a client must (RFC 6120 §8.2.3):
// a ping gets its result (XEP-0199), anything else
// service-unavailable (RFC 6120 §8.4).
func (c *contact) answer(req *stanza.Element) {
	c.mu.Lock()
	defer c.mu.Unlock()
	from, err := jid.Parse(req.From())
	if c.stopped || err != nil {
		return
	}
	var reply *stanza.Element
	if p := req.Payload(); p != nil && p.Name.Space == ping.NS && req.Type() == "get" {
		reply = req.Result()
	} else {
		reply = req.ErrorReply(stanza.ServiceUnavailable, "")
	}
	c.send(reply, from)
}

// echo sends a message's body (and thread) back to its sender as chat.
// Messages from other virtual contacts are not echoed, so two echoing
// contacts cannot bounce one message between them forever.
func (c *contact) echo(msg *stanza.Element) {
	c.mu.Lock()
	defer c.mu.Unlock()
	from, err := jid.Parse(msg.From())
	if c.stopped || !c.spec.Echo || err != nil || from.Localpart() == "" || c.isVirtual(from) {
		return
	}
	el := stanza.New(stanza.NSClient, stanza.Message, "type", "chat", "to", from.String())
	if id := msg.ID(); id != "" {
		el.Set("id", "echo-"+id)
	}
	el.Append(stanza.New(stanza.NSClient, "body").AppendText(msg.ChildText("body")))
	if th := msg.Child(stanza.NSClient, "thread"); th != nil {
		el.Append(th.Copy())
	}
	c.send(el, from)
}

// isVirtual reports whether j is the full JID of a virtual contact.
func (c *contact) isVirtual(j jid.JID) bool {
	s := c.m.router.Session(j.Bare().String(), j.Resourcepart())
	if s == nil {
		return false
	}
	_, ok := s.Conn.(conn)
	return ok
}
