package c2s_test

import (
	"testing"

	"github.com/xmppsandbox/xmppsandbox/sandbox/sandboxtest"
)

// TestPipelinedRestart has a client write <auth/>, its restarted stream's
// header and a bind request at once, without waiting for <success/>.
// RFC 6120 §6.4.6 has clients wait, but the bytes must not be dropped by
// the stream reader the server replaces at the restart: the session
// still completes.
func TestPipelinedRestart(t *testing.T) {
	srv := sandboxtest.Start(t, fixtures)
	c := dialRaw(t, srv)
	c.open()
	c.send(`<auth` + xmlnsSASL + ` mechanism='PLAIN'>` + plain("juliet", "secret") + `</auth>` +
		headerTo(srv.Domain()) +
		`<iq type='set' id='bind1'><bind` + xmlnsBind + `><resource>piped</resource></bind></iq>`)
	c.expect(`<success` + xmlnsSASL + `/>`)
	// The client's own reader keeps what it read past <success/> too.
	c.r.Restart()
	c.readHeader()
	c.expect(`<stream:features` + xmlnsStreams + `/>`)
	c.expect(`<iq type='result' id='bind1'><bind` + xmlnsBind + `><jid/></bind></iq>`)
}
