//go:build !linux

package load

import "sync"

// reactor reads each session in a goroutine of its own where there is no
// epoll.
type reactor struct {
	mu       sync.Mutex
	sessions []*session
}

func newReactor() (*reactor, error) { return &reactor{}, nil }

// add hands s's input to handle.
func (r *reactor) add(s *session, handle func(el []byte)) error {
	r.mu.Lock()
	r.sessions = append(r.sessions, s)
	r.mu.Unlock()
	go s.read(handle)
	return nil
}

// close closes every session added, which ends their reading.
func (r *reactor) close() {
	r.mu.Lock()
	defer r.mu.Unlock()
	closeAll(r.sessions)
	r.sessions = nil
}
