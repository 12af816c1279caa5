package script

import (
	"errors"
	"strings"

	"mellium.im/xmpp/jid"
)

// declaration reads "[Client] Name" and the indented properties below it.
func (p *parser) declaration(line string, n int) error {
	end := strings.Index(line, "]")
	if end < 0 {
		return p.errorf(n, "unclosed [ in a declaration")
	}
	class, name := line[1:end], strings.TrimSpace(line[end+1:])
	switch {
	case class != "Client":
		return p.errorf(n, "unsupported character class [%s]: only [Client] is known", class)
	case name == "":
		return p.errorf(n, "the client has no name")
	case p.inSteps:
		return p.errorf(n, "client %q is declared after the steps began", name)
	case p.s.Client(name) != nil:
		return p.errorf(n, "client %q is declared twice", name)
	}
	c := &Client{Name: name, Line: n}
	if err := p.properties(c); err != nil {
		return err
	}
	if err := p.checkClient(c); err != nil {
		return err
	}
	p.s.Clients = append(p.s.Clients, c)
	p.sortClients()
	return nil
}

// properties reads the "key: value" lines of a declaration.
func (p *parser) properties(c *Client) error {
	for p.next < len(p.lines) && indented(p.lines[p.next]) && strings.TrimSpace(p.lines[p.next]) != "" {
		line, n := p.lines[p.next], p.next+1
		p.next++
		key, value, ok := strings.Cut(strings.TrimSpace(line), ":")
		if !ok {
			return p.errorf(n, "expected \"property: value\" in the declaration of %s", c.Name)
		}
		value = strings.TrimSpace(value)
		switch strings.TrimSpace(key) {
		case "jid":
			c.JID = value
		case "password":
			c.Password = value
		case "resource":
			c.Resource = value
		case "connect_host", "connect_port":
			// The runner always connects to the server under test.
		default:
			return p.errorf(n, "unknown property %q of client %s", strings.TrimSpace(key), c.Name)
		}
	}
	return nil
}

// checkClient validates a complete declaration: a usable JID, a password,
// one resource at most, and the same password as any other client of the
// same account, since they log in to one account.
func (p *parser) checkClient(c *Client) error {
	if c.JID == "" || c.Password == "" {
		return p.errorf(c.Line, "client %s needs both jid and password", c.Name)
	}
	j, err := parseJID(c.JID)
	if err != nil {
		return p.errorf(c.Line, "client %s: %v", c.Name, err)
	}
	if r := j.Resourcepart(); r != "" {
		if c.Resource != "" && c.Resource != r {
			return p.errorf(c.Line, "client %s names two resources, %q and %q", c.Name, r, c.Resource)
		}
		c.Resource = r
	}
	if c.Resource != "" {
		if _, err := j.WithResource(c.Resource); err != nil {
			return p.errorf(c.Line, "client %s: resource %q: %v", c.Name, c.Resource, err)
		}
	}
	for _, o := range p.s.Clients {
		if sameAccount(o, c) && o.Password != c.Password {
			return p.errorf(c.Line, "clients %s and %s share an account but not a password", o.Name, c.Name)
		}
	}
	return nil
}

// parseJID parses a client's JID, which must name an account.
func parseJID(s string) (jid.JID, error) {
	j, err := jid.Parse(s)
	if err != nil {
		return jid.JID{}, err
	}
	if j.Localpart() == "" {
		return jid.JID{}, errors.New("the JID " + s + " has no localpart: a client logs in to an account")
	}
	return j, nil
}

func sameAccount(a, b *Client) bool {
	ja, errA := parseJID(a.JID)
	jb, errB := parseJID(b.JID)
	return errA == nil && errB == nil && ja.Bare().Equal(jb.Bare())
}
