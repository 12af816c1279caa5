package fault

import (
	"fmt"
	"sort"
	"strings"
)

// stanzaErrorTypes maps every defined stanza error condition of RFC 6120
// §8.3.3 to the error type the RFC recommends for it.
func stanzaErrorTypes() map[string]string {
	return map[string]string{
		"bad-request":             "modify",
		"conflict":                "cancel",
		"feature-not-implemented": "cancel",
		"forbidden":               "auth",
		"gone":                    "cancel",
		"internal-server-error":   "cancel",
		"item-not-found":          "cancel",
		"jid-malformed":           "modify",
		"not-acceptable":          "modify",
		"not-allowed":             "cancel",
		"not-authorized":          "auth",
		"policy-violation":        "modify",
		"recipient-unavailable":   "wait",
		"redirect":                "modify",
		"registration-required":   "auth",
		"remote-server-not-found": "cancel",
		"remote-server-timeout":   "wait",
		"resource-constraint":     "wait",
		"service-unavailable":     "cancel",
		"subscription-required":   "auth",
		"undefined-condition":     "cancel",
		"unexpected-request":      "wait",
	}
}

// streamConditions lists the stream error conditions of RFC 6120 §4.9.3
// a server may close a stream with. see-other-host is left out: §4.9.3.19
// requires it to carry the host to go to, which a fault does not name.
func streamConditions() []string {
	return []string{
		"bad-format", "bad-namespace-prefix", "conflict", "connection-timeout",
		"host-gone", "host-unknown", "improper-addressing", "internal-server-error",
		"invalid-from", "invalid-namespace", "invalid-xml", "not-authorized",
		"not-well-formed", "policy-violation", "remote-connection-failed", "reset",
		"resource-constraint", "restricted-xml", "system-shutdown",
		"undefined-condition", "unsupported-encoding", "unsupported-feature",
		"unsupported-stanza-type", "unsupported-version",
	}
}

// CheckStanzaCondition accepts a stanza error condition of RFC 6120
// §8.3.3.
func CheckStanzaCondition(cond string) error {
	types := stanzaErrorTypes()
	if _, ok := types[cond]; ok {
		return nil
	}
	var all []string
	for c := range types {
		all = append(all, c)
	}
	sort.Strings(all)
	return fmt.Errorf("%q is not a stanza error condition of RFC 6120 §8.3.3: want one of %s", cond, strings.Join(all, ", "))
}

// CheckStreamCondition accepts a stream error condition of RFC 6120
// §4.9.3 that needs no extra data.
func CheckStreamCondition(cond string) error {
	if cond == "see-other-host" {
		return fmt.Errorf("see-other-host needs the host to redirect to (RFC 6120 §4.9.3.19), which a fault cannot give")
	}
	for _, c := range streamConditions() {
		if c == cond {
			return nil
		}
	}
	return fmt.Errorf("%q is not a stream error condition of RFC 6120 §4.9.3: want one of %s", cond, strings.Join(streamConditions(), ", "))
}

// stanzaErrorType returns the error type RFC 6120 §8.3.3 gives cond.
func stanzaErrorType(cond string) string {
	if t, ok := stanzaErrorTypes()[cond]; ok {
		return t
	}
	return "cancel"
}
