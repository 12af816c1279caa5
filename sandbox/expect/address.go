package expect

import (
	"fmt"
	"strconv"

	"mellium.im/xmpp/jid"
)

// address is a JID a filter asks for. A bare one stands for the account
// and all of its resources, as a bare JID does in routing (RFC 6120
// §10.5.3, RFC 6121 §8.5).
type address struct {
	want jid.JID
}

// resolveAddress reads text as a JID; a name without '@' that is not the
// served domain is a local user, as everywhere in the admin API, so
// "mine" and "mine/phone" are mine@domain and mine@domain/phone.
func resolveAddress(what, text, domain string) (address, error) {
	j, err := jid.Parse(text)
	if err == nil && j.Localpart() == "" && j.Domainpart() != domain {
		j, err = jid.New(j.Domainpart(), domain, j.Resourcepart())
	}
	if err != nil {
		return address{}, fmt.Errorf("malformed JID %q for %s: %v", text, what, err)
	}
	return address{want: j}, nil
}

// matches reports whether got, an address as written in a stanza, is the
// wanted JID or, for a bare one, one of its resources. Comparing parsed
// JIDs applies the same normalisation (RFC 7622 §3) on both sides.
func (a address) matches(got string) bool {
	j, err := jid.Parse(got)
	if err != nil {
		return false
	}
	if a.want.Resourcepart() == "" {
		j = j.Bare()
	}
	return j.Equal(a.want)
}

// String names the wanted addresses for a message.
func (a address) String() string {
	if a.want.Resourcepart() == "" {
		return a.want.String() + " or one of its resources"
	}
	return a.want.String()
}

// missAddress words why got is not the wanted address.
func missAddress(name string, a address, got string) string {
	if got == "" {
		return name + ": none, want " + a.String()
	}
	return name + ": got " + strconv.Quote(got) + ", want " + a.String()
}
