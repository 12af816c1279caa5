package fault

import (
	"strings"
	"testing"

	"mellium.im/xmpp/jid"

	"github.com/xmppsandbox/xmppsandbox/sandbox/router"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
)

func TestCheckClose(t *testing.T) {
	tests := []struct {
		mode, condition string
		want            string
		says            string
	}{
		{"", "", DefaultCondition, ""},
		{"graceful", "conflict", "conflict", ""},
		{"graceful", "host-gone", "host-gone", ""},
		{"reset", "", "", ""},
		{"reset", "conflict", "", "sends no stream error"},
		{"graceful", "item-not-found", "", "§4.9.3"},
		{"graceful", "see-other-host", "", "host to redirect to"},
		{"hangup", "", "", "close mode"},
	}
	for _, tt := range tests {
		t.Run(tt.mode+"/"+tt.condition, func(t *testing.T) {
			got, err := CheckClose(tt.mode, tt.condition)
			if tt.says == "" && (err != nil || got != tt.want) {
				t.Fatalf("= %q, %v; want %q", got, err, tt.want)
			}
			if tt.says != "" && (err == nil || !strings.Contains(err.Error(), tt.says)) {
				t.Fatalf("error %v, want one saying %q", err, tt.says)
			}
		})
	}
}

// recordingConn notes how it was ended.
type recordingConn struct {
	aborted   bool
	condition string
}

func (c *recordingConn) Send(*stanza.Element)      {}
func (c *recordingConn) Close(condition, _ string) { c.condition = condition }
func (c *recordingConn) Abort()                    { c.aborted = true }

func TestCloseEndsEachSessionAsAsked(t *testing.T) {
	a, b := &recordingConn{}, &recordingConn{}
	sessions := []*router.Session{
		router.NewSession(jid.MustParse("a@x/1"), a),
		router.NewSession(jid.MustParse("a@x/2"), b),
	}
	Close(sessions, ModeReset, "")
	if !a.aborted || !b.aborted || a.condition != "" {
		t.Fatalf("reset: %+v %+v", a, b)
	}
	c := &recordingConn{}
	Close([]*router.Session{router.NewSession(jid.MustParse("a@x/3"), c)}, ModeGraceful, "conflict")
	if c.aborted || c.condition != "conflict" {
		t.Fatalf("graceful: %+v", c)
	}
}
