package stream

import "github.com/xmppsandbox/xmppsandbox/sandbox/stanza"

// common holds the names, namespaces and attribute values most stanzas
// repeat, so that reading them allocates no string. Looking a []byte up
// with string(b) as the key does not allocate either.
var common = func() map[string]string {
	words := []string{
		// Stanzas and their children.
		"message", "presence", "iq", "body", "subject", "thread", "query",
		"item", "group", "show", "status", "priority", "error", "text",
		"c", "x", "delay", "bind", "resource", "jid", "session", "ping",
		"active", "composing", "paused", "inactive", "gone", "request",
		"received", "markable", "stream", "features", "starttls", "auth",
		"response", "mechanism", "enable", "r", "a", "html",
		// Attributes.
		"to", "from", "id", "type", "lang", "name", "subscription", "ask",
		"hash", "node", "ver", "xmlns", "stamp", "version", "approved",
		"code", "by", "mechanism",
		// Values.
		"chat", "normal", "groupchat", "headline", "get", "set", "result",
		"unavailable", "subscribe", "subscribed", "unsubscribe",
		"unsubscribed", "probe", "both", "none", "remove", "away", "xa",
		"dnd", "sha-1", "true", "false", "en", "cancel", "modify", "wait",
		"PLAIN", "SCRAM-SHA-1", "SCRAM-SHA-256",
		// Namespaces.
		stanza.NSClient, stanza.NSStream, stanza.NSStreams, stanza.NSStanzas,
		stanza.NSTLS, stanza.NSSASL, stanza.NSBind, stanza.NSSession,
		stanza.NSFraming, stanza.NSXML, stanza.NSDelay, stanza.NSRoster,
		"http://jabber.org/protocol/caps", "http://jabber.org/protocol/chatstates",
		"http://jabber.org/protocol/disco#info", "http://jabber.org/protocol/disco#items",
		"jabber:iq:version", "jabber:iq:private", "jabber:iq:last", "jabber:x:data",
		"urn:xmpp:ping", "urn:xmpp:receipts", "urn:xmpp:chat-markers:0",
		"urn:xmpp:time", "vcard-temp", "vcard-temp:x:update",
		"http://jabber.org/protocol/xhtml-im", "urn:xmpp:sm:3", "urn:xmpp:carbons:2",
	}
	m := make(map[string]string, len(words))
	for _, w := range words {
		m[w] = w
	}
	return m
}()

// intern returns b as a string, shared if it is a common one.
func intern(b []byte) string {
	if s, ok := common[string(b)]; ok {
		return s
	}
	return string(b)
}
