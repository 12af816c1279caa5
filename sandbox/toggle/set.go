package toggle

import (
	"errors"
	"sync"
	"sync/atomic"
)

// State is the set of features switched off at one moment, one bit per
// name. The zero value has everything on.
type State uint32

// On reports whether n is on in st.
func (st State) On(n Name) bool {
	b, _ := bit(n)
	return st&b == 0
}

// Map returns every toggle with whether it is on.
func (st State) Map() map[Name]bool {
	m := make(map[Name]bool)
	for _, n := range Names() {
		m[n] = st.On(n)
	}
	return m
}

// Negotiated is implemented by a connection that remembers the State in
// force when its stream offered its features, so that a later change
// leaves what it negotiated alone.
type Negotiated interface {
	Negotiated() State
}

// Set holds the current toggles of a server. Reading is one atomic load;
// a nil *Set has everything on.
type Set struct {
	mechanisms func() []string

	mu  sync.Mutex // serialises changes, so each checks the state it replaces
	off atomic.Uint32
}

// NewSet returns a Set with everything on. mechanisms lists the SASL
// mechanisms the server can offer, which Apply keeps from all being
// switched off.
func NewSet(mechanisms func() []string) *Set {
	return &Set{mechanisms: mechanisms}
}

// State returns the toggles now in force.
func (s *Set) State() State {
	if s == nil {
		return 0
	}
	return State(s.off.Load())
}

// On reports whether n is on now.
func (s *Set) On(n Name) bool { return s.State().On(n) }

// Apply switches every named toggle on (true) or off (false) together,
// and returns the new state. It changes nothing when a name is unknown
// or when the change would leave no SASL mechanism to log in with.
func (s *Set) Apply(changes map[Name]bool) (State, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := State(s.off.Load())
	for n, on := range changes {
		b, ok := bit(n)
		if !ok {
			_, err := Parse(string(n))
			return State(s.off.Load()), err
		}
		if on {
			st &^= b
		} else {
			st |= b
		}
	}
	if len(s.offered(st)) == 0 {
		return State(s.off.Load()), errors.New("that would switch off every SASL mechanism the server offers: no client could log in")
	}
	s.off.Store(uint32(st))
	return st, nil
}

// Reset switches everything back on.
func (s *Set) Reset() {
	s.mu.Lock()
	s.off.Store(0)
	s.mu.Unlock()
}

// Mechanisms returns the SASL mechanisms to offer now, in the server's
// order of preference.
func (s *Set) Mechanisms() []string { return s.offered(s.State()) }

func (s *Set) offered(st State) []string {
	var out []string
	for _, m := range s.mechanisms() {
		if n, ok := ForMechanism(m); !ok || st.On(n) {
			out = append(out, m)
		}
	}
	return out
}
