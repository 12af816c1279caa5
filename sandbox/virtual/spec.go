package virtual

import (
	"slices"
	"strconv"
	"time"

	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
)

// Spec is how one virtual contact behaves.
type Spec struct {
	Show     string // "" (available), away, chat, dnd or xa
	Status   string
	Priority int
	// Echo sends every message with a body back to its sender.
	Echo bool
	// Cycle rotates the show; a zero Every leaves it as declared.
	Cycle Cycle
}

// Cycle is a rotation of shows, one step every Every.
type Cycle struct {
	Every time.Duration
	Shows []string // "" stands for plain available
}

// sameAnnouncement reports whether two specs announce the same presence
// and rotate it alike, so that moving from one to the other sends nothing.
func (s Spec) sameAnnouncement(o Spec) bool {
	return s.Show == o.Show && s.Status == o.Status && s.Priority == o.Priority &&
		s.Cycle.Every == o.Cycle.Every && slices.Equal(s.Cycle.Shows, o.Cycle.Shows)
}

// cycles reports whether the spec rotates its show.
func (s Spec) cycles() bool { return s.Cycle.Every > 0 && len(s.Cycle.Shows) > 0 }

// presence builds the available presence the spec shows with show
// (RFC 6121 §4.7.2): priority is left out when it is the default 0.
func (s Spec) presence(show string) *stanza.Element {
	el := stanza.New(stanza.NSClient, stanza.Presence)
	if show != "" {
		el.Append(stanza.New(stanza.NSClient, "show").AppendText(show))
	}
	if s.Status != "" {
		el.Append(stanza.New(stanza.NSClient, "status").AppendText(s.Status))
	}
	if s.Priority != 0 {
		el.Append(stanza.New(stanza.NSClient, "priority").AppendText(strconv.Itoa(s.Priority)))
	}
	return el
}
