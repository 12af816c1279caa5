package sasl

import (
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"hash"

	"github.com/xdg-go/stringprep"
)

const (
	// defaultIters is the iteration count DeriveKeys uses: RFC 5802 §5.1
	// and RFC 7677 §3 ask servers to announce at least 4096, and more would
	// only slow down fixture loading.
	defaultIters = 4096
	// saltLen is the length of the salts DeriveKeys draws.
	saltLen = 16
)

// DeriveKeys computes Keys from a password with a fresh random salt and 4096
// iterations, for mech "SCRAM-SHA-1" or "SCRAM-SHA-256"; any other mechanism
// gives ErrInvalidMechanism. This is the only place PBKDF2 runs.
func DeriveKeys(mech, password string) (Keys, error) {
	newHash, ok := hashFor(Mechanism(mech))
	if !ok {
		return Keys{}, ErrInvalidMechanism
	}
	salt := make([]byte, saltLen)
	rand.Read(salt) // Never fails: crypto/rand aborts the program instead.
	// RFC 5802 §3: SaltedPassword := Hi(Normalize(password), salt, i).
	salted, err := pbkdf2.Key(newHash, normalizePassword(password), salt, defaultIters, newHash().Size())
	if err != nil {
		return Keys{}, err
	}
	clientKey := keyedHash(newHash, salted, "Client Key")
	stored := newHash()
	stored.Write(clientKey)
	return Keys{
		Salt:      salt,
		Iters:     defaultIters,
		StoredKey: stored.Sum(nil),
		ServerKey: keyedHash(newHash, salted, "Server Key"),
	}, nil
}

// hashFor returns the hash function of a SCRAM mechanism.
func hashFor(mech Mechanism) (func() hash.Hash, bool) {
	switch mech {
	case SCRAMSHA1:
		return sha1.New, true
	case SCRAMSHA256:
		return sha256.New, true
	}
	return nil, false
}

// keyedHash is RFC 5802's HMAC(key, str).
func keyedHash(newHash func() hash.Hash, key []byte, str string) []byte {
	mac := hmac.New(newHash, key)
	mac.Write([]byte(str))
	return mac.Sum(nil)
}

// normalizePassword applies SASLprep to a password, as RFC 5802 §2.2
// (Normalize) requires and RFC 4616 §2 recommends. A password SASLprep
// rejects, such as one with code points unassigned in Unicode 3.2, is used
// as is: fixture passwords may hold emoji, and clients that cannot prepare
// them send them raw. Stored and presented passwords always go through this
// same function, so they stay comparable.
func normalizePassword(password string) string {
	prepared, err := stringprep.SASLprep.Prepare(password)
	if err != nil {
		return password
	}
	return prepared
}

// decoyKeys stands in for the keys of an unknown user so that the SCRAM
// exchange runs to its end and fails like a wrong password would, instead of
// telling at the first step that the user does not exist. The salt is a
// function of the name, so asking twice gives the same answer, as it would
// for a real user; someone who knows this scheme could still recompute it,
// which is acceptable for a sandbox. No proof can match the zero StoredKey
// (it would take a hash preimage), and the caller refuses any proof for an
// unknown user anyway.
func decoyKeys(mech Mechanism, domain, username string) Keys {
	newHash, _ := hashFor(mech)
	digest := sha256.New()
	for _, part := range []string{"decoy salt", string(mech), domain, username} {
		digest.Write([]byte(part))
		digest.Write([]byte{0})
	}
	size := newHash().Size()
	return Keys{
		Salt:      digest.Sum(nil)[:saltLen],
		Iters:     defaultIters,
		StoredKey: make([]byte, size),
		ServerKey: make([]byte, size),
	}
}
