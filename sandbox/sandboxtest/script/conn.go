package script

import (
	"time"

	"mellium.im/xmpp"
	"mellium.im/xmpp/jid"

	"github.com/xmppsandbox/xmppsandbox/sandbox/sandboxtest"
)

// conn is a connected client with the cleanups its login registered,
// run when the script says it disconnects.
type conn struct {
	c        *sandboxtest.Client
	cleanups []func()
}

func (r *runner) connect(c *Client) {
	r.tb.Helper()
	if r.conns[c] != nil {
		r.fatalf("%s is already connected", c.Name)
	}
	j, _ := jid.Parse(c.JID)
	if j.Domainpart() != r.srv.Domain() {
		r.fatalf("%s's JID is on %s, but the server serves %s", c.Name, j.Domainpart(), r.srv.Domain())
	}
	cn := &conn{}
	tb := &clientTB{TB: r.tb, where: &r.where, conn: cn}
	cn.c = sandboxtest.Login(tb, r.srv, j.Localpart(), c.Password, sandboxtest.LoginOptions{Resource: c.Resource})
	r.conns[c], r.full[c] = cn, cn.c.JID.String()
}

func (r *runner) connected(c *Client) *conn {
	r.tb.Helper()
	cn := r.conns[c]
	if cn == nil {
		r.fatalf("%s is not connected", c.Name)
	}
	return cn
}

// disconnect ends the client's stream and waits for the server to end
// its own, which it does only after telling the others that the client
// left; then it runs the login's cleanups, so they do not run twice.
func (r *runner) disconnect(cn *conn) {
	r.tb.Helper()
	if !closeStream(cn.c.Session) {
		r.fatalf("the server did not close the stream within %s", sandboxtest.Timeout)
	}
	r.cleanUp(cn)
}

func (r *runner) cleanUp(cn *conn) {
	for i := len(cn.cleanups) - 1; i >= 0; i-- {
		cn.cleanups[i]()
	}
	cn.cleanups = nil
}

func (r *runner) closeAll() {
	for _, cn := range r.conns {
		closeStream(cn.c.Session)
		r.cleanUp(cn)
	}
}

// closeStream sends the closing tag and waits until the session has read
// the server's. It does not set a close deadline as sandboxtest.Client.Close
// does: mellium's SetCloseDeadline races with the goroutine still serving
// the session, so the login's own Close runs only once that one is done.
func closeStream(s *xmpp.Session) bool {
	s.Close()
	deadline := time.Now().Add(sandboxtest.Timeout)
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for s.State()&xmpp.InputStreamClosed == 0 {
		if time.Now().After(deadline) {
			return false
		}
		<-tick.C
	}
	return true
}
