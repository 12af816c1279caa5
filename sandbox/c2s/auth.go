package c2s

import (
	"encoding/base64"
	"errors"
	"slices"

	"github.com/xmppsandbox/xmppsandbox/sandbox/sasl"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stream"
)

// maxSASLFailures is how many failed attempts one stream may make before
// it is closed (RFC 6120 §6.4.5 asks for at least two retries).
const maxSASLFailures = 5

// auth starts a SASL exchange (RFC 6120 §6.4.2).
func (s *session) auth(el *stanza.Element) error {
	mech := el.Get("mechanism")
	if !slices.Contains(s.cfg.Mechanisms(), mech) {
		return s.saslFailed(sasl.ConditionInvalidMechanism, "offered: "+joinMechs(s.cfg.Mechanisms()))
	}
	ex, err := sasl.Start(mech, s.cfg.Domain, s.credentials())
	if err != nil {
		return s.saslFailed(sasl.ConditionInvalidMechanism, "")
	}
	s.exchange = ex
	var initial []byte
	if text := el.Content(); text != "" {
		if initial, err = decodeSASL(text); err != nil {
			return s.saslFailed("incorrect-encoding", "")
		}
	}
	return s.saslStep(initial)
}

// waitForSASLResponse accepts the client's <response/> or <abort/>.
func (s *session) waitForSASLResponse(el *stanza.Element) error {
	if el.Name.Space != stanza.NSSASL {
		if el.IsStanza() {
			return &stream.Error{Condition: stream.NotAuthorized, Text: "authentication is not finished"}
		}
		return unsupported(el)
	}
	switch el.Name.Local {
	case "response":
		data, err := decodeSASL(el.Content())
		if err != nil {
			return s.saslFailed("incorrect-encoding", "")
		}
		return s.saslStep(data)
	case "abort":
		return s.saslFailed("aborted", "")
	}
	return unsupported(el)
}

func (s *session) saslStep(in []byte) error {
	out, done, err := s.exchange.Step(in)
	if err != nil {
		var f *sasl.Failure
		if errors.As(err, &f) {
			return s.saslFailed(f.Condition, f.Text)
		}
		return s.saslFailed("temporary-auth-failure", "")
	}
	if !done {
		s.state = WaitForSASLResponse
		s.send(stanza.New(stanza.NSSASL, "challenge").AppendText(encodeSASL(out)))
		return nil
	}
	// RFC 6120 §6.4.6: success, then both sides restart the stream.
	s.user = s.exchange.Username()
	s.exchange = nil
	s.throttleSuccess()
	s.send(stanza.New(stanza.NSSASL, "success").AppendText(encodeSASL(out)))
	s.conn.SetReadDeadline(timeZero)
	s.state = WaitForStream
	return nil
}

// saslFailed reports a failed attempt and lets the client try again, up
// to maxSASLFailures times.
func (s *session) saslFailed(condition, text string) error {
	s.exchange = nil
	s.saslFailures++
	s.throttleFailure(condition)
	s.send(saslFailure(condition, text))
	if s.saslFailures >= maxSASLFailures {
		return &stream.Error{Condition: stream.PolicyViolation, Text: "too many failed authentication attempts"}
	}
	s.state = WaitForFeatureRequest
	if s.secure {
		s.state = WaitForAuth
	}
	return nil
}

func saslFailure(condition, text string) *stanza.Element {
	f := stanza.New(stanza.NSSASL, "failure").Append(stanza.New(stanza.NSSASL, condition))
	if text != "" {
		f.Append(stanza.New(stanza.NSSASL, "text").AppendText(text))
	}
	return f
}

// decodeSASL decodes a SASL payload; "=" stands for an empty response
// (RFC 6120 §6.4.2).
func decodeSASL(text string) ([]byte, error) {
	if text == "=" {
		return []byte{}, nil
	}
	return base64.StdEncoding.DecodeString(text)
}

func encodeSASL(data []byte) string {
	if len(data) == 0 {
		return ""
	}
	return base64.StdEncoding.EncodeToString(data)
}

func joinMechs(m []string) string {
	out := ""
	for i, x := range m {
		if i > 0 {
			out += " "
		}
		out += x
	}
	return out
}
