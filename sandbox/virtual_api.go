package sandbox

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"

	"mellium.im/xmpp/jid"

	"github.com/xmppsandbox/xmppsandbox/sandbox/api"
	"github.com/xmppsandbox/xmppsandbox/sandbox/c2s"
	"github.com/xmppsandbox/xmppsandbox/sandbox/fixture"
	"github.com/xmppsandbox/xmppsandbox/sandbox/router"
	"github.com/xmppsandbox/xmppsandbox/sandbox/store"
	"github.com/xmppsandbox/xmppsandbox/sandbox/virtual"
)

// virtualState is the server's virtual contacts: those the fixtures
// declare online, and the users of the running simulation.
type virtualState struct {
	host     virtualHost
	fixtures *virtual.Manager

	mu     sync.Mutex // serialises starting, stopping and reading simulations
	sim    *simulation
	last   virtual.Status
	closed bool
}

// newVirtualState wires virtual contacts to the same hooks a client's
// stanzas go through.
func newVirtualState(domain string, r *router.Router, hooks *c2s.Hooks) *virtualState {
	h := virtualHost{hooks: hooks, router: r}
	return &virtualState{host: h, fixtures: virtual.New(domain, r, h)}
}

// virtualHost is the server a virtual contact's session talks to: what it
// sends takes the path of a bound client's stanza (see c2s).
type virtualHost struct {
	hooks  *c2s.Hooks
	router *router.Router
}

// Send runs the user_send_packet hook, then routes what it left.
func (h virtualHost) Send(p *router.Packet) {
	if !h.hooks.UserSendPacket.Run(p).Handled {
		h.router.Route(p)
	}
}

// Closed runs the hook of a session whose stream ended.
func (h virtualHost) Closed(s *router.Session) { h.hooks.SessionClosed.Run(s) }

// startVirtual brings the fixtures' virtual contacts online.
func (s *Server) startVirtual() {
	s.fixMu.Lock()
	defer s.fixMu.Unlock()
	s.syncVirtual()
}

// syncVirtual makes the running virtual contacts those the loaded
// fixtures declare online; the caller holds fixMu.
func (s *Server) syncVirtual() {
	if err := s.virt.fixtures.Sync(virtualSpecs(s.fixtures)); err != nil {
		s.log.Error("virtual contacts", "err", err)
	}
}

// stopVirtual ends the simulation and takes every virtual contact
// offline, while clients are still connected to see them leave.
func (s *Server) stopVirtual() {
	v := s.virt
	v.mu.Lock()
	v.closed = true
	if v.sim != nil {
		s.finishSimulation()
	}
	v.mu.Unlock()
	v.fixtures.Close()
}

// virtualSpecs returns the behaviour of each user the set declares
// online.
func virtualSpecs(set *fixture.Set) map[string]virtual.Spec {
	specs := map[string]virtual.Spec{}
	for name, u := range set.Users {
		if !u.Online {
			continue
		}
		spec := virtual.Spec{Echo: u.Echo}
		if p := u.Presence; p != nil {
			spec.Show, spec.Status, spec.Priority = p.Show, p.Status, p.Priority
		}
		if c := u.Cycle; c != nil {
			spec.Cycle = virtual.Cycle{Every: c.Every, Shows: c.Shows}
		}
		specs[name] = spec
	}
	return specs
}

// simulation is a running simulation.
type simulation struct {
	req     virtual.Request
	target  jid.JID
	names   []string
	users   *virtual.Manager
	run     *virtual.Run
	started time.Time
	setup   time.Duration
}

// Simulate creates req.Users virtual users, sim1 … simN, each with a
// mutual subscription with req.To, brings them online and starts their
// traffic. It returns once all are online; the traffic runs until
// StopSimulation or req.Duration ends, and then the users are removed.
func (s *Server) Simulate(req virtual.Request) (virtual.Status, error) {
	if err := req.Check(); err != nil {
		return virtual.Status{}, api.BadRequest(err.Error())
	}
	target, err := backend{s}.user(req.To)
	if err != nil {
		return virtual.Status{}, err
	}
	v := s.virt
	v.mu.Lock()
	defer v.mu.Unlock()
	switch {
	case v.closed:
		return virtual.Status{}, &api.Error{Status: http.StatusServiceUnavailable, Msg: "the server is shutting down"}
	case v.sim != nil:
		return virtual.Status{}, &api.Error{Status: http.StatusConflict, Msg: "a simulation is running already; stop it first"}
	}
	sim, err := s.createSimulation(req, target)
	if err != nil {
		return virtual.Status{}, err
	}
	v.sim = sim
	go s.awaitSimulationEnd(sim)
	return sim.status(true), nil
}

