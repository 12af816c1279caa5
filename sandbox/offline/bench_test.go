package offline_test

import (
	"testing"

	"mellium.im/xmpp/jid"

	"github.com/xmppsandbox/xmppsandbox/sandbox/offline"
	"github.com/xmppsandbox/xmppsandbox/sandbox/router"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
	"github.com/xmppsandbox/xmppsandbox/sandbox/store"
)

type discard struct{}

func (discard) Send(*stanza.Element) {}
func (discard) Close(string, string) {}

// BenchmarkDeliverNone measures the offline check at an initial presence
// of a user who has no stored message: the common login.
func BenchmarkDeliverNone(b *testing.B) {
	st, err := store.Open(":memory:")
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	r := router.New("localhost")
	m := &offline.Module{Domain: "localhost", Store: st, Router: r}
	s := router.NewSession(jid.MustParse("u@localhost/r"), discard{})
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.Deliver(s)
	}
}
