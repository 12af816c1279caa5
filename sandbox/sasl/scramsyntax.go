package sasl

import (
	"bytes"
	"unicode/utf8"
)

// checkClientFirst rejects what github.com/xdg-go/scram lets through in a
// client-first-message (RFC 5802 §7): it must be UTF-8 without NUL, start
// with gs2 flag "n" or "y", and carry a non-empty printable nonce. The
// library checks the rest: the authzid and username encoding, "m"
// extensions and field order.
func checkClientFirst(in []byte) error {
	if !utf8.Valid(in) || bytes.IndexByte(in, 0) >= 0 {
		return fail(ConditionMalformedRequest, "SCRAM: not UTF-8 or contains NUL")
	}
	if bytes.HasPrefix(in, []byte("p=")) {
		// RFC 5802 §6: a client that requires channel binding the server
		// did not offer must be refused; no -PLUS mechanism is advertised.
		return fail(ConditionMalformedRequest, "SCRAM: channel binding is not offered")
	}
	if !bytes.HasPrefix(in, []byte("n,")) && !bytes.HasPrefix(in, []byte("y,")) {
		return fail(ConditionMalformedRequest, "SCRAM: bad gs2 header")
	}
	if !validNonce(nonceField(in)) {
		return fail(ConditionMalformedRequest, "SCRAM: missing or bad client nonce")
	}
	return nil
}

// nonceField returns the value of the fourth comma-separated field of a
// client-first-message if it is "r=", the client nonce; nil otherwise.
func nonceField(in []byte) []byte {
	rest := in
	for range 3 {
		comma := bytes.IndexByte(rest, ',')
		if comma < 0 {
			return nil
		}
		rest = rest[comma+1:]
	}
	if end := bytes.IndexByte(rest, ','); end >= 0 {
		rest = rest[:end]
	}
	value, ok := bytes.CutPrefix(rest, []byte("r="))
	if !ok {
		return nil
	}
	return value
}

// validNonce applies RFC 5802 §7: c-nonce = printable, one or more of
// %x21-2B / %x2D-7E (visible ASCII but the comma).
func validNonce(nonce []byte) bool {
	if len(nonce) == 0 {
		return false
	}
	for _, c := range nonce {
		if c < 0x21 || c > 0x7e || c == ',' {
			return false
		}
	}
	return true
}
