// Package sandbox is the xmppsandbox server as a library: New builds one
// from a Config, Start listens, Close shuts it down. Tests elsewhere can
// start one on port 0, as net/http/httptest does for HTTP.
package sandbox

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/xmppsandbox/xmppsandbox/sandbox/c2s"
	"github.com/xmppsandbox/xmppsandbox/sandbox/fault"
	"github.com/xmppsandbox/xmppsandbox/sandbox/fixture"
	"github.com/xmppsandbox/xmppsandbox/sandbox/presence"
	"github.com/xmppsandbox/xmppsandbox/sandbox/roster"
	"github.com/xmppsandbox/xmppsandbox/sandbox/router"
	"github.com/xmppsandbox/xmppsandbox/sandbox/sasl"
	"github.com/xmppsandbox/xmppsandbox/sandbox/store"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stream"
	"github.com/xmppsandbox/xmppsandbox/sandbox/tlscert"
	"github.com/xmppsandbox/xmppsandbox/sandbox/toggle"
	"github.com/xmppsandbox/xmppsandbox/sandbox/trace"
)

// Version is the server's version, reported by XEP-0092.
const Version = "0.1.0"

// Config says how to build a server. The zero value serves an empty
// localhost in memory on 127.0.0.1 with free ports.
type Config struct {
	Fixtures    string // directory of fixture files; "" loads none
	DB          string // SQLite path, or ":memory:" (the default)
	Domain      string // overrides the fixtures' domain
	C2S         string // client listener address, default 127.0.0.1:0
	HTTP        string // admin API listener address, default 127.0.0.1:0
	CertFile    string // TLS certificate; with KeyFile overrides the generated one
	KeyFile     string
	CertDir     string        // where a generated certificate is kept
	MaxStanza   int           // stanza size limit in bytes
	AuthTimeout time.Duration // unauthenticated streams are closed after it
	AdminToken  string        // required by the admin API off loopback; generated when empty there
	TraceSize   int           // stanzas kept for the trace stream
	Logger      *slog.Logger
	NoWatch     bool // do not reload the fixtures when their files change

	// Defences against misbehaving clients (see c2s.Config).
	MaxQueue      int  // stanzas waiting for a client that does not read; default 10000
	MaxQueueBytes int  // the same bound in estimated bytes; default 16 MiB
	RateLimit     int  // stanzas per second a session may send; 0: no limit
	RateBurst     int  // stanzas a session may send at once; default RateLimit
	NoAuthDelay   bool // answer failed logins at once instead of ever more slowly
	AnyPassword   bool // any password logs in; unknown users are created (loopback only)
}

// Server is a running sandbox.
type Server struct {
	cfg      Config
	log      *slog.Logger
	domain   string
	store    *store.Store
	users    *users
	router   *router.Router
	roster   *roster.Service
	c2s      *c2s.Config
	presence *presence.Module
	fixtures *fixture.Set
	faults   *fault.Registry // faults injected at run time
	toggles  *toggle.Set     // features switched at run time
	virt     *virtualState   // virtual contacts and the simulation

	trace   *trace.Buffer
	started time.Time
	token   string

	fixMu      sync.Mutex
	fixtureErr string
	stopWatch  func() // stops the fixture watcher; nil when none runs

	tls      *tls.Config // its certificate arrives from loadCert
	certDone chan error  // loadCert's outcome
	certOnce sync.Once
	certErr  error

	c2sLn  net.Listener
	httpLn net.Listener
	http   *http.Server

	mu       sync.Mutex
	conns    map[net.Conn]struct{}
	closed   bool
	shutdown chan struct{} // closed by Close, for the streams not yet bound
	wg       sync.WaitGroup
}

// New builds a server: it opens the store, loads the fixtures and wires
// the modules, but does not listen yet.
func New(cfg Config) (*Server, error) {
	cfg = withDefaults(cfg)
	s := &Server{cfg: cfg, log: cfg.Logger, conns: map[net.Conn]struct{}{}, shutdown: make(chan struct{}),
		trace: trace.New(cfg.TraceSize), started: time.Now()}
	opened := openStore(cfg.DB)
	set, err := loadFixtures(cfg)
	if err == nil {
		s.fixtures, s.domain = set, set.Domain
		err = s.loadCert()
	}
	if err != nil {
		if st, _ := opened(); st != nil {
			st.Close()
		}
		return nil, err
	}
	if s.store, err = opened(); err != nil {
		s.waitCert()
		return nil, err
	}
	if err := s.build(); err != nil {
		s.waitCert()
		s.store.Close()
		return nil, err
	}
	return s, nil
}

// openStore opens an in-memory store in the background, since creating
// its schema takes as long as parsing the fixtures: the returned function
// waits for it. A file is opened only when the fixtures have loaded, so
// that a start that fails on them leaves no new database behind.
func openStore(path string) func() (*store.Store, error) {
	if path != store.MemoryPath {
		return func() (*store.Store, error) { return store.Open(path) }
	}
	type opened struct {
		st  *store.Store
		err error
	}
	done := make(chan opened, 1)
	go func() {
		st, err := store.Open(path)
		done <- opened{st, err}
	}()
	return func() (*store.Store, error) {
		o := <-done
		return o.st, o.err
	}
}

