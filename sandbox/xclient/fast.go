package xclient

import (
	"bufio"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"strings"
)

// DialFast is Dial for load generation: SASL PLAIN over plain TCP, then
// bind, with the server's answers framed by a Scanner instead of parsed.
// It checks the name and type of each answer, not the XML around them,
// so a load generator spends its time on the network rather than on
// parsing; use Dial to check a server. Read the connection afterwards
// with Scanner, not Next.
func DialFast(addr, user, password string, o Options) (*Conn, error) {
	wrap := func(nc net.Conn) *Conn {
		br := bufio.NewReader(nc)
		return &Conn{Conn: nc, under: nc, br: br, w: bufio.NewWriter(nc), sc: NewScanner(br)}
	}
	return dial(addr, user, o, wrap, func(c *Conn, o Options) error {
		return c.fastLogin(user, password, o)
	})
}

func (c *Conn) fastLogin(user, password string, o Options) error {
	if err := c.fastRestart(o.Domain); err != nil {
		return err
	}
	payload := base64.StdEncoding.EncodeToString([]byte("\x00" + user + "\x00" + password))
	c.w.WriteString(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>` + payload + `</auth>`)
	if _, err := c.fastExpect("success"); err != nil {
		return err
	}
	if err := c.fastRestart(o.Domain); err != nil {
		return err
	}
	return c.fastBind(o.Resource)
}

// fastRestart opens a stream and waits for its features.
func (c *Conn) fastRestart(domain string) error {
	c.w.WriteString(`<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0' to='` + domain + `'>`)
	_, err := c.fastExpect("features")
	return err
}

func (c *Conn) fastBind(resource string) error {
	res := ""
	if resource != "" {
		res = "<resource>" + resource + "</resource>"
	}
	c.w.WriteString(`<iq type='set' id='bind'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>` + res + `</bind></iq>`)
	el, err := c.fastExpect("iq")
	if err != nil {
		return err
	}
	if string(Attr(el, "type")) != "result" {
		return errors.New("bind refused: " + string(el))
	}
	c.JID = string(ChildText(el, "<jid>"))
	return nil
}

// fastExpect flushes what is buffered, then reads the next element and
// checks its local name; an XML declaration before it is skipped.
func (c *Conn) fastExpect(local string) ([]byte, error) {
	if err := c.w.Flush(); err != nil {
		return nil, err
	}
	for {
		el, err := c.sc.Next()
		if err != nil {
			return nil, err
		}
		name := string(Name(el))
		if strings.HasPrefix(name, "?") {
			continue
		}
		if _, after, found := strings.Cut(name, ":"); found {
			name = after
		}
		if name != local {
			return nil, fmt.Errorf("expected <%s/>, got %s", local, el)
		}
		return el, nil
	}
}
