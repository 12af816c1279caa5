package stanza

import "testing"

// Copies made after ShareContent write the same bytes as without it, in
// both stream framings, and a copy whose children changed is written
// from its own children.
func TestShareContent(t *testing.T) {
	el := New(NSClient, Presence, "from", "a@b/c")
	el.Append(New(NSClient, "show").AppendText("away"), New("urn:x", "x").AppendText("<&>"))
	want := map[string]string{}
	for _, ns := range []string{NSClient, ""} {
		want[ns] = string(el.Readdressed("a@b/c", "d@b").AppendXML(nil, ns))
	}
	el.ShareContent()
	for _, ns := range []string{NSClient, ""} {
		if got := string(el.Readdressed("a@b/c", "d@b").AppendXML(nil, ns)); got != want[ns] {
			t.Errorf("ns %q: got %s, want %s", ns, got, want[ns])
		}
	}
	c := el.Readdressed("a@b/c", "d@b")
	c.Append(New(NSClient, "status").AppendText("hi"))
	if got := c.String(); got != `<presence xmlns="jabber:client" from="a@b/c" to="d@b"><show>away</show><x xmlns="urn:x">&lt;&amp;&gt;</x><status>hi</status></presence>` {
		t.Errorf("changed copy: %s", got)
	}
	c.Nodes = []*Element{New(NSClient, "priority").AppendText("1")}
	if got := c.String(); got != `<presence xmlns="jabber:client" from="a@b/c" to="d@b"><priority>1</priority></presence>` {
		t.Errorf("replaced children: %s", got)
	}
}
