package router

import (
	"errors"
	"strings"

	"mellium.im/xmpp/jid"
)

// ParseJID parses an address as jid.Parse does, and refuses a domainpart
// that still ends in a dot once the one trailing dot RFC 7622 §3.2 allows
// is gone: "example.com.." would otherwise become "example.com.", which
// reads back as a different JID, so an item added under it could never be
// found again.
func ParseJID(s string) (jid.JID, error) {
	j, err := jid.Parse(s)
	if err != nil {
		return j, err
	}
	if strings.HasSuffix(j.Domainpart(), ".") {
		return jid.JID{}, errors.New("jid: the domainpart ends with an empty label")
	}
	return j, nil
}
