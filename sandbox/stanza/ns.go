package stanza

// Namespaces used across the server.
const (
	NSClient      = "jabber:client"
	NSStream      = "http://etherx.jabber.org/streams"
	NSStreams     = "urn:ietf:params:xml:ns:xmpp-streams"
	NSStanzas     = "urn:ietf:params:xml:ns:xmpp-stanzas"
	NSTLS         = "urn:ietf:params:xml:ns:xmpp-tls"
	NSSASL        = "urn:ietf:params:xml:ns:xmpp-sasl"
	NSBind        = "urn:ietf:params:xml:ns:xmpp-bind"
	NSSession     = "urn:ietf:params:xml:ns:xmpp-session"
	NSFraming     = "urn:ietf:params:xml:ns:xmpp-framing"
	NSXML         = "http://www.w3.org/XML/1998/namespace"
	NSDelay       = "urn:xmpp:delay"
	NSRoster      = "jabber:iq:roster"
	NSRosterVer   = "urn:xmpp:features:rosterver"
	NSPreApproval = "urn:xmpp:features:pre-approval"
)

var langEN = xmlAttr(NSXML, "lang", "en")
