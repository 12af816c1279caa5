package virtual

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/xmppsandbox/xmppsandbox/sandbox/router"
	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
)

// recorder is a Host that keeps what the contacts send.
type recorder struct {
	mu     sync.Mutex
	sent   []*stanza.Element
	closed []string
	wake   chan struct{}
}

func newRecorder() *recorder { return &recorder{wake: make(chan struct{}, 1)} }

func (r *recorder) Send(p *router.Packet) {
	r.mu.Lock()
	r.sent = append(r.sent, p.El)
	r.mu.Unlock()
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

func (r *recorder) Closed(s *router.Session) {
	r.mu.Lock()
	r.closed = append(r.closed, s.Full)
	r.mu.Unlock()
}

// shows returns the shows of the presence sent so far, "" for available.
func (r *recorder) shows() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, el := range r.sent {
		if el.Name.Local == stanza.Presence {
			out = append(out, el.ChildText("show"))
		}
	}
	return out
}

// waitShows waits until n presences were sent and returns their shows.
func (r *recorder) waitShows(t *testing.T, n int) []string {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		if s := r.shows(); len(s) >= n {
			return s[:n]
		}
		select {
		case <-r.wake:
		case <-deadline:
			t.Fatalf("only %q sent, want %d presences", r.shows(), n)
		}
	}
}

func newTestManager(t *testing.T) (*Manager, *recorder, *router.Router) {
	rec, r := newRecorder(), router.New("localhost")
	m := New("localhost", r, rec)
	t.Cleanup(m.Close)
	return m, rec, r
}

func TestCycleStartsFromTheDeclaredShow(t *testing.T) {
	m, rec, _ := newTestManager(t)
	spec := Spec{Show: "away", Cycle: Cycle{Every: 10 * time.Millisecond, Shows: []string{"", "away", "xa", "dnd"}}}
	if err := m.Set("blink", spec); err != nil {
		t.Fatal(err)
	}
	got := rec.waitShows(t, 6)
	if want := []string{"away", "xa", "dnd", "", "away", "xa"}; !slices.Equal(got, want) {
		t.Errorf("shows %q, want %q", got, want)
	}
}

func TestSetSendsOnlyWhatChanged(t *testing.T) {
	m, rec, r := newTestManager(t)
	steps := []struct {
		name  string
		spec  Spec
		sends int // presences sent in total after the step
	}{
		{"start", Spec{Show: "dnd", Status: "busy"}, 1},
		{"same again", Spec{Show: "dnd", Status: "busy"}, 1},
		{"echo only", Spec{Show: "dnd", Status: "busy", Echo: true}, 1},
		{"new status", Spec{Show: "dnd", Status: "free", Echo: true}, 2},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			m.Set("bot", st.spec)
			if n := len(rec.shows()); n != st.sends {
				t.Fatalf("%d presences sent, want %d", n, st.sends)
			}
		})
	}
	if s := r.Session("bot@localhost", Resource); s == nil {
		t.Fatal("no session registered for bot")
	}
}

func TestStopLeavesOnce(t *testing.T) {
	m, rec, r := newTestManager(t)
	m.Set("bot", Spec{})
	m.Stop("bot")
	m.Stop("bot")
	if s := r.Session("bot@localhost", Resource); s != nil {
		t.Error("the session is still registered")
	}
	if len(rec.closed) != 1 || rec.closed[0] != "bot@localhost/sandbox" {
		t.Errorf("closed %q, want bot's session once", rec.closed)
	}
}

func TestSyncStartsAndStops(t *testing.T) {
	m, rec, _ := newTestManager(t)
	m.Sync(map[string]Spec{"a": {}, "b": {}})
	m.Sync(map[string]Spec{"b": {}, "c": {}})
	if got := m.Names(); !slices.Equal(got, []string{"b", "c"}) {
		t.Errorf("running %q, want b and c", got)
	}
	if len(rec.closed) != 1 || rec.closed[0] != "a@localhost/sandbox" {
		t.Errorf("closed %q, want a's session", rec.closed)
	}
}

func TestClosedManagerStartsNothing(t *testing.T) {
	m, _, r := newTestManager(t)
	m.Set("a", Spec{})
	m.Close()
	m.Set("b", Spec{})
	if len(r.All()) != 0 || len(m.Names()) != 0 {
		t.Errorf("after Close: sessions %d, running %q", len(r.All()), m.Names())
	}
}

func TestPacerKeepsTheRate(t *testing.T) {
	tests := []struct {
		name    string
		rate    float64
		elapsed []float64 // seconds at each tick
		want    uint64    // events sent after the last tick
	}{
		{"steady ticks", 1000, []float64{0.01, 0.02, 0.03}, 30},
		{"late tick catches up", 1000, []float64{0.01, 0.05}, 50},
		{"fractional rate", 2.5, []float64{0.3, 0.5, 1.0, 1.3}, 3},
		// One event at the first tick, then only a second's worth.
		{"stall past a second forgives the backlog", 100, []float64{0.01, 5.0}, 101},
		{"zero rate", 0, []float64{1, 2}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := pacer{rate: tt.rate}
			var events uint64
			for _, e := range tt.elapsed {
				events += p.due(e)
			}
			if events != tt.want {
				t.Errorf("%d events, want %d", events, tt.want)
			}
		})
	}
}

func TestRequestCheck(t *testing.T) {
	tests := []struct {
		name string
		req  Request
		ok   bool
	}{
		{"fine", Request{Users: 10, PresenceChurn: 5, Messages: 1, To: "mine"}, true},
		{"no users", Request{To: "mine"}, false},
		{"too many", Request{Users: MaxSimUsers + 1, To: "mine"}, false},
		{"negative churn", Request{Users: 1, PresenceChurn: -1, To: "mine"}, false},
		{"huge messages", Request{Users: 1, Messages: MaxSimRate + 1, To: "mine"}, false},
		{"negative duration", Request{Users: 1, To: "mine", Duration: -time.Second}, false},
		{"no target", Request{Users: 1}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.req.Check(); (err == nil) != tt.ok {
				t.Errorf("Check() = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

func TestPresenceElement(t *testing.T) {
	tests := []struct {
		spec Spec
		show string
		want string
	}{
		{Spec{}, "", `<presence xmlns="jabber:client"/>`},
		{Spec{Status: "hi", Priority: -3}, "dnd", `<presence xmlns="jabber:client"><show>dnd</show><status>hi</status><priority>-3</priority></presence>`},
	}
	for _, tt := range tests {
		if got := tt.spec.presence(tt.show).String(); got != tt.want {
			t.Errorf("presence(%q) of %+v = %s, want %s", tt.show, tt.spec, got, tt.want)
		}
	}
}
