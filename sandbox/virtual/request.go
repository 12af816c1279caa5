package virtual

import (
	"errors"
	"fmt"
	"time"
)

// Limits of a simulation: far beyond what a client under test meets,
// low enough that a typo cannot exhaust the machine.
const (
	MaxSimUsers = 50000
	MaxSimRate  = 100000 // events a second
)

// Request asks for a simulation: Users virtual users with a mutual
// subscription with To, changing presence and sending messages at the
// given rates.
type Request struct {
	Users         int           `json:"users"`
	PresenceChurn float64       `json:"presence_churn"` // presence changes a second
	Messages      float64       `json:"messages"`       // messages a second to To
	To            string        `json:"to"`             // a local user: localpart or bare JID
	Duration      time.Duration `json:"-"`              // 0 runs until stopped
}

// Check reports what is wrong with r, if anything.
func (r Request) Check() error {
	switch {
	case r.Users < 1 || r.Users > MaxSimUsers:
		return fmt.Errorf("users must be from 1 to %d, not %d", MaxSimUsers, r.Users)
	case !validRate(r.PresenceChurn):
		return fmt.Errorf("presence_churn must be from 0 to %d a second, not %g", MaxSimRate, r.PresenceChurn)
	case !validRate(r.Messages):
		return fmt.Errorf("messages must be from 0 to %d a second, not %g", MaxSimRate, r.Messages)
	case r.Duration < 0:
		return fmt.Errorf("duration must not be negative, not %s", r.Duration)
	case r.To == "":
		return errors.New("to is required: the local user the simulated users are contacts of")
	}
	return nil
}

// validRate reports whether rate is a usable events-a-second figure; the
// comparisons are false for NaN.
func validRate(rate float64) bool { return rate >= 0 && rate <= MaxSimRate }

// Status is how a simulation is going, or how the last one went.
type Status struct {
	Running       bool      `json:"running"`
	Users         int       `json:"users"`
	To            string    `json:"to,omitempty"`
	PresenceChurn float64   `json:"presence_churn"`
	Messages      float64   `json:"messages"`
	Duration      string    `json:"duration,omitempty"`
	Started       time.Time `json:"started,omitzero"`
	Setup         string    `json:"setup,omitempty"`   // creating the users and bringing them online
	Elapsed       string    `json:"elapsed,omitempty"` // since the traffic started
	PresencesSent uint64    `json:"presences_sent"`
	MessagesSent  uint64    `json:"messages_sent"`
}
