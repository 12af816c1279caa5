package sandbox

import (
	"net/http"
	"strconv"
	"time"

	"mellium.im/xmpp/jid"

	"github.com/xmppsandbox/xmppsandbox/sandbox/api"
	"github.com/xmppsandbox/xmppsandbox/sandbox/fault"
	"github.com/xmppsandbox/xmppsandbox/sandbox/router"
)

// FaultRequest is the body of POST /api/faults. The parts it gives
// change the JID's fault; the others stay as they are.
type FaultRequest struct {
	JID string `json:"jid"`
	// Delay and DelayMax are durations such as "2s": a fixed delay, or a
	// random one between the two. Giving either replaces both; "0"
	// removes the delay.
	Delay    *string `json:"delay,omitempty"`
	DelayMax *string `json:"delay_max,omitempty"`
	// DropPercent of the stanzas of DropKind (message, presence, iq or
	// all, the default) are dropped; 0 drops none.
	DropPercent *int   `json:"drop_percent,omitempty"`
	DropKind    string `json:"drop_kind,omitempty"`
	// IQErrorNS and IQErrorCondition answer the user's iq requests in
	// that namespace with that stanza error.
	IQErrorNS        string `json:"iq_error_ns,omitempty"`
	IQErrorCondition string `json:"iq_error_condition,omitempty"`
	NoPingReply      *bool  `json:"no_ping_reply,omitempty"`
}

// FaultInfo is a fault in force, as GET /api/faults lists it.
type FaultInfo struct {
	JID         string            `json:"jid"`
	Delay       string            `json:"delay,omitempty"`
	DelayMax    string            `json:"delay_max,omitempty"`
	DropPercent int               `json:"drop_percent,omitempty"`
	DropKind    string            `json:"drop_kind,omitempty"`
	IQErrors    map[string]string `json:"iq_errors,omitempty"`
	NoPingReply bool              `json:"no_ping_reply,omitempty"`
}

// CloseRequest is the body of POST /api/faults/close.
type CloseRequest struct {
	JID       string `json:"jid"`
	Mode      string `json:"mode"` // "reset" or "graceful" (the default)
	Condition string `json:"condition"`
}

// faultRoutes adds the fault injection endpoints to the admin API.
func (s *Server) faultRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/faults", func(w http.ResponseWriter, r *http.Request) {
		api.WriteJSON(w, http.StatusOK, s.faultInfos())
	})
	mux.HandleFunc("POST /api/faults", s.postFault)
	mux.HandleFunc("DELETE /api/faults/{jid...}", func(w http.ResponseWriter, r *http.Request) {
		n, err := s.ClearFaults(r.PathValue("jid"))
		answer(w, map[string]int{"cleared": n}, err)
	})
	mux.HandleFunc("POST /api/faults/close", func(w http.ResponseWriter, r *http.Request) {
		var req CloseRequest
		if err := api.Decode(r, &req); err != nil {
			api.WriteError(w, err)
			return
		}
		n, err := s.CloseSessions(req.JID, req.Mode, req.Condition)
		answer(w, map[string]int{"closed": n}, err)
	})
}

func (s *Server) postFault(w http.ResponseWriter, r *http.Request) {
	var req FaultRequest
	if err := api.Decode(r, &req); err != nil {
		api.WriteError(w, err)
		return
	}
	p, err := req.patch()
	if err != nil {
		api.WriteError(w, err)
		return
	}
	key, err := s.faultKey(req.JID)
	if err != nil {
		api.WriteError(w, err)
		return
	}
	f, err := s.SetFault(key, p)
	answer(w, faultInfo(key, f), err)
}

// answer writes v, or err when there is one.
func answer(w http.ResponseWriter, v any, err error) {
	if err != nil {
		api.WriteError(w, err)
		return
	}
	api.WriteJSON(w, http.StatusOK, v)
}

// SetFault changes the fault injected into the sessions of jid by p: a
// bare JID covers every session of the user, present and future, a full
// JID one resource. It returns the JID's fault as it now is.
func (s *Server) SetFault(jid string, p fault.Patch) (fault.Fault, error) {
	key, err := s.faultKey(jid)
	if err != nil {
		return fault.Fault{}, err
	}
	f, err := s.faults.Set(key, p)
	if err != nil {
		return f, api.BadRequest(err.Error())
	}
	return f, nil
}

// ClearFaults removes the fault of jid, and for a bare JID those of the
// user's resources too, and returns how many it removed.
func (s *Server) ClearFaults(jid string) (int, error) {
	key, err := s.faultKey(jid)
	if err != nil {
		return 0, err
	}
	return s.faults.Clear(key), nil
}

// Faults returns the faults in force, sorted by JID.
func (s *Server) Faults() []fault.Entry { return s.faults.List() }

