package sandbox

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"mellium.im/xmpp/jid"

	"github.com/xmppsandbox/xmppsandbox/sandbox/api"
	"github.com/xmppsandbox/xmppsandbox/sandbox/roster"
	"github.com/xmppsandbox/xmppsandbox/sandbox/router"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
	"github.com/xmppsandbox/xmppsandbox/sandbox/trace"
)

// backend is the server seen by the admin API.
type backend struct{ s *Server }

var _ api.Backend = backend{}

func (b backend) Trace() *trace.Buffer { return b.s.trace }

func (b backend) Status() api.Status {
	s := b.s
	st := api.Status{
		Domain:     s.domain,
		Version:    Version,
		Users:      s.users.count(),
		Sessions:   len(s.router.All()),
		Listeners:  api.Listeners{C2S: s.C2SAddr(), HTTP: s.HTTPAddr()},
		FixtureDir: s.cfg.Fixtures,
		Uptime:     time.Since(s.started).Round(time.Second).String(),
	}
	st.FixtureFiles, st.FixtureError = s.fixtureState()
	return st
}

func (b backend) Users() []api.User {
	out := []api.User{}
	for _, u := range b.s.users.all() {
		out = append(out, api.User{
			Name: u.Name, JID: u.Name + "@" + b.s.domain, AutoAccept: u.AutoAccept, Fixture: u.Fixture,
			Online: len(b.s.router.Sessions(u.Name + "@" + b.s.domain)),
		})
	}
	return out
}

// user resolves a user named by localpart or bare JID.
func (b backend) user(name string) (string, error) {
	j, err := b.s.parseJID(name)
	if err != nil {
		return "", api.BadRequest(err.Error())
	}
	if j.Domainpart() != b.s.domain || !b.s.users.exists(j.Localpart()) {
		return "", api.NotFound("unknown user " + strconv.Quote(name))
	}
	return j.Localpart(), nil
}

func (b backend) Roster(name string) (api.Roster, error) {
	user, err := b.user(name)
	if err != nil {
		return api.Roster{}, err
	}
	items, ver, err := b.s.roster.Items(user)
	if err != nil {
		return api.Roster{}, err
	}
	out := api.Roster{Owner: user + "@" + b.s.domain, Ver: strconv.FormatInt(ver, 10), Items: []api.Item{}}
	for _, it := range items {
		out.Items = append(out.Items, apiItem(it))
	}
	return out, nil
}

func apiItem(it roster.Item) api.Item {
	st := roster.StateOf(it)
	sub, ask, approved := st.Wire()
	out := api.Item{JID: it.Contact, Name: it.Name, Groups: it.Groups, Subscription: sub, PendingIn: st.PendingIn, Approved: approved}
	if out.Groups == nil {
		out.Groups = []string{}
	}
	if ask {
		out.Ask = "subscribe"
	}
	return out
}

func (b backend) AddContact(owner string, req api.AddContact) (api.Item, error) {
	user, err := b.user(owner)
	if err != nil {
		return api.Item{}, err
	}
	c, err := b.s.parseJID(req.JID)
	if err != nil || req.JID == "" {
		return api.Item{}, api.BadRequest("malformed contact JID " + strconv.Quote(req.JID))
	}
	if c.Localpart() == "" || c.Resourcepart() != "" {
		return api.Item{}, api.BadRequest("the contact must be a bare JID with a local part, not " + strconv.Quote(req.JID))
	}
	if c.Domainpart() == b.s.domain && !b.s.users.exists(c.Localpart()) {
		return api.Item{}, api.NotFound("unknown user " + strconv.Quote(req.JID))
	}
	if c.Bare().String() == user+"@"+b.s.domain {
		return api.Item{}, api.BadRequest("a user cannot add themselves")
	}
	if err := b.s.presence.AddContact(user, c, req.Name, req.Groups); err != nil {
		return api.Item{}, err
	}
	it, _ := b.s.roster.Get(user, c.Bare().String())
	return apiItem(it), nil
}

func (b backend) RemoveContact(owner, contact string) error {
	user, err := b.user(owner)
	if err != nil {
		return err
	}
	c, err := b.s.parseJID(contact)
	if err != nil {
		return api.BadRequest(err.Error())
	}
	if _, ok := b.s.roster.Get(user, c.Bare().String()); !ok {
		return api.NotFound(user + " has no roster item for " + c.Bare().String())
	}
	b.s.presence.RemoveItem(user, c.Bare(), nil)
	return nil
}

func (b backend) Sessions() []api.Session {
	out := []api.Session{}
	for _, s := range b.s.router.All() {
		out = append(out, apiSession(s))
	}
	return out
}

func apiSession(s *router.Session) api.Session {
	avail, prio, last := s.Presence()
	out := api.Session{JID: s.Full, User: s.JID.Localpart(), Resource: s.JID.Resourcepart(), Available: avail, Priority: prio, Interested: s.Interested()}
	if last != nil {
		out.Show, out.Status = last.ChildText("show"), last.ChildText("status")
	}
	return out
}

func (b backend) Kick(target string) (int, error) {
	j, err := b.s.parseJID(target)
	if err != nil {
		return 0, api.BadRequest(err.Error())
	}
	if j.Domainpart() != b.s.domain || !b.s.users.exists(j.Localpart()) {
		return 0, api.NotFound("unknown user " + strconv.Quote(target))
	}
	var victims []*router.Session
	if j.Resourcepart() == "" {
		victims = b.s.router.Sessions(j.String())
	} else if s := b.s.router.Session(j.Bare().String(), j.Resourcepart()); s != nil {
		victims = append(victims, s)
	}
	if len(victims) == 0 {
		return 0, &api.Error{Status: http.StatusNotFound, Msg: "no session for " + j.String()}
	}
	for _, s := range victims {
		s.Conn.Close("policy-violation", "disconnected by the sandbox's admin")
	}
	return len(victims), nil
}

