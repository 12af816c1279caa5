package sandbox

import (
	"errors"

	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stream"
)

// parseStanzas reads pasted XML: one or more message, presence or iq
// elements.
func parseStanzas(text string, max int) ([]*stanza.Element, error) {
	els, err := stream.ParseAll(text, max)
	if err != nil {
		var se *stream.Error
		if errors.As(err, &se) {
			return nil, errors.New("malformed XML: " + se.Condition + ": " + se.Text)
		}
		return nil, errors.New("malformed XML: " + err.Error())
	}
	if len(els) == 0 {
		return nil, errors.New("no stanza given")
	}
	for _, el := range els {
		if !el.IsStanza() {
			return nil, errors.New("<" + el.Name.Local + "/> is not a stanza: give message, presence or iq elements in jabber:client")
		}
	}
	return els, nil
}
