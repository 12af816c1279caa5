package c2s_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/xmppsandbox/xmppsandbox/sandbox/sandboxtest"
)

const fixtures = `
domain: localhost
users:
  juliet: {password: secret}
  romeo:  {password: secret}
  mercutio: {password: secret}
`

// reach brings a new connection to one state of the session machine;
// resource names the session for the states that bind one.
type reach func(t *testing.T, srv *sandboxtest.Server, resource string) *rawClient

// afterHeader reaches wait_for_feature_request: a plain TCP stream, with
// STARTTLS and SASL offered.
func afterHeader(t *testing.T, srv *sandboxtest.Server, _ string) *rawClient {
	c := dialRaw(t, srv)
	c.open()
	return c
}

// afterTLS reaches wait_for_auth.
func afterTLS(t *testing.T, srv *sandboxtest.Server, res string) *rawClient {
	c := afterHeader(t, srv, res)
	c.startTLS()
	return c
}

// midSASL reaches wait_for_sasl_response: PLAIN without an initial
// response gets an empty challenge (RFC 6120 §6.4.2).
func midSASL(t *testing.T, srv *sandboxtest.Server, res string) *rawClient {
	c := afterHeader(t, srv, res)
	c.send(`<auth` + xmlnsSASL + ` mechanism='PLAIN'/>`)
	c.expect(`<challenge` + xmlnsSASL + `/>`)
	return c
}

// authenticated reaches wait_for_bind.
func authenticated(t *testing.T, srv *sandboxtest.Server, res string) *rawClient {
	c := afterHeader(t, srv, res)
	c.authPlain("juliet", "secret")
	return c
}

// bound reaches wait_for_session.
func bound(t *testing.T, srv *sandboxtest.Server, res string) *rawClient {
	c := authenticated(t, srv, res)
	c.bind(res)
	return c
}

// established reaches session_established through the legacy session
// request.
func established(t *testing.T, srv *sandboxtest.Server, res string) *rawClient {
	c := bound(t, srv, res)
	c.send(`<iq type='set' id='sess'><session` + xmlnsSession + `/></iq>`)
	c.expect(`<iq type='result' id='sess'/>`)
	return c
}

// exchange is one row of a state's table: what the client sends and how
// the server must answer. In send and want, {res} stands for the row's
// resource.
type exchange struct {
	name string
	send string
	// want is the pattern of the answer; "" expects no answer at all.
	// Either way the stream must then still be in good standing, which
	// closing it cleanly checks, unless restart is set.
	want string
	// restart marks answers after which the stream restarts (<proceed/>,
	// <success/>).
	restart bool
	// streamError is the condition of the stream error that must end
	// the stream instead of an answer.
	streamError string
}

// runExchanges plays each row on its own connection brought to the state
// by reach.
func runExchanges(t *testing.T, to reach, rows []exchange) {
	srv := sandboxtest.Start(t, fixtures)
	for i, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			res := "r" + strconv.Itoa(i)
			c := to(t, srv, res)
			c.send(strings.ReplaceAll(row.send, "{res}", res))
			switch {
			case row.streamError != "":
				c.expectStreamError(row.streamError)
				return
			case row.want != "":
				c.expect(strings.ReplaceAll(row.want, "{res}", res))
			}
			if !row.restart {
				c.closeCleanly()
			}
		})
	}
}

// failure is the pattern of a SASL failure (RFC 6120 §6.5).
func failure(condition string) string {
	return `<failure` + xmlnsSASL + `><` + condition + `/></failure>`
}

// stanzaError is the pattern of an error reply of the given kind.
func stanzaError(kind, id, errType, condition string) string {
	return `<` + kind + ` type='error' id='` + id + `'><error type='` + errType + `'><` + condition + xmlnsStanzas + `/></error></` + kind + `>`
}