// sender resolves the from of an injected stanza: a local user's bare or
// full JID.
func (b backend) sender(from string) (jid.JID, error) {
	if from == "" {
		return jid.JID{}, api.BadRequest("from is required")
	}
	j, err := b.s.parseJID(from)
	if err != nil {
		return jid.JID{}, api.BadRequest(err.Error())
	}
	if j.Domainpart() != b.s.domain || !b.s.users.exists(j.Localpart()) {
		return jid.JID{}, api.NotFound("unknown user " + strconv.Quote(from))
	}
	return j, nil
}

// recipient resolves a to address; "" is allowed where optional is true.
func (b backend) recipient(to string, optional bool) (jid.JID, error) {
	if to == "" {
		if optional {
			return jid.JID{}, nil
		}
		return jid.JID{}, api.BadRequest("to is required")
	}
	j, err := b.s.parseJID(to)
	if err != nil {
		return jid.JID{}, api.BadRequest(err.Error())
	}
	if j.Domainpart() == b.s.domain && j.Localpart() != "" && !b.s.users.exists(j.Localpart()) {
		return jid.JID{}, api.NotFound("unknown user " + strconv.Quote(to))
	}
	return j, nil
}

func (b backend) InjectPresence(req api.Presence) error {
	from, err := b.sender(req.From)
	if err != nil {
		return err
	}
	to, err := b.recipient(req.To, true)
	if err != nil {
		return err
	}
	el, err := presenceElement(req)
	if err != nil {
		return err
	}
	if req.To != "" {
		el.Set("to", to.String())
	} else {
		to = from.Bare()
	}
	b.s.presence.SendAs(from, to, el)
	return nil
}

var presenceTypes = map[string]bool{"": true, "unavailable": true, "subscribe": true, "subscribed": true, "unsubscribe": true, "unsubscribed": true, "probe": true}
var shows = map[string]bool{"": true, "away": true, "chat": true, "dnd": true, "xa": true}

func presenceElement(req api.Presence) (*stanza.Element, error) {
	if !presenceTypes[req.Type] {
		return nil, api.BadRequest("presence type must be unavailable, subscribe, subscribed, unsubscribe, unsubscribed or probe, not " + strconv.Quote(req.Type))
	}
	if !shows[req.Show] {
		return nil, api.BadRequest("show must be away, chat, dnd or xa, not " + strconv.Quote(req.Show))
	}
	el := stanza.New(stanza.NSClient, stanza.Presence, "type", req.Type)
	if req.Show != "" {
		el.Append(stanza.New(stanza.NSClient, "show").AppendText(req.Show))
	}
	if req.Status != "" {
		el.Append(stanza.New(stanza.NSClient, "status").AppendText(req.Status))
	}
	if req.Priority != nil {
		if *req.Priority < -128 || *req.Priority > 127 {
			return nil, api.BadRequest("priority must be between -128 and 127")
		}
		el.Append(stanza.New(stanza.NSClient, "priority").AppendText(strconv.Itoa(*req.Priority)))
	}
	return el, nil
}

func (b backend) InjectMessage(req api.Message) error {
	from, err := b.sender(req.From)
	if err != nil {
		return err
	}
	to, err := b.recipient(req.To, false)
	if err != nil {
		return err
	}
	switch req.Type {
	case "", "chat", "normal", "headline", "groupchat":
	default:
		return api.BadRequest("message type must be chat, normal, headline or groupchat, not " + strconv.Quote(req.Type))
	}
	typ := req.Type
	if typ == "" {
		typ = "chat"
	}
	el := stanza.New(stanza.NSClient, stanza.Message, "type", typ, "id", "inject-"+strconv.FormatUint(b.s.trace.Last(), 10), "from", from.String(), "to", to.String())
	el.Append(stanza.New(stanza.NSClient, "body").AppendText(req.Body))
	b.s.router.Route(&router.Packet{From: from, To: to, El: el})
	return nil
}

func (b backend) InjectRaw(text string) (int, error) {
	els, err := parseStanzas(text, b.s.cfg.MaxStanza)
	if err != nil {
		return 0, api.BadRequest(err.Error())
	}
	type job struct {
		from, to jid.JID
		el       *stanza.Element
	}
	var jobs []job
	for i, el := range els {
		from, err := b.sender(el.From())
		if err != nil {
			return 0, api.BadRequest("stanza " + strconv.Itoa(i+1) + ": " + err.Error())
		}
		to, err := b.recipient(el.To(), el.Name.Local != stanza.Message)
		if err != nil {
			return 0, api.BadRequest("stanza " + strconv.Itoa(i+1) + ": " + err.Error())
		}
		if el.To() == "" {
			to = from.Bare()
		}
		el.Set("from", from.String())
		jobs = append(jobs, job{from, to, el})
	}
	// Only once every stanza checked out is anything routed.
	for _, j := range jobs {
		if j.el.Name.Local == stanza.Presence {
			b.s.presence.SendAs(j.from, j.to, j.el)
		} else {
			b.s.router.Route(&router.Packet{From: j.from, To: j.to, El: j.el})
		}
	}
	return len(jobs), nil
}

// redact hides SASL payloads, which carry passwords or their proofs.
func redact(el *stanza.Element) *stanza.Element {
	if el.Name.Space != stanza.NSSASL {
		return el
	}
	switch el.Name.Local {
	case "auth", "response", "challenge", "success":
		if strings.TrimSpace(el.Content()) != "" {
			c := el.ShallowCopy()
			c.Nodes = []*stanza.Element{{Text: "[redacted]"}}
			return c
		}
	}
	return el
}
