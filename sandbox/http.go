package sandbox

import (
	"crypto/rand"
	"encoding/hex"
	"net"
	"net/http"

	"github.com/xmppsandbox/xmppsandbox/sandbox/api"
	"github.com/xmppsandbox/xmppsandbox/sandbox/c2s"
	"github.com/xmppsandbox/xmppsandbox/sandbox/web"
)

// WebSocketPath is where XMPP over WebSocket (RFC 7395) is served.
const WebSocketPath = "/xmpp-websocket"

// httpHandler serves the admin API behind its guard, XMPP over
// WebSocket, its XEP-0156 discovery, and the inspector page.
func (s *Server) httpHandler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/api/", api.Handler(backend{s}, api.Guard{Token: s.token, Listen: s.httpLn.Addr().String()},
		s.resetRoutes, s.expectRoutes,
		s.faultRoutes,
		s.toggleRoutes,
		s.virtualRoutes,
	))
	mux.Handle(WebSocketPath, web.WebSocket(s.cfg.MaxStanza, s.serveWebSocket))
	xrd, jrd := web.HostMeta(WebSocketPath)
	mux.Handle("GET /.well-known/host-meta", xrd)
	mux.Handle("GET /.well-known/host-meta.json", jrd)
	mux.Handle("/", web.UI())
	return mux
}

// serveWebSocket runs the same c2s machine over a WebSocket, without
// STARTTLS (RFC 7395 leaves security to the transport).
func (s *Server) serveWebSocket(c net.Conn) {
	if !s.track(c) {
		c.Close()
		return
	}
	defer s.untrack(c)
	cfg := *s.c2s
	cfg.TLS, cfg.RequireTLS, cfg.Framed = nil, false, true
	c2s.Serve(&cfg, c)
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
