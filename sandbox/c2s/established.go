package c2s

import (
	"mellium.im/xmpp/jid"

	"github.com/xmppsandbox/xmppsandbox/sandbox/router"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stream"
)

// sessionEstablished checks, stamps and routes a stanza from a bound
// client (RFC 6120 §8.1.2).
func (s *session) sessionEstablished(el *stanza.Element) error {
	if !el.IsStanza() {
		return unsupported(el)
	}
	if err := s.checkRate(); err != nil {
		return err
	}
	if from := el.From(); from != "" && !s.ownAddress(from) {
		// RFC 6120 §8.1.2.1: a client may not speak for another entity.
		return &stream.Error{Condition: stream.InvalidFrom, Text: "from must be your own JID"}
	}
	el.Set("from", s.bound.Full)
	p := &router.Packet{From: s.bound.JID, El: el, Sender: s.bound}
	if to := el.To(); to != "" {
		j, err := router.ParseJID(to)
		if err != nil {
			s.reject(el, stanza.JIDMalformed, "the to address is not a valid JID")
			return nil
		}
		p.To = j
	} else {
		// RFC 6120 §10.3: no to means the user's own account.
		p.To = s.bound.JID.Bare()
	}
	if s.cfg.Hooks.UserSendPacket.Run(p).Handled {
		return nil
	}
	s.cfg.Router.Route(p)
	return nil
}

// ownAddress reports whether from is the session's full or bare JID.
// JIDs compare once prepared (RFC 7622 §3): a client may write its
// localpart or domainpart in another case.
func (s *session) ownAddress(from string) bool {
	if from == s.bound.Full || from == s.bound.Bare {
		return true
	}
	j, err := jid.Parse(from)
	return err == nil && (j.Equal(s.bound.JID) || j.Equal(s.bound.JID.Bare()))
}

// reject answers a stanza the server will not route, unless it is an error
// or a presence, which are never answered (RFC 6120 §8.3.1).
func (s *session) reject(el *stanza.Element, condition, text string) {
	if el.Type() == "error" || el.Name.Local == stanza.Presence {
		return
	}
	r := el.ErrorReply(condition, text)
	r.Set("to", s.bound.Full)
	r.Set("from", "")
	s.send(r)
}
