package stanza

import "encoding/xml"

// Stanza kinds: the three top-level elements of RFC 6120 §8.
const (
	Message  = "message"
	Presence = "presence"
	IQ       = "iq"
)

// IsStanza reports whether e is a message, presence or iq in jabber:client.
func (e *Element) IsStanza() bool {
	if e.Name.Space != NSClient {
		return false
	}
	switch e.Name.Local {
	case Message, Presence, IQ:
		return true
	}
	return false
}

// From returns the from attribute.
func (e *Element) From() string { return e.Get("from") }

// To returns the to attribute.
func (e *Element) To() string { return e.Get("to") }

// Type returns the type attribute.
func (e *Element) Type() string { return e.Get("type") }

// ID returns the id attribute.
func (e *Element) ID() string { return e.Get("id") }

// Payload returns the first child element of an iq: the element that
// names what the iq is about.
func (e *Element) Payload() *Element { return e.FirstElement() }

// Result builds the empty result for the iq request e, addressed back to
// its sender.
func (e *Element) Result(payload ...*Element) *Element {
	r := New(NSClient, IQ, "id", e.ID(), "type", "result", "from", e.To(), "to", e.From())
	return r.Append(payload...)
}

// Readdressed returns a shallow copy of e with new from and to. The
// attributes get room for both at once: presence fan-out calls it once
// per recipient.
func (e *Element) Readdressed(from, to string) *Element {
	c := *e
	c.Attr = make([]xml.Attr, len(e.Attr), len(e.Attr)+2)
	copy(c.Attr, e.Attr)
	c.Set("from", from)
	c.Set("to", to)
	return &c
}
