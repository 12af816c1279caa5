package c2s

import (
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/xmppsandbox/xmppsandbox/sandbox/sasl"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stream"
)

// The defences of a listener against clients that misbehave, and their
// defaults.
const (
	// DefaultMaxQueue is how many stanzas may wait for a client that does
	// not read before it is disconnected.
	DefaultMaxQueue = 10000
	// DefaultMaxQueueBytes bounds the same queue by the estimated size of
	// the stanzas: ten thousand large stanzas would otherwise be
	// gigabytes.
	DefaultMaxQueueBytes = 16 << 20

	// authDelayStep is the wait before answering the second failed SASL
	// attempt in a row; each further failure doubles it, up to
	// authDelayMax.
	authDelayStep = 100 * time.Millisecond
	authDelayMax  = 2 * time.Second
	// authForget is how long failures are remembered after the last one.
	authForget = 5 * time.Minute
	// authMaxKeys bounds the memory the throttle takes: once that many
	// accounts and addresses are counted, new ones go uncounted until old
	// ones are forgotten, rather than pushing out the counts a guesser
	// has already earned.
	authMaxKeys = 10000
)

// AuthThrottle slows password guessing down without ever locking anyone
// out: XEP-0205 §3 warns that a limit per account lets a stranger lock
// its owner out, where a delay only costs the guesser time.
//
// Every failed SASL attempt, except a client's own abort, counts against
// the remote address it came from (its IP, not its port) and against the
// account it named, when it got as far as naming one. The failure is
// answered after a delay that grows with the larger of the two counts:
// none for the first failure, then 100ms, 200ms, 400ms, doubling up to
// 2s. A success is answered at once whatever the counts, and clears the
// counts of its account and of its address, so the real user with the
// right password logs in immediately, from anywhere. Counts that have not
// grown for five minutes are forgotten. The delay holds only the session
// that failed; parallel connections each wait on their own, and a stream
// is closed after a few failures anyway (maxSASLFailures).
type AuthThrottle struct {
	now func() time.Time

	mu     sync.Mutex
	counts map[string]failures
	swept  time.Time // when forgetOld last ran
}

// failures is one account's or address's recent failed attempts.
type failures struct {
	n    int
	last time.Time
}

// NewAuthThrottle returns a throttle with nothing counted yet.
func NewAuthThrottle() *AuthThrottle {
	return &AuthThrottle{now: time.Now, counts: map[string]failures{}}
}

// Failed counts a failed attempt on account (empty when the attempt named
// none) from addr, and returns how long to wait before answering it.
func (t *AuthThrottle) Failed(account, addr string) time.Duration {
	now := t.now()
	t.mu.Lock()
	defer t.mu.Unlock()
	n := t.bump(addressKey(addr), now)
	if account != "" {
		n = max(n, t.bump(accountKey(account), now))
	}
	return AuthDelay(n)
}

// Succeeded clears the counts of account and addr.
func (t *AuthThrottle) Succeeded(account, addr string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.counts, addressKey(addr))
	delete(t.counts, accountKey(account))
}

// bump adds one failure to key and returns its count, or 1 when the table
// is full and key is not in it; t.mu must be held.
func (t *AuthThrottle) bump(key string, now time.Time) int {
	f, ok := t.counts[key]
	if ok && now.Sub(f.last) > authForget {
		f = failures{}
	}
	if !ok && len(t.counts) >= authMaxKeys {
		t.forgetOld(now)
		if len(t.counts) >= authMaxKeys {
			return 1
		}
	}
	f.n++
	f.last = now
	t.counts[key] = f
	return f.n
}

// forgetOld drops the counts not grown for authForget, at most once a
// minute, so that a full table does not cost a sweep per attempt; t.mu
// must be held.
func (t *AuthThrottle) forgetOld(now time.Time) {
	if now.Sub(t.swept) < time.Minute {
		return
	}
	t.swept = now
	for k, f := range t.counts {
		if now.Sub(f.last) > authForget {
			delete(t.counts, k)
		}
	}
}

// AuthDelay is the wait before answering the nth failure in a row: none
// for the first, then 100ms doubling up to 2s.
func AuthDelay(n int) time.Duration {
	if n <= 1 {
		return 0
	}
	d := authDelayStep
	for i := 2; i < n && d < authDelayMax; i++ {
		d *= 2
	}
	return min(d, authDelayMax)
}

func addressKey(addr string) string {
	if host, _, err := net.SplitHostPort(addr); err == nil {
		addr = host
	}
	return "addr " + addr
}

