package script

import (
	"fmt"
	"testing"

	"mellium.im/xmpp/jid"

	"github.com/xmppsandbox/xmppsandbox/sandbox/sandboxtest"
)

// Run plays the script against srv, one step after the other, with one
// mellium client per declared client, and fails t at the first step that
// does not go as written, naming the script's line. A Send step ends with
// a round trip to the server, so that it has handled the stanza before
// the next step; a Receive step waits up to sandboxtest.Timeout for the
// client's next stanza. Clients still connected at the end are closed
// when the test ends.
func (s *Script) Run(t *testing.T, srv *sandboxtest.Server) {
	t.Helper()
	s.run(t, srv)
}

// run is Run for any testing.TB, so the runner's own tests can watch it
// fail.
func (s *Script) run(tb testing.TB, srv *sandboxtest.Server) {
	tb.Helper()
	r := &runner{s: s, srv: srv, tb: tb, conns: map[*Client]*conn{}, full: map[*Client]string{}}
	tb.Cleanup(r.closeAll)
	for _, st := range s.Steps {
		r.where = &failContext{pos: s.Pos(st.Line) + ": " + st.Client.Name + " " + st.Action.String()}
		r.do(st)
	}
}

// runner is the state of one run: the connected clients and the last full
// JID each was bound to, which later steps may still name.
type runner struct {
	s     *Script
	srv   *sandboxtest.Server
	tb    testing.TB
	conns map[*Client]*conn
	full  map[*Client]string
	where *failContext
}

func (r *runner) do(st Step) {
	r.tb.Helper()
	switch st.Action {
	case Connect:
		r.connect(st.Client)
	case Disconnect:
		// Disconnecting a client that is not connected does nothing, as
		// in scansion, whose own scripts sometimes say it twice.
		if cn := r.conns[st.Client]; cn != nil {
			r.disconnect(cn)
			delete(r.conns, st.Client)
		}
	case Send:
		c := r.connected(st.Client).c
		c.Send(r.expand(st))
		// Wait until the server has handled the stanza: the next step may
		// be another client's, on another connection, and scansion
		// scripts assume one step ends before the next begins.
		c.Sync()
	case Receive:
		r.receive(st)
	}
}

func (r *runner) fatalf(format string, args ...any) {
	r.tb.Helper()
	r.tb.Fatalf("%s: %s", r.where.pos, fmt.Sprintf(format, args...))
}

// expand substitutes the step's variables with the JIDs of this run.
func (r *runner) expand(st Step) string {
	r.tb.Helper()
	text, err := expand(st.XML, r.value)
	if err != nil {
		r.fatalf("%v", err)
	}
	return text
}

func (r *runner) value(ref reference) (string, error) {
	c := r.s.Client(ref.client)
	if c == nil {
		return "", fmt.Errorf("no client is named %q", ref.client)
	}
	j, err := jid.Parse(c.JID)
	if err != nil || !ref.full {
		return j.Bare().String(), err
	}
	if full, ok := r.full[c]; ok {
		return full, nil
	}
	if c.Resource != "" {
		full, err := j.WithResource(c.Resource)
		return full.String(), err
	}
	return "", fmt.Errorf("%s has not connected yet, so the server has not chosen its full JID", c.Name)
}
