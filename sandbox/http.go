package sandbox

import (
	"crypto/rand"
	"encoding/hex"
	"net"
	"net/http"

	"github.com/xmppsandbox/xmppsandbox/sandbox/api"
)

// httpHandler serves the admin API behind its guard.
func (s *Server) httpHandler() http.Handler {
	return api.Handler(backend{s}, api.Guard{Token: s.token, Listen: s.httpLn.Addr().String()})
}

// AdminToken returns the token the admin API requires, or "" on
// loopback, where none is needed.
func (s *Server) AdminToken() string { return s.token }

func isLoopback(a net.Addr) bool {
	t, ok := a.(*net.TCPAddr)
	return ok && t.IP.IsLoopback()
}

func newToken() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// fixtureState returns the loaded fixture files and the error of the last
// load that failed, until a good one replaces it.
func (s *Server) fixtureState() ([]string, string) {
	s.fixMu.Lock()
	defer s.fixMu.Unlock()
	files := []string{}
	if s.fixtures != nil {
		files = append(files, s.fixtures.Files...)
	}
	return files, s.fixtureErr
}
