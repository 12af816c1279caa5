package router

import (
	"sync"

	"mellium.im/xmpp/jid"

	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
)

// Conn is what the router needs of a client connection.
type Conn interface {
	// Send queues el for the client and never blocks on the network.
	Send(el *stanza.Element)
	// Close ends the stream with the stream error condition (for example
	// conflict when a newer session takes the same resource).
	Close(condition, text string)
}

// Session is one bound resource, the seed's ejabberd_sm session record:
// the connection plus the presence facts other stages need to read.
type Session struct {
	JID  jid.JID
	Bare string // bare JID, the routing key
	Full string
	Conn Conn

	mu         sync.Mutex
	available  bool
	priority   int
	presence   *stanza.Element
	interested bool
	directed   map[string]struct{}
}

// NewSession makes a session for the full JID j.
func NewSession(j jid.JID, c Conn) *Session {
	return &Session{JID: j, Bare: j.Bare().String(), Full: j.String(), Conn: c}
}

// Presence returns whether the resource is available, its priority and
// its last available presence stanza.
func (s *Session) Presence() (available bool, priority int, last *stanza.Element) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.available, s.priority, s.presence
}

// SetPresence records a broadcast presence: an available one with its
// priority, or nil for unavailable. It returns whether the resource was
// available before.
func (s *Session) SetPresence(p *stanza.Element, priority int) (wasAvailable bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	wasAvailable = s.available
	s.available = p != nil
	s.presence = p
	s.priority = priority
	return wasAvailable
}

// Interested reports whether the resource requested the roster, which
// makes it receive roster pushes (RFC 6121 §2.1.6).
func (s *Session) Interested() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.interested
}

// SetInterested marks the resource as having requested the roster.
func (s *Session) SetInterested() {
	s.mu.Lock()
	s.interested = true
	s.mu.Unlock()
}

// AddDirected remembers a JID that got directed presence from this
// resource, to send it unavailable later (RFC 6121 §4.6); available false
// forgets it, since an unavailable was just sent.
func (s *Session) AddDirected(to string, available bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !available {
		delete(s.directed, to)
		return
	}
	if s.directed == nil {
		s.directed = make(map[string]struct{})
	}
	s.directed[to] = struct{}{}
}

// TakeDirected returns and forgets the directed presence targets.
func (s *Session) TakeDirected() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.directed))
	for j := range s.directed {
		out = append(out, j)
	}
	s.directed = nil
	return out
}
