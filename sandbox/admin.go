package sandbox

import (
	"fmt"

	"mellium.im/xmpp/jid"

	"github.com/xmppsandbox/xmppsandbox/sandbox/router"
)

// AddContact adds contact to owner's roster on the server's side, as if
// owner's client had added it and asked to subscribe (the seed's section
// 3): owner's resources get the push, the contact the request.
func (s *Server) AddContact(owner, contact, name string, groups []string) error {
	if !s.users.exists(owner) {
		return fmt.Errorf("no such user %q", owner)
	}
	c, err := s.parseJID(contact)
	if err != nil {
		return err
	}
	return s.presence.AddContact(owner, c, name, groups)
}

// parseJID reads a JID, giving a bare name the served domain.
func (s *Server) parseJID(text string) (jid.JID, error) {
	j, err := router.ParseJID(text)
	if err == nil && j.Localpart() == "" && j.Domainpart() != s.domain {
		// "mine" and "mine/phone" name a local user, not a domain.
		j, err = jid.New(j.Domainpart(), s.domain, j.Resourcepart())
	}
	if err != nil {
		return jid.JID{}, fmt.Errorf("malformed JID %q: %v", text, err)
	}
	return j, nil
}
