package sandbox_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xmppsandbox/xmppsandbox/sandbox/expect"
	"github.com/xmppsandbox/xmppsandbox/sandbox/sandboxtest"
	"github.com/xmppsandbox/xmppsandbox/sandbox/trace"
)

// strangerUsers are mine and mine1 with nothing between them; mine1 does
// not answer requests by itself.
const strangerUsers = `
domain: localhost
users:
  mine:  {password: mine}
  mine1: {password: mine1}
`

// expectAnswer is what GET /api/expect answers, either way.
type expectAnswer struct {
	trace.Event
	Error   string             `json:"error"`
	Closest []expect.Candidate `json:"closest"`
}

// getExpect calls GET /api/expect with query.
func getExpect(t *testing.T, srv *sandboxtest.Server, query url.Values) (int, expectAnswer) {
	t.Helper()
	var a expectAnswer
	code := call(t, srv, "GET", "/api/expect?"+query.Encode(), "", &a)
	return code, a
}

// subscribeFromMine1 injects mine1's request to mine and returns the
// sequence number noted before it.
func subscribeFromMine1(t *testing.T, srv *sandboxtest.Server) uint64 {
	t.Helper()
	seq := srv.TraceSeq()
	if code := call(t, srv, "POST", "/api/inject/presence", `{"from":"mine1","to":"mine","type":"subscribe"}`, nil); code != 200 {
		t.Fatalf("inject subscribe: %d", code)
	}
	return seq
}

func TestExpectAPIFindsTheClientsAnswer(t *testing.T) {
	srv := sandboxtest.Start(t, strangerUsers)
	mine := online(t, srv, "mine", "r")
	seq := subscribeFromMine1(t, srv)
	mine.Await(`<presence type='subscribe' from='mine1@localhost'/>`)
	mine.Send(`<presence type='subscribed' to='mine1@localhost'/>`)
	mine.Sync()
	tests := []struct {
		name  string
		query url.Values
		dir   string
	}{
		{"the answer", url.Values{"from": {"mine"}, "kind": {"presence"}, "type": {"subscribed"}, "since": {fmtSeq(seq)}}, "in"},
		{"the request", url.Values{"to": {"mine"}, "dir": {"out"}, "type": {"subscribe"}, "since": {fmtSeq(seq)}}, "out"},
		{"the roster push", url.Values{"dir": {"out"}, "match": {"query[@xmlns='jabber:iq:roster']/item[@jid='mine1@localhost'][@subscription='from']"}, "since": {"0"}}, "out"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, a := getExpect(t, srv, tt.query)
			if code != 200 || a.Dir != tt.dir || a.Seq <= seq || a.XML == "" {
				t.Fatalf("GET /api/expect?%s = %d %+v", tt.query.Encode(), code, a)
			}
		})
	}
}

// TestExpectActThenWait acts first and waits second, many times over, as
// a client's test suite does: with since, nothing that passed in between
// can be missed, however fast the server is.
func TestExpectActThenWait(t *testing.T) {
	srv := sandboxtest.Start(t, strangerUsers)
	mine := online(t, srv, "mine", "r")
	for i := range 50 {
		seq := srv.TraceSeq()
		id := "act" + strconv.Itoa(i)
		mine.Send(`<message to='mine1@localhost' id='` + id + `'><body>` + id + `</body></message>`)
		ctx, cancel := context.WithTimeout(context.Background(), sandboxtest.Timeout)
		e, err := srv.Expect(ctx, expect.Filter{Dir: "in", Kind: "message", Body: id}, seq)
		cancel()
		if err != nil || !strings.Contains(e.XML, id) {
			t.Fatalf("round %d: Expect = %+v, %v", i, e, err)
		}
	}
}

// TestExpectBlocksUntilItPasses starts the wait before the stanza exists.
func TestExpectBlocksUntilItPasses(t *testing.T) {
	srv := sandboxtest.Start(t, strangerUsers)
	mine := online(t, srv, "mine", "r")
	done := make(chan expectResult, 1)
	go func() { done <- fetchExpect(srv, "from=mine&body=later&timeout=5s") }()
	// The wait subscribes at some point after the request starts: send
	// until it has seen one, each send a new chance.
	deadline := time.After(sandboxtest.Timeout)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case r := <-done:
			if r.err != nil || r.code != 200 || !strings.Contains(r.a.XML, "later") {
				t.Fatalf("expect = %d %+v %v", r.code, r.a, r.err)
			}
			return
		case <-tick.C:
			mine.Send(`<message to='mine1@localhost'><body>later</body></message>`)
		case <-deadline:
			t.Fatal("the wait never returned")
		}
	}
}

