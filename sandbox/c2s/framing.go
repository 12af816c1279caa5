package c2s

import (
	"strings"

	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
)

// framer writes what surrounds stanzas, which differs between a TCP
// stream (RFC 6120 §4) and XMPP over WebSocket (RFC 7395), where every
// message is one complete element.
type framer interface {
	// open is the server's stream header.
	open(domain, id, to string) string
	// close ends the stream.
	close() string
	// element appends el as the transport writes it.
	element(dst []byte, el *stanza.Element) []byte
	// oneElementPerWrite reports whether each element needs its own
	// Write (a WebSocket message) rather than sharing a batch.
	oneElementPerWrite() bool
}

// tcpFraming is the classic stream: one document whose root
// <stream:stream/> declares jabber:client for every stanza.
type tcpFraming struct{}

func (tcpFraming) open(domain, id, to string) string {
	return `<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0' xml:lang='en'` + attrs(domain, id, to) + `>`
}

func (tcpFraming) close() string { return "</stream:stream>" }

func (tcpFraming) element(dst []byte, el *stanza.Element) []byte {
	return el.AppendXML(dst, stanza.NSClient)
}

func (tcpFraming) oneElementPerWrite() bool { return false }

// wsFraming is RFC 7395: <open/> and <close/> in the framing namespace,
// and each stanza a standalone element declaring its namespace.
type wsFraming struct{}

func (wsFraming) open(domain, id, to string) string {
	return `<open xmlns='` + stanza.NSFraming + `' version='1.0' xml:lang='en'` + attrs(domain, id, to) + `/>`
}

func (wsFraming) close() string { return `<close xmlns='` + stanza.NSFraming + `'/>` }

func (wsFraming) element(dst []byte, el *stanza.Element) []byte { return el.AppendXML(dst, "") }

func (wsFraming) oneElementPerWrite() bool { return true }

func attrs(domain, id, to string) string {
	var b strings.Builder
	b.WriteString(` from='` + escapeAttr(domain) + `'`)
	if id != "" {
		b.WriteString(` id='` + id + `'`)
	}
	if to != "" {
		b.WriteString(` to='` + escapeAttr(to) + `'`)
	}
	return b.String()
}
