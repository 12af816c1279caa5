package sasl

import (
	"errors"
	"fmt"
	"testing"

	msasl "mellium.im/sasl"

	"github.com/xdg-go/scram"
)

// client is one side of a real third-party client implementation, driven
// message by message so tests can tamper with what it sends.
type client interface {
	initial() ([]byte, error)
	respond(challenge []byte) ([]byte, error)
	// verify checks the additional data of <success/>.
	verify(final []byte) error
}

// melliumClient drives a mellium.im/sasl client Negotiator.
type melliumClient struct {
	neg   *msasl.Negotiator
	plain bool
}

func newMellium(mech, user, password, authzid string) client {
	mechs := map[string]msasl.Mechanism{
		string(PLAIN):       msasl.Plain,
		string(SCRAMSHA1):   msasl.ScramSha1,
		string(SCRAMSHA256): msasl.ScramSha256,
	}
	creds := msasl.Credentials(func() ([]byte, []byte, []byte) {
		return []byte(user), []byte(password), []byte(authzid)
	})
	return &melliumClient{neg: msasl.NewClient(mechs[mech], creds), plain: mech == string(PLAIN)}
}

func (c *melliumClient) initial() ([]byte, error) {
	_, resp, err := c.neg.Step(nil)
	return resp, err
}

func (c *melliumClient) respond(challenge []byte) ([]byte, error) {
	_, resp, err := c.neg.Step(challenge)
	return resp, err
}

func (c *melliumClient) verify(final []byte) error {
	if c.plain {
		return nil
	}
	_, _, err := c.neg.Step(final)
	return err
}

// xdgClient drives a github.com/xdg-go/scram client conversation.
type xdgClient struct {
	conv *scram.ClientConversation
}

func newXDG(tb testing.TB, mech, user, password, authzid string) client {
	tb.Helper()
	c, err := xdgHash(mech).NewClient(user, password, authzid)
	if err != nil {
		tb.Fatalf("xdg NewClient: %v", err)
	}
	return &xdgClient{conv: c.NewConversation()}
}

func xdgHash(mech string) scram.HashGeneratorFcn {
	if mech == string(SCRAMSHA256) {
		return scram.SHA256
	}
	return scram.SHA1
}

func (c *xdgClient) initial() ([]byte, error) {
	resp, err := c.conv.Step("")
	return []byte(resp), err
}

func (c *xdgClient) respond(challenge []byte) ([]byte, error) {
	resp, err := c.conv.Step(string(challenge))
	return []byte(resp), err
}

func (c *xdgClient) verify(final []byte) error {
	if _, err := c.conv.Step(string(final)); err != nil {
		return err
	}
	if !c.conv.Valid() {
		return errors.New("xdg client: server signature not valid")
	}
	return nil
}

// tamper rewrites the n-th client message (0 is the initial response)
// before the server sees it.
type tamper func(n int, msg []byte) []byte

// login runs a whole exchange between a client and ex. A server failure is
// returned as is; a client-side failure is wrapped so the two never mix.
func login(ex *Exchange, c client, edit tamper) error {
	msg, err := c.initial()
	for n := 0; ; n++ {
		if err != nil {
			return fmt.Errorf("client: %w", err)
		}
		if edit != nil {
			msg = edit(n, msg)
		}
		out, done, serr := ex.Step(msg)
		if serr != nil {
			return serr
		}
		if done {
			if err := c.verify(out); err != nil {
				return fmt.Errorf("client: %w", err)
			}
			return nil
		}
		msg, err = c.respond(out)
	}
}

// condition returns the Failure condition of err, or "" for nil, or the
// error text for anything else so that a mismatch shows it.
func condition(err error) string {
	if err == nil {
		return ""
	}
	var failure *Failure
	if errors.As(err, &failure) {
		return failure.Condition
	}
	return "non-Failure error: " + err.Error()
}
