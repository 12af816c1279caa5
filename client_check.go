package main

import (
	"fmt"
	"slices"
	"strings"

	"mellium.im/xmpp/jid"
)

// placeholderDomain stands in for the served domain, which only the
// server knows, when a bare user name is checked as a localpart.
const placeholderDomain = "localhost"

// checkJID checks text as an address, naming what in the error. A name
// without '@' is a local user (the server adds its domain), so its
// localpart and resourcepart are checked as such (RFC 7622 §3.3, §3.4);
// anything else is parsed as a whole JID.
func checkJID(what, text string) error {
	if text == "" {
		return fmt.Errorf("%s is empty", what)
	}
	var err error
	if strings.Contains(text, "@") {
		_, err = jid.Parse(text)
	} else {
		local, resource, _ := strings.Cut(text, "/")
		_, err = jid.New(local, placeholderDomain, resource)
	}
	if err != nil {
		return fmt.Errorf("malformed JID %q for %s: %v", text, what, err)
	}
	return nil
}

// checkBareJID is checkJID for an address that must not name a resource,
// such as a roster owner or contact (RFC 6121 §2.1.1).
func checkBareJID(what, text string) error {
	if err := checkJID(what, text); err != nil {
		return err
	}
	if strings.Contains(text, "/") {
		return fmt.Errorf("%s %q must be a bare JID, without a resource", what, text)
	}
	return nil
}

// checkOptionalJID is checkJID for a flag that may be left out.
func checkOptionalJID(what, text string) error {
	if text == "" {
		return nil
	}
	return checkJID(what, text)
}

// checkOneOf checks that value, if given, is one of allowed.
func checkOneOf(what, value string, allowed ...string) error {
	if value == "" || slices.Contains(allowed, value) {
		return nil
	}
	return fmt.Errorf("%s %q is not one of %s", what, value, strings.Join(allowed, ", "))
}

// presenceTypes returns the values --type accepts for inject presence:
// those a client may send (RFC 6121 §4.7.1). Probes and errors come from
// servers only, so they are not injected.
func presenceTypes() []string {
	return []string{"available", "unavailable", "subscribe", "subscribed", "unsubscribe", "unsubscribed"}
}

// showValues returns the values of <show/> (RFC 6121 §4.7.2.1).
func showValues() []string { return []string{"away", "chat", "dnd", "xa"} }

// messageTypes returns the values --type accepts for inject message:
// groupchat needs a room and error answers a stanza (RFC 6121 §5.2.2).
func messageTypes() []string { return []string{"chat", "normal", "headline"} }

// checkPriority checks the range of <priority/> (RFC 6121 §4.7.2.3).
func checkPriority(p int) error {
	if p < -128 || p > 127 {
		return fmt.Errorf("--priority %d is outside -128..127", p)
	}
	return nil
}