// CloseSessions ends the sessions of jid (every one of a bare JID): with
// mode "reset" at once, as a dead network would, or gracefully with the
// stream error condition (system-shutdown when empty). It returns how
// many it closed.
func (s *Server) CloseSessions(jid, mode, condition string) (int, error) {
	cond, err := fault.CheckClose(mode, condition)
	if err != nil {
		return 0, api.BadRequest(err.Error())
	}
	j, err := s.localJID(jid)
	if err != nil {
		return 0, err
	}
	var victims []*router.Session
	if j.Resourcepart() == "" {
		victims = s.router.Sessions(j.String())
	} else if sess := s.router.Session(j.Bare().String(), j.Resourcepart()); sess != nil {
		victims = append(victims, sess)
	}
	if len(victims) == 0 {
		return 0, api.NotFound("no session for " + j.String())
	}
	if mode == "" {
		mode = fault.ModeGraceful
	}
	fault.Close(victims, mode, cond)
	return len(victims), nil
}

// faultKey resolves the JID a fault is kept under: a local user's bare
// or full JID, prepared as the router names sessions.
func (s *Server) faultKey(text string) (string, error) {
	j, err := s.localJID(text)
	if err != nil {
		return "", err
	}
	return j.String(), nil
}

// localJID parses a JID that must name a local user, or one of their
// resources.
func (s *Server) localJID(text string) (jid.JID, error) {
	if text == "" {
		return jid.JID{}, api.BadRequest("jid is required")
	}
	j, err := s.parseJID(text)
	if err != nil {
		return jid.JID{}, api.BadRequest(err.Error())
	}
	if j.Localpart() == "" && j.Domainpart() != s.domain {
		// "mine/phone" names a resource of the local user mine.
		if j, err = jid.New(j.Domainpart(), s.domain, j.Resourcepart()); err != nil {
			return jid.JID{}, api.BadRequest(err.Error())
		}
	}
	if j.Domainpart() != s.domain || !s.users.exists(j.Localpart()) {
		return jid.JID{}, api.NotFound("unknown user " + strconv.Quote(text))
	}
	return j, nil
}

func (s *Server) faultInfos() []FaultInfo {
	out := []FaultInfo{}
	for _, e := range s.faults.List() {
		out = append(out, faultInfo(e.JID, e.Fault))
	}
	return out
}

func faultInfo(jid string, f fault.Fault) FaultInfo {
	info := FaultInfo{JID: jid, DropPercent: f.Drop.Percent, IQErrors: f.IQErrors, NoPingReply: f.NoPingReply}
	if f.Drop.Percent > 0 {
		info.DropKind = f.Drop.Kind
	}
	if f.Delay.Min > 0 || f.Delay.Max > 0 {
		info.Delay = f.Delay.Min.String()
	}
	if f.Delay.Max > 0 {
		info.DelayMax = f.Delay.Max.String()
	}
	return info
}

// patch turns the request into the change it asks for.
func (req FaultRequest) patch() (fault.Patch, error) {
	var p fault.Patch
	if req.Delay != nil || req.DelayMax != nil {
		d, err := parseDelay(req.Delay, req.DelayMax)
		if err != nil {
			return p, err
		}
		p.Delay = &d
	}
	switch {
	case req.DropPercent != nil:
		p.Drop = &fault.Drop{Percent: *req.DropPercent, Kind: req.DropKind}
	case req.DropKind != "":
		return p, api.BadRequest("drop_kind goes with drop_percent")
	}
	if req.IQErrorNS != "" || req.IQErrorCondition != "" {
		if req.IQErrorNS == "" || req.IQErrorCondition == "" {
			return p, api.BadRequest("iq_error_ns and iq_error_condition go together")
		}
		p.IQError = &fault.IQError{NS: req.IQErrorNS, Condition: req.IQErrorCondition}
	}
	p.NoPingReply = req.NoPingReply
	return p, nil
}

func parseDelay(min, max *string) (fault.Delay, error) {
	var d fault.Delay
	for _, part := range []struct {
		name string
		text *string
		to   *time.Duration
	}{{"delay", min, &d.Min}, {"delay_max", max, &d.Max}} {
		if part.text == nil {
			continue
		}
		v, err := time.ParseDuration(*part.text)
		if err != nil {
			return d, api.BadRequest(part.name + " must be a duration such as 2s or 150ms, not " + strconv.Quote(*part.text))
		}
		*part.to = v
	}
	return d, nil
}

// interceptFaults runs first on what a client sends, so that an injected
// iq error or an unanswered ping stops the stanza before any feature
// handles it.
func (s *Server) interceptFaults(p *router.Packet) (*router.Packet, bool) {
	reply, handled := s.faults.Intercept(p, s.domain)
	if reply != nil {
		s.router.Deliver(p.Sender, reply)
	}
	if handled {
		p.Handled = true
	}
	return p, !handled
}