func TestExpectTimesOutWithClosest(t *testing.T) {
	srv := sandboxtest.Start(t, strangerUsers)
	mine := online(t, srv, "mine", "r")
	seq := subscribeFromMine1(t, srv)
	mine.Await(`<presence type='subscribe' from='mine1@localhost'/>`)
	mine.Send(`<presence type='unsubscribed' to='mine1@localhost'/>`)
	mine.Sync()
	code, a := getExpect(t, srv, url.Values{"from": {"mine"}, "kind": {"presence"}, "type": {"subscribed"}, "timeout": {"200ms"}, "since": {fmtSeq(seq)}})
	if code != 408 || a.Error != "no matching stanza within 200ms" {
		t.Fatalf("expect = %d %q, want 408 and the timeout", code, a.Error)
	}
	if len(a.Closest) == 0 || a.Closest[0].Type != "unsubscribed" {
		t.Fatalf("closest = %+v, want the unsubscribed answer first", a.Closest)
	}
	if want := `type: got "unsubscribed", want "subscribed"`; len(a.Closest[0].Missed) != 1 || a.Closest[0].Missed[0] != want {
		t.Fatalf("missed = %q, want %q", a.Closest[0].Missed, want)
	}
	if len(a.Closest) > expect.MaxClosest {
		t.Fatalf("%d closest, want at most %d", len(a.Closest), expect.MaxClosest)
	}
}

func TestExpectTimesOutWithNothing(t *testing.T) {
	srv := sandboxtest.Start(t, strangerUsers)
	code, a := getExpect(t, srv, url.Values{"kind": {"message"}, "timeout": {"50ms"}})
	if code != 408 || a.Closest == nil || len(a.Closest) != 0 {
		t.Fatalf("expect = %d %+v, want 408 and an empty closest list", code, a)
	}
}

func TestExpectRefusesBadQueries(t *testing.T) {
	srv := sandboxtest.Start(t, strangerUsers)
	tests := []struct{ query, want string }{
		{"dir=up", `dir must be in (from a client) or out (to a client), not "up"`},
		{"from=a@b@c", `malformed JID "a@b@c" for from`},
		{"match=a//b", `bad path "a//b" at character 3`},
		{"timeout=forever", `timeout "forever" is not a duration`},
		{"since=last", `since must be a sequence number`},
		{"frm=mine", `unknown parameter "frm"`},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			var a expectAnswer
			code := call(t, srv, "GET", "/api/expect?"+tt.query, "", &a)
			if code != 400 || !strings.HasPrefix(a.Error, tt.want) {
				t.Fatalf("expect?%s = %d %q, want 400 %q", tt.query, code, a.Error, tt.want)
			}
		})
	}
}

func TestExpectGoAPI(t *testing.T) {
	srv := sandboxtest.Start(t, strangerUsers)
	if _, err := srv.Expect(context.Background(), expect.Filter{Kind: "no good"}, 0); err == nil {
		t.Fatal("a bad filter was accepted")
	}
	online(t, srv, "mine", "r")
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := srv.Expect(ctx, expect.Filter{From: "mine", Kind: "presence", Type: "subscribed"}, 0)
	var nm *expect.NoMatchError
	if !errors.As(err, &nm) || !errors.Is(err, context.DeadlineExceeded) || len(nm.Closest) == 0 {
		t.Fatalf("Expect = %v, want a timeout with mine's own presence among the closest", err)
	}
}

func TestTraceSeqAPI(t *testing.T) {
	srv := sandboxtest.Start(t, strangerUsers)
	online(t, srv, "mine", "r")
	var got struct{ Seq uint64 }
	if code := call(t, srv, "GET", "/api/trace/seq", "", &got); code != 200 || got.Seq == 0 || got.Seq != srv.TraceSeq() {
		t.Fatalf("trace/seq = %d %d, want %d", code, got.Seq, srv.TraceSeq())
	}
}

// expectResult is how a call of GET /api/expect from another goroutine
// ended.
type expectResult struct {
	code int
	a    expectAnswer
	err  error
}

// fetchExpect is getExpect for a goroutine, which must not end the test.
func fetchExpect(srv *sandboxtest.Server, query string) expectResult {
	res, err := http.Get("http://" + srv.HTTPAddr() + "/api/expect?" + query)
	if err != nil {
		return expectResult{err: err}
	}
	defer res.Body.Close()
	var a expectAnswer
	err = json.NewDecoder(res.Body).Decode(&a)
	return expectResult{code: res.StatusCode, a: a, err: err}
}

func fmtSeq(seq uint64) string { return strconv.FormatUint(seq, 10) }

// TestDenyingAStrangerLeavesNoRosterItem denies a request from a contact
// the user never added. The request lived in a hidden item (listed by no
// roster get), which the denial must remove, as ejabberd does, rather
// than leave behind as a visible item with subscription none that the
// user never added (RFC 6121 §3.2.2: the denial ends the pending request
// and nothing else).
func TestDenyingAStrangerLeavesNoRosterItem(t *testing.T) {
	srv := sandboxtest.Start(t, strangerUsers)
	mine := online(t, srv, "mine", "r")
	subscribeFromMine1(t, srv)
	mine.Await(`<presence type='subscribe' from='mine1@localhost'/>`)
	rosterShows(t, mine, "mine1@localhost", "", "")
	mine.Send(`<presence type='unsubscribed' to='mine1@localhost'/>`)
	mine.Sync()
	rosterShows(t, mine, "mine1@localhost", "", "")
	var roster struct{ Items []struct{ JID string } }
	call(t, srv, "GET", "/api/rosters/mine", "", &roster)
	if len(roster.Items) != 0 {
		t.Errorf("mine's roster after denying mine1: %+v, want no items", roster.Items)
	}
}
