// Package fault injects faults into the sessions of a user or of one
// resource while the server runs: delayed or dropped outgoing stanzas,
// iq requests answered with an error, unanswered pings, and streams
// closed abruptly or with a stream error. It lets a client's test suite
// see how the client copes with a bad network or a misbehaving server.
package fault

import (
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"time"
)

// Stanza kinds a drop applies to.
const (
	KindMessage  = "message"
	KindPresence = "presence"
	KindIQ       = "iq"
	KindAll      = "all"
)

// Delay holds back outgoing stanzas: by Min, or, when Max is above Min,
// by a duration picked at random in [Min, Max] for each stanza.
type Delay struct {
	Min, Max time.Duration
}

// Drop discards Percent percent of the outgoing stanzas of Kind.
type Drop struct {
	Percent int
	Kind    string
}

// Fault is what is injected into the sessions of one JID.
type Fault struct {
	Delay Delay
	Drop  Drop
	// IQErrors maps a payload namespace to the stanza error condition that
	// answers the user's iq requests in it.
	IQErrors map[string]string
	// NoPingReply leaves the user's XEP-0199 pings to the server
	// unanswered.
	NoPingReply bool
}

// IsZero reports whether f injects nothing.
func (f Fault) IsZero() bool {
	return f.Delay == Delay{} && f.Drop.Percent == 0 && len(f.IQErrors) == 0 && !f.NoPingReply
}

// Patch changes some parts of a Fault; nil parts stay as they are.
type Patch struct {
	Delay       *Delay
	Drop        *Drop
	IQError     *IQError
	NoPingReply *bool
}

// IQError answers iq requests in namespace NS with Condition.
type IQError struct {
	NS, Condition string
}

// Apply returns f changed by p, or an error naming the first invalid
// part of p.
func (f Fault) Apply(p Patch) (Fault, error) {
	if err := p.check(); err != nil {
		return f, err
	}
	if p.Delay != nil {
		f.Delay = *p.Delay
	}
	if p.Drop != nil {
		f.Drop = *p.Drop
		if f.Drop.Kind == "" {
			f.Drop.Kind = KindAll
		}
	}
	if p.IQError != nil {
		f.IQErrors = maps.Clone(f.IQErrors)
		if f.IQErrors == nil {
			f.IQErrors = map[string]string{}
		}
		f.IQErrors[p.IQError.NS] = p.IQError.Condition
	}
	if p.NoPingReply != nil {
		f.NoPingReply = *p.NoPingReply
	}
	return f, nil
}

func (p Patch) check() error {
	if d := p.Delay; d != nil {
		if d.Min < 0 || d.Max < 0 {
			return errors.New("a delay cannot be negative")
		}
		if d.Max != 0 && d.Max < d.Min {
			return fmt.Errorf("the delay's maximum %s is below its minimum %s", d.Max, d.Min)
		}
	}
	if d := p.Drop; d != nil {
		if d.Percent < 0 || d.Percent > 100 {
			return fmt.Errorf("a drop percentage is between 0 and 100, not %d", d.Percent)
		}
		switch d.Kind {
		case "", KindMessage, KindPresence, KindIQ, KindAll:
		default:
			return fmt.Errorf("a drop applies to message, presence, iq or all, not %q", d.Kind)
		}
	}
	if e := p.IQError; e != nil {
		if e.NS == "" {
			return errors.New("an iq error needs the namespace of the requests it answers")
		}
		return CheckStanzaCondition(e.Condition)
	}
	return nil
}

// pick returns how long to hold the next stanza back.
func (d Delay) pick() time.Duration {
	if d.Max <= d.Min {
		return d.Min
	}
	return d.Min + rand.N(d.Max-d.Min+1)
}

// hits decides whether a stanza of kind is dropped.
func (d Drop) hits(kind string) bool {
	if d.Percent == 0 || (d.Kind != KindAll && d.Kind != kind) {
		return false
	}
	switch kind {
	case KindMessage, KindPresence, KindIQ:
		return d.Percent == 100 || rand.IntN(100) < d.Percent
	}
	return false
}
