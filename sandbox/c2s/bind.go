package c2s

import (
	"time"

	"mellium.im/xmpp/jid"

	"github.com/xmppsandbox/xmppsandbox/sandbox/router"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
)

var timeZero time.Time

// bind binds the client's resource (RFC 6120 §7.6): the one it asked for,
// or a generated one. A session already holding that resource is replaced,
// the newest connection being the one the user is looking at.
func (s *session) bind(iq, b *stanza.Element) error {
	res := b.ChildText("resource")
	if res == "" {
		res = "sandbox-" + newID()
	}
	full, err := jid.New(s.user, s.cfg.Domain, res)
	if err != nil {
		s.send(iq.ErrorReply(stanza.BadRequest, "the resource is not a valid resourcepart"))
		return nil
	}
	if err := s.flush(); err != nil {
		return err
	}
	s.bound = router.NewSession(full, conn{s})
	s.out = newOutQueue(s.conn, s.fr, s.cfg.maxQueue(), s.cfg.maxQueueBytes(), func(el *stanza.Element, wire []byte) { s.trace(false, el, wire) })
	s.out.cork() // until the reader is done with the request (run)
	s.cfg.Router.Register(s.bound)
	reply := stanza.New(stanza.NSClient, stanza.IQ, "type", "result", "id", iq.ID())
	reply.Append(stanza.New(stanza.NSBind, "bind").Append(stanza.New(stanza.NSBind, "jid").AppendText(full.String())))
	s.send(reply)
	s.state = WaitForSession
	return nil
}
