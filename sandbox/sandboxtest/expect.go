package sandboxtest

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stream"
)

// Any matches any attribute value in a pattern.
const Any = "{any}"

// Next returns the next stanza the client received, waiting up to Timeout.
func (c *Client) Next() *stanza.Element {
	c.t.Helper()
	deadline := time.After(Timeout)
	for {
		c.mu.Lock()
		if len(c.got) > 0 {
			el := c.got[0]
			c.got = c.got[1:]
			c.mu.Unlock()
			return el
		}
		c.mu.Unlock()
		select {
		case <-c.arrived:
		case <-c.done:
			c.t.Fatalf("%s: stream ended while waiting: %v", c.JID, c.doneErr)
		case <-deadline:
			c.t.Fatalf("%s: nothing arrived within %s", c.JID, Timeout)
		}
	}
}

// Expect checks that the next stanza matches pattern, an XML text whose
// attributes must all be present with the same value (or Any) and whose
// child elements must each match a child of the stanza. It returns the
// stanza.
func (c *Client) Expect(pattern string) *stanza.Element {
	c.t.Helper()
	want := mustParse(c, pattern)
	got := c.Next()
	if !Match(want, got) {
		c.t.Fatalf("%s received\n\t%s\nwant\n\t%s", c.JID, got, want)
	}
	return got
}

// Await skips stanzas until one matches pattern, and returns it.
func (c *Client) Await(pattern string) *stanza.Element {
	c.t.Helper()
	want := mustParse(c, pattern)
	var seen []string
	deadline := time.Now().Add(Timeout)
	for time.Now().Before(deadline) {
		got := c.Next()
		if Match(want, got) {
			return got
		}
		seen = append(seen, got.String())
	}
	c.t.Fatalf("%s never received %s; got:\n\t%s", c.JID, want, strings.Join(seen, "\n\t"))
	return nil
}

// Sync makes a round trip to the server, so that everything the server
// queued for this client before has arrived; the answer is consumed.
func (c *Client) Sync() {
	c.t.Helper()
	c.mu.Lock()
	c.pings++
	id := "sync" + strconv.Itoa(c.pings)
	c.mu.Unlock()
	c.Send(`<iq type='get' id='` + id + `' to='` + c.JID.Domainpart() + `'><ping xmlns='urn:xmpp:ping'/></iq>`)
	deadline := time.After(Timeout)
	for {
		c.mu.Lock()
		for i, el := range c.got {
			if el.Name.Local == stanza.IQ && el.ID() == id {
				c.got = append(c.got[:i], c.got[i+1:]...)
				c.mu.Unlock()
				return
			}
		}
		c.mu.Unlock()
		select {
		case <-c.arrived:
		case <-deadline:
			c.t.Fatalf("%s: no answer to ping %s", c.JID, id)
		}
	}
}

// ExpectNothing syncs and then checks that nothing else arrived.
func (c *Client) ExpectNothing() {
	c.t.Helper()
	c.Sync()
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.got) > 0 {
		var s []string
		for _, el := range c.got {
			s = append(s, el.String())
		}
		c.t.Fatalf("%s received unexpected stanzas:\n\t%s", c.JID, strings.Join(s, "\n\t"))
	}
}

// Match reports whether got matches the pattern want.
func Match(want, got *stanza.Element) bool {
	if want.Name != got.Name {
		return false
	}
	for _, a := range want.Attr {
		found := false
		for _, b := range got.Attr {
			if a.Name == b.Name && (a.Value == Any || a.Value == b.Value) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	if text := strings.TrimSpace(want.Content()); text != "" && text != strings.TrimSpace(got.Content()) {
		return false
	}
	for _, w := range want.Elements() {
		ok := false
		for _, g := range got.Elements() {
			if Match(w, g) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

func mustParse(c *Client, pattern string) *stanza.Element {
	el, err := stream.Parse(pattern, 0)
	if err != nil {
		c.t.Fatalf("bad pattern %q: %v", pattern, err)
	}
	return el
}

// Fmt is fmt.Sprintf, for building patterns with JIDs.
func Fmt(format string, args ...any) string { return fmt.Sprintf(format, args...) }

// ExpectStreamEnd waits for the server to end the stream.
func (c *Client) ExpectStreamEnd() {
	c.t.Helper()
	select {
	case <-c.done:
	case <-time.After(Timeout):
		c.t.Fatalf("%s: the stream did not end", c.JID)
	}
}

// ExpectStreamEndWith waits for the server to end the stream with the
// given stream error condition.
func (c *Client) ExpectStreamEndWith(condition string) {
	c.t.Helper()
	c.ExpectStreamEnd()
	if c.doneErr == nil || !strings.Contains(c.doneErr.Error(), condition) {
		c.t.Fatalf("%s: stream ended with %v, want %s", c.JID, c.doneErr, condition)
	}
}
