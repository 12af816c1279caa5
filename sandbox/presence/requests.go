package presence

import (
	"context"

	"github.com/xmppsandbox/xmppsandbox/sandbox/router"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stream"
)

// RedeliverRequests is an Available hook: it hands a resource that just
// came online every subscription request still unanswered, as it was
// sent (RFC 6121 §3.1.3).
func (m *Module) RedeliverRequests(s *router.Session) {
	reqs, err := m.Store.SubRequests(context.Background(), s.JID.Localpart())
	if err != nil {
		return
	}
	for _, r := range reqs {
		if el, err := stream.Parse(r.Stanza, 0); err == nil {
			m.Router.Deliver(s, el)
		}
	}
}
