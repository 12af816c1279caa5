package sandbox_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
	"github.com/xmppsandbox/xmppsandbox/sandbox/xclient"
)

// stormer is one client changing its roster (roster sets, outbound
// subscriptions) and leaving messages for an offline user as fast as the
// server answers, recording every change the server acknowledged.
type stormer struct {
	name  string // the user
	tag   string // what makes this stormer's contacts and ids unique
	conn  *xclient.Conn
	acked *atomic.Int64 // shared count of acknowledgements, to time the kill

	mu   sync.Mutex
	sent int
	// items holds the last acknowledged state of each contact: "set" or
	// "unset" (a roster set's or removal's iq result), "pushed" or
	// "removed" (a roster push), "subscribe" (a push with a pending ask),
	// or "removing" while a removal is unanswered.
	items map[string]string
	msgs  []string // ids of messages stored for the sink
	err   error
}

// stormRoster is the roster request that makes a resource interested in
// pushes (RFC 6121 §2.1.6), which acknowledge subscriptions.
const stormRoster = `<iq type='get' id='roster'><query xmlns='jabber:iq:roster'/></iq>`

// run storms until the connection breaks.
func (s *stormer) run() {
	s.conn.SendRaw(stormRoster)
	for round := 0; ; round++ {
		pending := s.sendRound(round)
		if err := s.readRound(round, pending); err != nil {
			s.mu.Lock()
			s.err = err
			s.mu.Unlock()
			return
		}
	}
}

// sendRound pipelines four roster sets, the removal of an item of the
// round before, a subscription, three offline messages and a ping; it
// returns the messages the ping will vouch for.
func (s *stormer) sendRound(round int) []string {
	var msgs []string
	for k := range 4 {
		c := s.contact(round, k)
		s.conn.Buffer(`<iq type='set' id='set:` + c + `'><query xmlns='jabber:iq:roster'><item jid='` + c + `' name='storm'><group>g` + strconv.Itoa(k) + `</group></item></query></iq>`)
	}
	if round > 0 {
		c := s.contact(round-1, 0)
		s.mu.Lock()
		s.items[c] = "removing" // either state is right until acknowledged
		s.mu.Unlock()
		s.conn.Buffer(`<iq type='set' id='rm:` + c + `'><query xmlns='jabber:iq:roster'><item jid='` + c + `' subscription='remove'/></query></iq>`)
	}
	sub := fmt.Sprintf("sub-%s-%d@example.net", s.tag, round)
	s.conn.Buffer(`<presence type='subscribe' to='` + sub + `'/>`)
	for k := range 3 {
		id := fmt.Sprintf("msg-%s-%d-%d", s.tag, round, k)
		s.conn.Buffer(`<message to='sink@localhost' type='chat' id='` + id + `'><body>` + id + `</body></message>`)
		msgs = append(msgs, id)
	}
	s.conn.Buffer(`<iq type='get' id='ping:` + strconv.Itoa(round) + `' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>`)
	s.conn.Flush()
	s.mu.Lock()
	s.sent += 9
	s.mu.Unlock()
	return msgs
}

func (s *stormer) contact(round, k int) string {
	return fmt.Sprintf("item-%s-%d-%d@example.net", s.tag, round, k)
}

// readRound reads answers until the round's ping comes back: stanzas of
// one session are handled in order, so by then the messages before it
// are stored.
func (s *stormer) readRound(round int, msgs []string) error {
	ping := "ping:" + strconv.Itoa(round)
	for {
		el, err := s.conn.Next()
		if err != nil {
			return err
		}
		switch {
		case el.Name.Local != stanza.IQ:
		case el.Type() == "result" && el.ID() == ping:
			s.record(func() { s.msgs = append(s.msgs, msgs...) }, len(msgs))
			return nil
		case el.Type() == "result" && strings.HasPrefix(el.ID(), "set:"):
			s.record(func() { s.items[el.ID()[4:]] = "set" }, 1)
		case el.Type() == "result" && strings.HasPrefix(el.ID(), "rm:"):
			s.record(func() { s.items[el.ID()[3:]] = "unset" }, 1)
		case el.Type() == "set":
			s.recordPush(el)
		}
	}
}

// recordPush takes a roster push as the acknowledgement of its item.
func (s *stormer) recordPush(push *stanza.Element) {
	q := push.Child(stanza.NSRoster, "query")
	if q == nil {
		return
	}
	for _, it := range q.Elements() {
		kind := "pushed"
		switch {
		case it.Get("subscription") == "remove":
			kind = "removed"
		case it.Get("ask") == "subscribe":
			kind = "subscribe"
		}
		s.record(func() { s.items[it.Get("jid")] = kind }, 1)
	}
}

func (s *stormer) record(change func(), n int) {
	s.mu.Lock()
	change()
	s.mu.Unlock()
	s.acked.Add(int64(n))
}

// apiRoster is what GET /api/rosters/{user} answers.
type apiRoster struct {
	Items []struct {
		JID, Ask string
	}
}

func checkRoster(t *testing.T, p *serverProcess, s *stormer) int {
	t.Helper()
	var r apiRoster
	getJSON(t, "http://"+p.http+"/api/rosters/"+s.name, &r)
	have := map[string]string{}
	for _, it := range r.Items {
		have[it.JID] = it.Ask
	}
	for contact, kind := range s.items {
		if why := missing(kind, have, contact); why != "" {
			t.Errorf("%s: %s %s", s.name, contact, why)
		}
	}
	return len(s.items)
}

// missing says how the roster have fails the acknowledged state kind of
// contact, or "" when it does not.
func missing(kind string, have map[string]string, contact string) string {
	ask, ok := have[contact]
	switch {
	case kind == "set" && !ok:
		return "is lost, though its roster set's result came back (RFC 6121 §2.3.2: stored before answered)"
	case kind == "unset" && ok:
		return "is back, though its removal's result came back (RFC 6121 §2.5.2)"
	case kind == "removed" && ok:
		return "is back, though its removal was pushed"
	case (kind == "pushed" || kind == "subscribe") && !ok:
		return "is lost, though it was pushed"
	case kind == "subscribe" && ask != "subscribe":
		return "lost its pending subscription request"
	}
	return ""
}

func getJSON(t *testing.T, url string, out any) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if err := json.NewDecoder(res.Body).Decode(out); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
}

// collectOffline logs the sink in, sends initial presence and returns
// the ids of the messages delivered to it (XEP-0160).
func collectOffline(t *testing.T, p *serverProcess) map[string]bool {
	t.Helper()
	c, err := xclient.Dial(p.c2s, "sink", "sink", xclient.Options{Domain: "localhost", Resource: "r"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SendRaw(`<presence/><iq type='get' id='done' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>`)
	got := map[string]bool{}
	c.SetReadDeadline(time.Now().Add(30 * time.Second))
	for {
		el, err := c.Next()
		if err != nil {
			t.Fatalf("sink reading its offline messages: %v", err)
		}
		if el.Name.Local == "message" {
			got[el.ID()] = true
		}
		if el.Name.Local == "iq" && el.ID() == "done" {
			return got
		}
	}
}