func withDefaults(cfg Config) Config {
	if cfg.DB == "" {
		cfg.DB = ":memory:"
	}
	if cfg.C2S == "" {
		cfg.C2S = "127.0.0.1:0"
	}
	if cfg.HTTP == "" {
		cfg.HTTP = "127.0.0.1:0"
	}
	if cfg.MaxStanza <= 0 {
		cfg.MaxStanza = stream.DefaultMaxStanza
	}
	if cfg.AuthTimeout <= 0 {
		cfg.AuthTimeout = 60 * time.Second
	}
	if cfg.CertDir == "" {
		cfg.CertDir = tlscert.DefaultDir()
	}
	if cfg.TraceSize <= 0 {
		cfg.TraceSize = 10000
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return cfg
}

func loadFixtures(cfg Config) (*fixture.Set, error) {
	if cfg.Fixtures == "" {
		d := cfg.Domain
		if d == "" {
			d = "localhost"
		}
		return &fixture.Set{Domain: d}, nil
	}
	return fixture.Load(cfg.Fixtures, cfg.Domain)
}

// loadCert loads or generates the certificate in the background, while
// the store opens and the fixtures are written; Start waits for it, so a
// broken certificate still stops the server before it serves.
func (s *Server) loadCert() error {
	if (s.cfg.CertFile == "") != (s.cfg.KeyFile == "") {
		return errors.New("--cert and --key go together")
	}
	s.tls = &tls.Config{MinVersion: tls.VersionTLS12}
	s.certDone = make(chan error, 1)
	go func() {
		cert, err := s.certificate()
		if err == nil {
			s.tls.Certificates = []tls.Certificate{cert}
		}
		s.certDone <- err
	}()
	return nil
}

func (s *Server) certificate() (tls.Certificate, error) {
	if s.cfg.CertFile != "" {
		return tlscert.Load(s.cfg.CertFile, s.cfg.KeyFile)
	}
	return tlscert.Kept(s.cfg.CertDir, s.domain)
}

// waitCert waits for loadCert and returns its error; it must return
// before anyone reads s.tls, and before New or Close returns, so no
// certificate is written after the caller removed the directory.
func (s *Server) waitCert() error {
	s.certOnce.Do(func() { s.certErr = <-s.certDone })
	return s.certErr
}

// tlsConfig returns the STARTTLS configuration; its certificate is there
// once waitCert returned.
func (s *Server) tlsConfig() (*tls.Config, error) { return s.tls, nil }

// Domain returns the served XMPP domain.
func (s *Server) Domain() string { return s.domain }

// C2SAddr returns the client listener's address once started.
func (s *Server) C2SAddr() string { return s.c2sLn.Addr().String() }

// HTTPAddr returns the HTTP listener's address once started.
func (s *Server) HTTPAddr() string { return s.httpLn.Addr().String() }

// Start opens both listeners and serves in the background.
func (s *Server) Start() error {
	var err error
	if s.c2sLn, err = net.Listen("tcp", s.cfg.C2S); err != nil {
		return fmt.Errorf("c2s listener: %w", err)
	}
	if s.httpLn, err = net.Listen("tcp", s.cfg.HTTP); err != nil {
		s.c2sLn.Close()
		return fmt.Errorf("http listener: %w", err)
	}
	if err := checkAnyPassword(s.cfg.AnyPassword, s.c2sLn, s.httpLn); err != nil {
		s.c2sLn.Close()
		s.httpLn.Close()
		return err
	}
	if err := s.waitCert(); err != nil {
		s.c2sLn.Close()
		s.httpLn.Close()
		return err
	}
	s.token = s.cfg.AdminToken
	if s.token == "" && !isLoopback(s.httpLn.Addr()) {
		s.token = newToken()
	}
	// Clients are served while the HTTP routes are still being built.
	s.wg.Add(2)
	go s.acceptC2S()
	s.http = &http.Server{Handler: s.httpHandler(), ReadHeaderTimeout: 10 * time.Second}
	go func() { defer s.wg.Done(); s.http.Serve(s.httpLn) }()
	s.startWatch()
	s.startVirtual()
	return nil
}

func (s *Server) acceptC2S() {
	defer s.wg.Done()
	for {
		c, err := s.c2sLn.Accept()
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			return
		}
		if !s.track(c) {
			c.Close()
			return
		}
		go func() {
			defer s.untrack(c)
			c2s.Serve(s.c2s, c)
		}()
	}
}

// track registers a connection for shutdown, counting it in wg under the
// same lock Close takes, so no connection starts after Close waits.
func (s *Server) track(c net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.conns[c] = struct{}{}
	s.wg.Add(1)
	return true
}

func (s *Server) untrack(c net.Conn) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
	s.wg.Done()
}

// Close stops listening, ends every stream with system-shutdown and
// </stream:stream>, waits for sessions to finish and closes the store.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.mu.Unlock()
	s.waitCert()
	if s.stopWatch != nil {
		s.stopWatch()
	}
	s.stopVirtual()
	if s.c2sLn != nil {
		s.c2sLn.Close()
	}
	if s.http != nil {
		s.http.Close()
	}
	for _, sess := range s.router.All() {
		sess.Conn.Close("system-shutdown", "the server is shutting down")
	}
	close(s.shutdown)
	s.closeUnbound()
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		s.log.Warn("sessions did not finish within 5s of shutdown")
	}
	return s.store.Close()
}

// closeUnbound drops connections that never bound a resource.
func (s *Server) closeUnbound() {
	deadline := time.Now().Add(time.Second)
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		c.SetReadDeadline(deadline)
	}
}

var _ sasl.Credentials = (*users)(nil)
