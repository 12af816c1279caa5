package fault

import (
	"strings"
	"testing"
	"time"
)

func ptr[T any](v T) *T { return &v }

func TestApplyValidates(t *testing.T) {
	tests := []struct {
		name  string
		patch Patch
		says  string // "" when the patch is valid
	}{
		{"fixed delay", Patch{Delay: &Delay{Min: time.Second}}, ""},
		{"delay range", Patch{Delay: &Delay{Min: time.Millisecond, Max: time.Second}}, ""},
		{"negative delay", Patch{Delay: &Delay{Min: -time.Second}}, "negative"},
		{"inverted range", Patch{Delay: &Delay{Min: 2 * time.Second, Max: time.Second}}, "below its minimum"},
		{"drop", Patch{Drop: &Drop{Percent: 30, Kind: KindMessage}}, ""},
		{"drop over 100", Patch{Drop: &Drop{Percent: 101}}, "between 0 and 100"},
		{"drop of an unknown kind", Patch{Drop: &Drop{Percent: 5, Kind: "stream"}}, "message, presence, iq or all"},
		{"iq error", Patch{IQError: &IQError{NS: "jabber:iq:roster", Condition: "internal-server-error"}}, ""},
		{"iq error without namespace", Patch{IQError: &IQError{Condition: "forbidden"}}, "namespace"},
		{"iq error with a stream condition", Patch{IQError: &IQError{NS: "x", Condition: "host-unknown"}}, "§8.3.3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Fault{}.Apply(tt.patch)
			switch {
			case tt.says == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tt.says != "" && (err == nil || !strings.Contains(err.Error(), tt.says)):
				t.Fatalf("error %v, want one saying %q", err, tt.says)
			}
		})
	}
}

func TestApplyMergesParts(t *testing.T) {
	f, _ := Fault{}.Apply(Patch{Delay: &Delay{Min: time.Second}})
	f, _ = f.Apply(Patch{Drop: &Drop{Percent: 50}})
	f, _ = f.Apply(Patch{IQError: &IQError{NS: "a", Condition: "forbidden"}})
	g, _ := f.Apply(Patch{IQError: &IQError{NS: "b", Condition: "conflict"}, NoPingReply: ptr(true)})
	if g.Delay.Min != time.Second || g.Drop != (Drop{50, KindAll}) || !g.NoPingReply {
		t.Fatalf("parts were lost: %+v", g)
	}
	if len(g.IQErrors) != 2 || len(f.IQErrors) != 1 {
		t.Fatalf("iq errors: before %v, after %v; want the earlier fault left alone", f.IQErrors, g.IQErrors)
	}
	if off, _ := g.Apply(Patch{Delay: &Delay{}, Drop: &Drop{}, NoPingReply: ptr(false)}); len(off.IQErrors) != 2 || off.Delay != (Delay{}) || off.Drop.Percent != 0 {
		t.Fatalf("switching parts off: %+v", off)
	}
}

func TestRegistryLookupMergesBareAndFull(t *testing.T) {
	var r Registry
	if _, ok := r.Lookup("a@x", "a@x/r"); ok {
		t.Fatal("an empty registry has a fault")
	}
	r.Set("a@x", Patch{Delay: &Delay{Min: time.Second}, IQError: &IQError{NS: "n1", Condition: "forbidden"}})
	r.Set("a@x/phone", Patch{Delay: &Delay{Min: time.Minute}, IQError: &IQError{NS: "n2", Condition: "conflict"}})
	tests := []struct {
		full  string
		delay time.Duration
		iqs   int
	}{
		{"a@x/laptop", time.Second, 1},
		{"a@x/phone", time.Minute, 2},
	}
	for _, tt := range tests {
		f, ok := r.Lookup("a@x", tt.full)
		if !ok || f.Delay.Min != tt.delay || len(f.IQErrors) != tt.iqs {
			t.Errorf("%s: %+v, %v; want delay %s and %d iq errors", tt.full, f, ok, tt.delay, tt.iqs)
		}
	}
	if _, ok := r.Lookup("b@x", "b@x/r"); ok {
		t.Error("another user has a fault")
	}
}

