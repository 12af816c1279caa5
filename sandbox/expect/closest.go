package expect

import (
	"slices"

	"github.com/xmppsandbox/xmppsandbox/sandbox/trace"
)

// MaxClosest is how many near misses a failed wait reports.
const MaxClosest = 3

// Candidate is an event that met some of a filter's criteria, with the
// ones it missed, so that a failed wait shows what almost matched.
type Candidate struct {
	trace.Event
	Missed []string `json:"missed"`
}

// ranking keeps the best MaxClosest candidates: those that met the most
// criteria, and among equals the most recent.
type ranking struct {
	list   []Candidate
	scores []int
}

// offer considers c, which met score criteria; one that met none is no
// closer than any other stanza and is not kept.
func (r *ranking) offer(c Candidate, score int) {
	if score <= 0 {
		return
	}
	i := 0
	for i < len(r.scores) && r.scores[i] > score {
		i++
	}
	if i >= MaxClosest {
		return
	}
	r.list = slices.Insert(r.list, i, c)
	r.scores = slices.Insert(r.scores, i, score)
	if len(r.list) > MaxClosest {
		r.list, r.scores = r.list[:MaxClosest], r.scores[:MaxClosest]
	}
}
