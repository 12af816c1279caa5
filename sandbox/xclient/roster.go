package xclient

import (
	"errors"

	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
)

// rosterGetID is the id of the roster request; one is enough since a
// client asks once per session.
const rosterGetID = "roster1"

// maxSkipped bounds the elements RosterGet reads past while it waits.
const maxSkipped = 1000

// Roster is the answer to a roster get.
type Roster struct {
	Ver   string
	Items int
}

// RosterGet asks for the roster (RFC 6121 §2.1.3) and waits for the
// answer, as a client does before its initial presence. Elements that
// arrive meanwhile are skipped: before initial presence a server sends
// none that matter here.
func (c *Conn) RosterGet() (*Roster, error) {
	if err := c.SendRaw(`<iq type='get' id='` + rosterGetID + `'><query xmlns='jabber:iq:roster'/></iq>`); err != nil {
		return nil, err
	}
	for range maxSkipped {
		el, err := c.r.Next()
		if err != nil {
			return nil, err
		}
		if el.Name.Local != "iq" || el.ID() != rosterGetID {
			continue
		}
		if el.Type() != "result" {
			return nil, errors.New("roster get refused: " + el.String())
		}
		return rosterOf(el), nil
	}
	return nil, errors.New("no answer to the roster get")
}

func rosterOf(iq *stanza.Element) *Roster {
	r := &Roster{}
	q := iq.FirstElement()
	if q == nil {
		// RFC 6121 §2.6.3: an empty result means the cached roster is current.
		return r
	}
	r.Ver = q.Get("ver")
	r.Items = len(q.Elements())
	return r
}
