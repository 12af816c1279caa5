package sasl

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"unicode/utf8"
)

// maxPlainField bounds each PLAIN field. RFC 4616 §2 requires accepting up
// to 255 octets; nothing longer is a realistic name or password.
const maxPlainField = 255

// plain is the server side of RFC 4616 PLAIN: a single client message, no
// challenge.
type plain struct {
	domain string
	creds  Credentials
	user   string
}

// newPlain starts a PLAIN exchange.
func newPlain(domain string, creds Credentials) *plain {
	return &plain{domain: domain, creds: creds}
}

// username is the authcid that passed verification.
func (p *plain) username() string { return p.user }

// next verifies the one PLAIN message: syntax, then authzid, then password.
func (p *plain) next(in []byte) ([]byte, bool, error) {
	authzid, authcid, passwd, err := parsePlain(in)
	if err != nil {
		return nil, false, err
	}
	if err := checkAuthzid(authzid, authcid, p.domain); err != nil {
		return nil, false, err
	}
	if pc, ok := p.creds.(PasswordChecker); ok {
		if !pc.CheckPassword(authcid, passwd) {
			return nil, false, notAuthorized()
		}
		p.user = authcid
		return nil, true, nil
	}
	stored, known := p.creds.Password(authcid)
	// Compare even for an unknown user, so both failures cost the same.
	if !passwordsEqual(stored, passwd) || !known {
		return nil, false, notAuthorized()
	}
	p.user = authcid
	return nil, true, nil
}

// parsePlain splits RFC 4616 §2's message = [authzid] UTF8NUL authcid
// UTF8NUL passwd: exactly two NULs, a non-empty authcid and passwd, every
// field valid UTF-8 and at most maxPlainField octets.
func parsePlain(in []byte) (authzid, authcid, passwd string, err error) {
	first := bytes.IndexByte(in, 0)
	if first < 0 {
		return "", "", "", fail(ConditionMalformedRequest, "PLAIN: expected authzid NUL authcid NUL passwd")
	}
	second := bytes.IndexByte(in[first+1:], 0)
	if second < 0 {
		return "", "", "", fail(ConditionMalformedRequest, "PLAIN: expected authzid NUL authcid NUL passwd")
	}
	second += first + 1
	fields := [3][]byte{in[:first], in[first+1 : second], in[second+1:]}
	if bytes.IndexByte(fields[2], 0) >= 0 {
		return "", "", "", fail(ConditionMalformedRequest, "PLAIN: more than two NUL separators")
	}
	if len(fields[1]) == 0 || len(fields[2]) == 0 {
		return "", "", "", fail(ConditionMalformedRequest, "PLAIN: empty authcid or passwd")
	}
	for _, field := range fields {
		if len(field) > maxPlainField || !utf8.Valid(field) {
			return "", "", "", fail(ConditionMalformedRequest, "PLAIN: field too long or not UTF-8")
		}
	}
	return string(fields[0]), string(fields[1]), string(fields[2]), nil
}

// passwordsEqual compares two passwords after SASLprep (RFC 4616 §2) in
// time independent of their contents. Hashing first makes the lengths
// equal, since subtle.ConstantTimeCompare returns early on a length
// mismatch.
func passwordsEqual(stored, presented string) bool {
	want := sha256.Sum256([]byte(normalizePassword(stored)))
	got := sha256.Sum256([]byte(normalizePassword(presented)))
	return subtle.ConstantTimeCompare(want[:], got[:]) == 1
}
