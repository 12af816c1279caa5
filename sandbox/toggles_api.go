package sandbox

import (
	"net/http"

	"github.com/xmppsandbox/xmppsandbox/sandbox/api"
	"github.com/xmppsandbox/xmppsandbox/sandbox/disco"
	"github.com/xmppsandbox/xmppsandbox/sandbox/ping"
	"github.com/xmppsandbox/xmppsandbox/sandbox/roster"
	"github.com/xmppsandbox/xmppsandbox/sandbox/router"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
	"github.com/xmppsandbox/xmppsandbox/sandbox/toggle"
	"github.com/xmppsandbox/xmppsandbox/sandbox/version"
)

// toggleRoutes adds the feature toggle endpoints to the admin API:
// GET /api/toggles lists them, POST /api/toggles {"name": bool, ...}
// switches some and answers with them all.
func (s *Server) toggleRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/toggles", func(w http.ResponseWriter, r *http.Request) {
		api.WriteJSON(w, http.StatusOK, s.Toggles())
	})
	mux.HandleFunc("POST /api/toggles", func(w http.ResponseWriter, r *http.Request) {
		var req map[string]bool
		if err := api.Decode(r, &req); err != nil {
			api.WriteError(w, err)
			return
		}
		all, err := s.SetToggles(req)
		answer(w, all, err)
	})
}

// Toggles returns every feature toggle with whether it is on.
func (s *Server) Toggles() map[toggle.Name]bool { return s.toggles.State().Map() }

// SetToggles switches the named features on (true) or off (false), all or
// none of them, and returns every toggle as it now is. Streams that start
// afterwards see the change; sessions keep what they negotiated.
func (s *Server) SetToggles(changes map[string]bool) (map[toggle.Name]bool, error) {
	parsed := make(map[toggle.Name]bool, len(changes))
	for text, on := range changes {
		n, err := toggle.Parse(text)
		if err != nil {
			return nil, api.BadRequest(err.Error())
		}
		parsed[n] = on
	}
	st, err := s.toggles.Apply(parsed)
	if err != nil {
		return nil, api.BadRequest(err.Error())
	}
	return st.Map(), nil
}

// xepToggle returns the toggle that switches off the handler of an iq
// payload namespace, if any.
func xepToggle(ns string) (toggle.Name, bool) {
	switch ns {
	case disco.NSInfo, disco.NSItems:
		return toggle.Disco, true
	case ping.NS:
		return toggle.Ping, true
	case version.NS:
		return toggle.Version, true
	}
	return "", false
}

// discoListed reports whether disco advertises feature now.
func (s *Server) discoListed(feature string) bool {
	n, ok := xepToggle(feature)
	return !ok || s.toggles.On(n)
}

// gateToggles runs on what a client sends, before the features that
// would handle it, and makes a switched-off feature behave as on a server
// without it. XEPs follow the toggles at once: a client learns of them
// through disco, not through its stream's features. Pre-approval follows
// what the sender's stream offered.
func (s *Server) gateToggles(p *router.Packet) (*router.Packet, bool) {
	if p.Sender == nil {
		return p, true
	}
	switch {
	case s.xepSwitchedOff(p):
		// RFC 6120 §8.4: a server answers a request it does not
		// understand with service-unavailable.
		s.router.Deliver(p.Sender, p.El.ErrorReply(stanza.ServiceUnavailable, ""))
		p.Handled = true
	case s.unsupportedPreApproval(p):
		p.Handled = true
	}
	return p, !p.Handled
}

// xepSwitchedOff reports whether p is an iq request to the server, or to
// an account it answers for, in the namespace of a switched-off XEP.
func (s *Server) xepSwitchedOff(p *router.Packet) bool {
	if p.El.Name.Local != stanza.IQ || (p.El.Type() != "get" && p.El.Type() != "set") {
		return false
	}
	payload := p.El.Payload()
	if payload == nil || p.To.Domainpart() != s.domain || p.To.Resourcepart() != "" || s.toggles.State() == 0 {
		return false
	}
	n, ok := xepToggle(payload.Name.Space)
	return ok && !s.toggles.On(n)
}

// unsupportedPreApproval reports whether p is a subscription pre-approval
// (subscribed with no request pending, RFC 6121 §3.4) from a session
// whose stream did not offer pre-approval: a server without the feature
// ignores it.
func (s *Server) unsupportedPreApproval(p *router.Packet) bool {
	if p.El.Name.Local != stanza.Presence || p.El.Type() != "subscribed" {
		return false
	}
	n, ok := p.Sender.Conn.(toggle.Negotiated)
	if !ok || n.Negotiated().On(toggle.PreApproval) {
		return false
	}
	it, found := s.roster.Get(p.Sender.JID.Localpart(), p.To.Bare().String())
	return !found || !roster.StateOf(it).PendingIn
}
