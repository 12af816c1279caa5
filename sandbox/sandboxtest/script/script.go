// Package script reads and runs conversation scripts in the scansion format
// (the test-script language of Prosody's scansion tool): named XMPP clients
// connect to a sandbox, send stanzas and check, step by step, the stanzas
// the server sends them.
//
// A script declares its clients, then lists steps after a line of dashes:
//
//	# Ada sees her own presence
//	[Client] Ada
//		jid: ada@localhost/laptop
//		password: secret
//	-----
//	Ada connects
//	Ada sends:
//		<presence/>
//	Ada receives:
//		<presence from="${Ada's full JID}"/>
//	Ada disconnects
package script

import (
	"strconv"
)

// Action is what a step makes its client do.
type Action int

// The actions of a client.
const (
	Connect Action = iota
	Disconnect
	Send
	Receive
)

// String returns the verb that names a in a script.
func (a Action) String() string {
	switch a {
	case Connect:
		return "connects"
	case Disconnect:
		return "disconnects"
	case Send:
		return "sends"
	case Receive:
		return "receives"
	}
	return "Action(" + strconv.Itoa(int(a)) + ")"
}

// Script is a parsed conversation.
type Script struct {
	Name    string // the file name, used in failure messages
	Title   string // the first comment line, if the script starts with one
	Clients []*Client
	Steps   []Step
}

// Client is one [Client] declaration.
type Client struct {
	Name     string // how steps refer to the client, e.g. "Juliet's phone"
	JID      string // as declared; its resource, if any, is the one bound
	Password string
	Resource string // the resource to bind; "" lets the server choose
	Line     int
}

// Step is one action of one client.
type Step struct {
	Line    int
	Client  *Client
	Action  Action
	XML     string // for Send and Receive, before ${...} substitution
	Nothing bool   // a Receive step that expects no stanza at all
}

// Pos returns "name:line" for a line of s.
func (s *Script) Pos(line int) string { return s.Name + ":" + strconv.Itoa(line) }

// Client returns the client declared under name, or nil.
func (s *Script) Client(name string) *Client {
	for _, c := range s.Clients {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Domain returns the domain of the first client's JID, the one a server
// running the script should serve, or "localhost" when there is no client.
func (s *Script) Domain() string {
	for _, c := range s.Clients {
		if j, err := parseJID(c.JID); err == nil {
			return j.Domainpart()
		}
	}
	return "localhost"
}
