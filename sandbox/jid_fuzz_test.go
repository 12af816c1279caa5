package sandbox

import (
	"strings"
	"testing"

	"mellium.im/xmpp/jid"
)

// FuzzJID feeds arbitrary text to what reads user-given JIDs: the
// server's parseJID (every admin API address goes through it) and
// jid.Parse (every stanza's to, every roster item). Neither may panic,
// and a JID either accepts must read back as itself from its own string,
// so that what the server stores and compares is stable. The seed corpus
// is in testdata/fuzz/FuzzJID.
func FuzzJID(f *testing.F) {
	for _, seed := range []string{
		"admin", "admin@localhost", "Admin@LOCALHOST/Laptop", "example.org",
		"a@b@c", "@localhost", "localhost", "mine@localhost/", "/r", "a/b/c",
		"x@[::1]/y", "ǅ@localhost", "mine@localhost/\u00a0", "\x00",
		strings.Repeat("a", 1024) + "@localhost", "mine@localhost./r",
	} {
		f.Add(seed)
	}
	s := &Server{domain: "localhost"}
	f.Fuzz(func(t *testing.T, text string) {
		if j, err := s.parseJID(text); err == nil {
			checkStable(t, "parseJID", text, j, s.parseJID)
		}
		if j, err := jid.Parse(text); err == nil {
			checkStable(t, "jid.Parse", text, j, jid.Parse)
		}
	})
}

// checkStable reads j's string back with parse and checks it is j.
func checkStable(t *testing.T, name, text string, j jid.JID, parse func(string) (jid.JID, error)) {
	t.Helper()
	if j.Domainpart() == "" {
		t.Fatalf("%s(%q) accepted a JID without a domain: %q", name, text, j)
	}
	if strings.HasSuffix(j.Domainpart(), ".") {
		t.Skip("known bug, see TestJIDTrailingDotsStrippedOnce")
	}
	back, err := parse(j.String())
	if err != nil {
		t.Fatalf("%s(%q) = %q, which it then refuses: %v", name, text, j, err)
	}
	if !back.Equal(j) || back.String() != j.String() {
		t.Fatalf("%s(%q) = %q, which reads back as %q", name, text, j, back)
	}
}

// TestJIDTrailingDotsStrippedOnce is the first input FuzzJID broke:
// RFC 7622 §3.2 strips a domainpart's final dot, and jid.Parse strips
// only one, so "x@example.com.." becomes "x@example.com.", which reads
// back as "x@example.com". A client that adds such a contact gets a
// roster item it can never remove: the removal names the pushed JID,
// which parses to another one (item-not-found).
func TestJIDTrailingDotsStrippedOnce(t *testing.T) {
	s := &Server{domain: "localhost"}
	for _, text := range []string{"x@example.com..", "example.com..", "x@localhost../r"} {
		j, err := s.parseJID(text)
		if err != nil {
			continue // refusing it is as good
		}
		back, err := s.parseJID(j.String())
		if err != nil || back.String() != j.String() {
			t.Errorf("parseJID(%q) = %q, which reads back as %q (%v)", text, j, back, err)
		}
	}
}
