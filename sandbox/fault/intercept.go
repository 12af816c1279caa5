package fault

import (
	"github.com/xmppsandbox/xmppsandbox/sandbox/router"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
)

// NSPing is the XEP-0199 namespace.
const NSPing = "urn:xmpp:ping"

// injectedText explains an injected error to whoever reads the stanza.
const injectedText = "fault injected by the sandbox"

// Intercept applies the faults acting on what a user sends, before the
// stanza is routed. It returns handled when the stanza must go no
// further, and the reply to hand to the sender, if any.
func (r *Registry) Intercept(p *router.Packet, domain string) (reply *stanza.Element, handled bool) {
	if p.Sender == nil || p.El.Name.Local != stanza.IQ {
		return nil, false
	}
	if t := p.El.Type(); t != "get" && t != "set" {
		return nil, false
	}
	payload := p.El.Payload()
	if payload == nil {
		return nil, false
	}
	f, ok := r.Lookup(p.Sender.Bare, p.Sender.Full)
	if !ok {
		return nil, false
	}
	if cond, ok := f.IQErrors[payload.Name.Space]; ok {
		return errorReply(p.El, cond), true
	}
	if f.NoPingReply && payload.Name.Space == NSPing && answeredByServer(p, domain) {
		// XEP-0199 §4.2: a client pings its server to learn whether the
		// stream still works; silence is what its test wants to see.
		return nil, true
	}
	return nil, false
}

// answeredByServer reports whether the server itself would answer p: it
// goes to the domain or to an account, not to a client's resource.
func answeredByServer(p *router.Packet, domain string) bool {
	return p.To.Domainpart() == domain && p.To.Resourcepart() == ""
}

// errorReply answers the request el with cond, typed as RFC 6120 §8.3.3
// recommends.
func errorReply(el *stanza.Element, cond string) *stanza.Element {
	reply := el.ErrorReply(cond, injectedText)
	if e := reply.Child(stanza.NSClient, "error"); e != nil {
		e.Set("type", stanzaErrorType(cond))
	}
	return reply
}