// accountKey folds case, as localparts compare once prepared (RFC 7622
// §3.3), so that MINE and mine share one count.
func accountKey(account string) string { return "user " + strings.ToLower(account) }

// namingCredentials remembers which account an exchange asked about, so a
// failure can be counted against it: the mechanism looks the user up
// before it knows whether the password is right.
type namingCredentials struct {
	sasl.Credentials
	name *string
}

func (c namingCredentials) Password(user string) (string, bool) {
	*c.name = user
	return c.Credentials.Password(user)
}

func (c namingCredentials) SCRAMKeys(user, mech string) (sasl.Keys, bool) {
	*c.name = user
	return c.Credentials.SCRAMKeys(user, mech)
}

// namingChecker is namingCredentials for credentials that judge
// passwords themselves (sasl.PasswordChecker), which it must not hide.
type namingChecker struct {
	namingCredentials
	check sasl.PasswordChecker
}

func (c namingChecker) CheckPassword(user, password string) bool {
	*c.name = user
	return c.check.CheckPassword(user, password)
}

// credentials returns what a new exchange checks passwords against,
// noting the account it names in s.attempted.
func (s *session) credentials() sasl.Credentials {
	s.attempted = ""
	if _, judges := s.cfg.Credentials.(sasl.PasswordChecker); judges || s.cfg.AuthThrottle == nil {
		// Credentials that accept any password have nothing to throttle.
		return s.cfg.Credentials
	}
	naming := namingCredentials{s.cfg.Credentials, &s.attempted}
	if pc, ok := s.cfg.Credentials.(sasl.PasswordChecker); ok {
		return namingChecker{naming, pc}
	}
	return naming
}

// throttleFailure waits before a failure is answered, as the throttle
// decides.
func (s *session) throttleFailure(condition string) {
	account := s.attempted
	s.attempted = ""
	if s.cfg.AuthThrottle == nil || condition == "aborted" {
		return
	}
	if d := s.cfg.AuthThrottle.Failed(account, s.conn.RemoteAddr().String()); d > 0 {
		time.Sleep(d)
	}
}

// throttleSuccess clears the counts a successful login vouches for.
func (s *session) throttleSuccess() {
	if s.cfg.AuthThrottle != nil {
		s.cfg.AuthThrottle.Succeeded(s.user, s.conn.RemoteAddr().String())
	}
}

// rateLimit is a token bucket: a session may send burst stanzas at once,
// and rate per second over time.
type rateLimit struct {
	rate, burst, tokens float64
	last                time.Time
}

// newRateLimit returns the bucket of a session, or nil when rate is not
// positive (no limit). A burst below one means as many as rate.
func newRateLimit(rate, burst int) *rateLimit {
	if rate <= 0 {
		return nil
	}
	if burst < 1 {
		burst = rate
	}
	return &rateLimit{rate: float64(rate), burst: float64(burst), tokens: float64(burst)}
}

// allow takes a token for one stanza arriving at now, if there is one.
func (r *rateLimit) allow(now time.Time) bool {
	if !r.last.IsZero() {
		r.tokens = min(r.burst, r.tokens+now.Sub(r.last).Seconds()*r.rate)
	}
	r.last = now
	if r.tokens < 1 {
		return false
	}
	r.tokens--
	return true
}

// checkRate enforces the per-session stanza rate: a client over it is
// disconnected with policy-violation (RFC 6120 §4.9.3.14), so that its
// developer sees at once that it floods, where a production server would
// often just read more slowly.
func (s *session) checkRate() error {
	if s.rate == nil {
		if s.cfg.RateLimit <= 0 {
			return nil
		}
		s.rate = newRateLimit(s.cfg.RateLimit, s.cfg.RateBurst)
	}
	if s.rate.allow(time.Now()) {
		return nil
	}
	return &stream.Error{Condition: stream.PolicyViolation, Text: "more than " +
		strconv.Itoa(s.cfg.RateLimit) + " stanzas per second (burst " + strconv.Itoa(int(s.rate.burst)) + ")"}
}

func (c *Config) maxQueueBytes() int {
	if c.MaxQueueBytes > 0 {
		return c.MaxQueueBytes
	}
	return DefaultMaxQueueBytes
}

// approxSize estimates the bytes el takes once written, without writing
// it: names, attribute values and text, plus a little markup each.
func approxSize(el *stanza.Element) int {
	n := len(el.Text) + 2*len(el.Name.Local) + 5
	for _, a := range el.Attr {
		n += len(a.Name.Local) + len(a.Value) + 4
	}
	for _, c := range el.Nodes {
		n += approxSize(c)
	}
	return n
}
