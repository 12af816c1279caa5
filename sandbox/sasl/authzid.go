package sasl

import "mellium.im/xmpp/jid"

// checkAuthzid accepts an empty authzid or one naming the user's own bare
// JID. RFC 6120 §6.3.8: an empty authzid means "act as the authenticated
// identity"; any other value asks to act as someone else, which the sandbox
// never allows. JIDs are compared after RFC 7622 normalization, so
// "Alice@Example.COM" names the same account as "alice@example.com".
func checkAuthzid(authzid, username, domain string) error {
	if authzid == "" {
		return nil
	}
	own, err := jid.New(username, domain, "")
	if err == nil {
		claimed, err := jid.Parse(authzid)
		if err == nil && claimed.Equal(own) {
			return nil
		}
	}
	return fail(ConditionInvalidAuthzid, "the authzid must be empty or your own bare JID")
}
