package sandbox

import (
	"github.com/xmppsandbox/xmppsandbox/sandbox/c2s"
	"github.com/xmppsandbox/xmppsandbox/sandbox/disco"
	"github.com/xmppsandbox/xmppsandbox/sandbox/fault"
	"github.com/xmppsandbox/xmppsandbox/sandbox/offline"
	"github.com/xmppsandbox/xmppsandbox/sandbox/ping"
	"github.com/xmppsandbox/xmppsandbox/sandbox/presence"
	"github.com/xmppsandbox/xmppsandbox/sandbox/roster"
	"github.com/xmppsandbox/xmppsandbox/sandbox/router"
	"github.com/xmppsandbox/xmppsandbox/sandbox/sasl"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
	"github.com/xmppsandbox/xmppsandbox/sandbox/toggle"
	"github.com/xmppsandbox/xmppsandbox/sandbox/version"
)

// Hook priorities: the one feature on each point runs at the default.
const prio = 50

// build wires the modules together along the seed's flow: c2s hands
// stanzas to its hooks and the router; roster, presence, offline storage
// and discovery join through hook points and iq handlers.
func (s *Server) build() error {
	var err error
	if s.users, err = newUsers(s.store); err != nil {
		return err
	}
	if err := s.applyFixtures(); err != nil {
		return err
	}
	r := router.New(s.domain)
	r.UserExists = s.users.exists
	s.router = r
	s.roster = &roster.Service{Domain: s.domain, Store: s.store, Router: r}
	pres := &presence.Module{Domain: s.domain, Router: r, Roster: s.roster, Store: s.store, AutoAccept: s.users.autoAccept}
	off := &offline.Module{Domain: s.domain, Store: s.store, Router: r}
	s.presence = pres

	pres.Hooks.SubscriptionLists.Add(prio, func(l *presence.Lists) (*presence.Lists, bool) {
		l.From, l.To = s.roster.SubscriptionLists(l.Owner)
		return l, true
	})
	pres.Hooks.Available.Add(prio, off.Deliver)
	pres.Hooks.Available.Add(prio+10, pres.RedeliverRequests)
	r.Hooks.PresenceIn.Add(prio, pres.Inbound)
	r.Hooks.Offline.Add(prio, off.Keep)
	r.HandleUserIQ(stanza.NSRoster, s.roster.HandleIQ(pres.RemoveItem))
	(&disco.Module{
		ServerIdentity:  disco.Identity{Category: "server", Type: "im", Name: "xmppsandbox"},
		ServerFeatures:  []string{ping.NS, version.NS, "msgoffline"},
		AccountFeatures: []string{ping.NS},
		Listed:          s.discoListed,
	}).Register(r)
	ping.Register(r)
	version.Register(r, "xmppsandbox", Version)

	tlsCfg, err := s.tlsConfig()
	if err != nil {
		return err
	}
	hooks := &c2s.Hooks{}
	hooks.UserSendPacket.Add(prio, func(p *router.Packet) (*router.Packet, bool) {
		if p.El.Name.Local == stanza.Presence && p.Sender != nil {
			p.Handled = pres.UserSend(p.Sender, p)
		}
		return p, !p.Handled
	})
	hooks.UserSendPacket.Add(prio-20, s.interceptFaults)
	hooks.UserSendPacket.Add(prio-10, s.gateToggles)
	hooks.SessionClosed.Add(prio, pres.SessionClosed)
	hooks.Trace.Add(prio, s.record)
	var creds sasl.Credentials = s.users
	mechs := sasl.Mechanisms
	if s.cfg.AnyPassword {
		creds, mechs = anyPassword{s.users, s.domain}, plainOnly
	}
	s.faults, s.toggles = &fault.Registry{}, toggle.NewSet(mechs)
	s.roster.Toggles = s.toggles
	s.c2s = &c2s.Config{
		Domain:      s.domain,
		TLS:         tlsCfg,
		MaxStanza:   s.cfg.MaxStanza,
		AuthTimeout: s.cfg.AuthTimeout,
		Credentials: creds,
		Mechanisms:  s.toggles.Mechanisms,
		Router:      r,
		Hooks:       hooks,
		Faults:      s.faults,
		Toggles:     s.toggles,
		Shutdown:    s.shutdown,

		MaxQueue:      s.cfg.MaxQueue,
		MaxQueueBytes: s.cfg.MaxQueueBytes,
		RateLimit:     s.cfg.RateLimit,
		RateBurst:     s.cfg.RateBurst,
	}
	s.virt = newVirtualState(s.domain, r, hooks)
	if !s.cfg.NoAuthDelay {
		s.c2s.AuthThrottle = c2s.NewAuthThrottle()
	}
	return nil
}