func TestRegistryClear(t *testing.T) {
	var r Registry
	for _, j := range []string{"a@x", "a@x/1", "a@x/2", "ab@x", "b@x/1"} {
		r.Set(j, Patch{NoPingReply: ptr(true)})
	}
	if n := r.Clear("a@x/1"); n != 1 {
		t.Errorf("clearing a full JID removed %d", n)
	}
	if n := r.Clear("a@x"); n != 2 {
		t.Errorf("clearing a bare JID removed %d, want it and its remaining resource", n)
	}
	var left []string
	for _, e := range r.List() {
		left = append(left, e.JID)
	}
	if strings.Join(left, " ") != "ab@x b@x/1" {
		t.Errorf("left %q", left)
	}
	r.Set("ab@x", Patch{NoPingReply: ptr(false)})
	r.Reset()
	if r.faults.Load() != nil {
		t.Error("an emptied registry still has a map to look through")
	}
}

func TestRegistryDropsAFaultThatDoesNothing(t *testing.T) {
	var r Registry
	r.Set("a@x", Patch{Drop: &Drop{Percent: 10}})
	r.Set("a@x", Patch{Drop: &Drop{Percent: 0}})
	if len(r.List()) != 0 || r.faults.Load() != nil {
		t.Fatalf("a fault injecting nothing is kept: %+v", r.List())
	}
}

func TestOutgoingDropsByKind(t *testing.T) {
	var r Registry
	r.Set("a@x", Patch{Drop: &Drop{Percent: 100, Kind: KindMessage}})
	for kind, want := range map[string]bool{KindMessage: true, KindPresence: false, KindIQ: false, "error": false} {
		if _, drop := r.Outgoing("a@x", "a@x/r", kind); drop != want {
			t.Errorf("%s dropped = %v, want %v", kind, drop, want)
		}
	}
	r.Set("a@x", Patch{Drop: &Drop{Percent: 100, Kind: KindAll}})
	for _, kind := range []string{KindMessage, KindPresence, KindIQ} {
		if _, drop := r.Outgoing("a@x", "a@x/r", kind); !drop {
			t.Errorf("all: %s kept", kind)
		}
	}
}

func TestOutgoingDropsAboutThePercentage(t *testing.T) {
	var r Registry
	r.Set("a@x", Patch{Drop: &Drop{Percent: 50, Kind: KindMessage}})
	dropped := 0
	const n = 2000
	for range n {
		if _, drop := r.Outgoing("a@x", "a@x/r", KindMessage); drop {
			dropped++
		}
	}
	// Binomial(2000, 0.5) stays within 40–60% but for odds far below one
	// in a billion.
	if dropped < n*4/10 || dropped > n*6/10 {
		t.Fatalf("dropped %d of %d at 50%%", dropped, n)
	}
}

func TestOutgoingDelays(t *testing.T) {
	tests := []struct {
		name     string
		delay    Delay
		min, max time.Duration
	}{
		{"fixed", Delay{Min: 300 * time.Millisecond}, 300 * time.Millisecond, 300 * time.Millisecond},
		{"range", Delay{Min: 100 * time.Millisecond, Max: 200 * time.Millisecond}, 100 * time.Millisecond, 200 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r Registry
			r.Set("a@x/r", Patch{Delay: &tt.delay})
			for range 50 {
				before := time.Now()
				due, drop := r.Outgoing("a@x", "a@x/r", KindIQ)
				after := time.Now()
				if drop || due.Before(before.Add(tt.min)) || due.After(after.Add(tt.max)) {
					t.Fatalf("due in %s (dropped %v), want within [%s, %s]", due.Sub(before), drop, tt.min, tt.max)
				}
			}
			if due, _ := r.Outgoing("a@x", "a@x/other", KindIQ); !due.IsZero() {
				t.Error("another resource of the user is delayed")
			}
		})
	}
}

func TestNilRegistryInjectsNothing(t *testing.T) {
	var r *Registry
	if due, drop := r.Outgoing("a@x", "a@x/r", KindMessage); drop || !due.IsZero() {
		t.Fatal("a nil registry injected a fault")
	}
}