// createSimulation stores the users in one transaction, tells the target,
// brings the users online and starts the traffic.
func (s *Server) createSimulation(req virtual.Request, target string) (*simulation, error) {
	start := time.Now()
	names := virtual.SimNames(req.Users)
	for _, name := range names {
		if s.users.exists(name) {
			return nil, &api.Error{Status: http.StatusConflict, Msg: "user " + name + " exists already; a simulation creates its own sim1 … sim" + strconv.Itoa(req.Users)}
		}
	}
	pushed, err := virtual.CreateAccounts(context.Background(), s.store, s.domain, target, names)
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		s.users.cache(store.User{Name: name, Password: name, AutoAccept: true})
	}
	s.roster.Forget(append([]string{target}, names...)...)
	users := virtual.New(s.domain, s.router, s.virt.host)
	for i, p := range pushed {
		// Each contact is pushed before its presence comes, as if it had
		// been added and approved just then (RFC 6121 §2.1.6, §3.1.5).
		s.roster.Push(target, p.Item, p.Version, false)
		users.Set(names[i], virtual.Spec{})
	}
	tj, _ := jid.New(target, s.domain, "")
	sim := &simulation{req: req, target: tj, names: names, users: users, started: time.Now(), setup: time.Since(start)}
	sim.run = virtual.Drive(users, names, virtual.Load{Presence: req.PresenceChurn, Messages: req.Messages, Target: tj, Duration: req.Duration})
	return sim, nil
}

// awaitSimulationEnd removes the simulation once its duration is over,
// unless StopSimulation did first.
func (s *Server) awaitSimulationEnd(sim *simulation) {
	<-sim.run.Done()
	s.virt.mu.Lock()
	defer s.virt.mu.Unlock()
	if s.virt.sim == sim {
		s.finishSimulation()
	}
}

// StopSimulation ends the running simulation and removes its users; it
// returns how the simulation went.
func (s *Server) StopSimulation() (virtual.Status, error) {
	s.virt.mu.Lock()
	defer s.virt.mu.Unlock()
	if s.virt.sim == nil {
		return virtual.Status{}, api.NotFound("no simulation is running")
	}
	return s.finishSimulation(), nil
}

// SimulationStatus returns how the running simulation goes, else how the
// last one went (zero if none ran).
func (s *Server) SimulationStatus() virtual.Status {
	s.virt.mu.Lock()
	defer s.virt.mu.Unlock()
	if s.virt.sim != nil {
		return s.virt.sim.status(true)
	}
	return s.virt.last
}

// finishSimulation stops the traffic, takes the users offline (the target
// sees each leave), then deletes them in one transaction and pushes the
// target's roster removals. The caller holds virt.mu.
func (s *Server) finishSimulation() virtual.Status {
	sim := s.virt.sim
	sim.run.Stop()
	st := sim.status(false)
	sim.users.Close()
	target, names := sim.target.Localpart(), s.stillSimulated(sim.names)
	pushed, err := virtual.RemoveAccounts(context.Background(), s.store, s.domain, target, names)
	if err != nil {
		s.log.Error("removing the simulated users", "err", err)
	}
	for _, name := range names {
		s.users.forget(name)
	}
	s.roster.Forget(append([]string{target}, names...)...)
	for _, p := range pushed {
		s.roster.Push(target, p.Item, p.Version, true)
	}
	s.virt.sim, s.virt.last = nil, st
	return st
}

// stillSimulated leaves out of names the users a fixture reload declared
// meanwhile: they are the files' now, and stay.
func (s *Server) stillSimulated(names []string) []string {
	out := make([]string, 0, len(names))
	for _, name := range names {
		if u, ok := s.users.get(name); ok && !u.Fixture {
			out = append(out, name)
		}
	}
	return out
}

// status reports the simulation's figures.
func (sim *simulation) status(running bool) virtual.Status {
	p, m := sim.run.Counts()
	st := virtual.Status{
		Running: running, Users: len(sim.names), To: sim.target.String(),
		PresenceChurn: sim.req.PresenceChurn, Messages: sim.req.Messages,
		Started: sim.started, Setup: sim.setup.Round(time.Millisecond).String(),
		Elapsed:       time.Since(sim.started).Round(time.Millisecond).String(),
		PresencesSent: p, MessagesSent: m,
	}
	if sim.req.Duration > 0 {
		st.Duration = sim.req.Duration.String()
	}
	return st
}

// simulateBody is POST /api/simulate's body: Request with the duration
// written as text ("60s").
type simulateBody struct {
	virtual.Request
	Duration string `json:"duration,omitempty"`
}

// virtualRoutes adds the simulation endpoints to the admin API.
func (s *Server) virtualRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /api/simulate", s.postSimulate)
	mux.HandleFunc("DELETE /api/simulate", s.deleteSimulate)
	mux.HandleFunc("GET /api/simulate", func(w http.ResponseWriter, r *http.Request) {
		api.WriteJSON(w, http.StatusOK, s.SimulationStatus())
	})
}

func (s *Server) postSimulate(w http.ResponseWriter, r *http.Request) {
	var body simulateBody
	if err := api.Decode(r, &body); err != nil {
		api.WriteError(w, err)
		return
	}
	req := body.Request
	if body.Duration != "" {
		d, err := time.ParseDuration(body.Duration)
		if err != nil {
			api.WriteError(w, api.BadRequest("duration must be written like 60s or 2m, not "+strconv.Quote(body.Duration)))
			return
		}
		req.Duration = d
	}
	st, err := s.Simulate(req)
	if err != nil {
		api.WriteError(w, err)
		return
	}
	api.WriteJSON(w, http.StatusCreated, st)
}

func (s *Server) deleteSimulate(w http.ResponseWriter, r *http.Request) {
	st, err := s.StopSimulation()
	if err != nil {
		api.WriteError(w, err)
		return
	}
	api.WriteJSON(w, http.StatusOK, st)
}
