package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/xmppsandbox/xmppsandbox/sandbox/expect"
)

// expectCommand declares expect.
func expectCommand() *cli.Command {
	return &cli.Command{
		Name:  "expect",
		Usage: "wait for a stanza that matches, print it, or fail after --timeout",
		Description: "Prints the first stanza crossing a client connection that matches every flag given.\n" +
			"To act first and wait second without missing anything, note the sequence number:\n\n" +
			"   seq=$(xmppsandbox expect --seq)\n" +
			"   xmppsandbox inject presence --from mine1 --to mine --type subscribe\n" +
			"   xmppsandbox expect --since $seq --from mine --kind presence --type subscribed",
		Flags:        withClientFlags(expectFlags()...),
		OnUsageError: onUsageError,
		Action:       expectStanza,
	}
}

// expectFlags returns the filter flags and those of the wait.
func expectFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "dir", Usage: "in (sent by a client) or out (sent to a client)"},
		&cli.StringFlag{Name: "from", Usage: "sender; a bare JID also matches its resources, a name without @ is a local user"},
		&cli.StringFlag{Name: "to", Usage: "recipient, as --from"},
		&cli.StringFlag{Name: "kind", Usage: "element name: message, presence, iq, …"},
		&cli.StringFlag{Name: "type", Usage: "type attribute (available and normal match a stanza without one)"},
		&cli.StringFlag{Name: "match", Usage: "path into the stanza, e.g. query[@xmlns='jabber:iq:roster']/item[@subscription='both']"},
		&cli.StringFlag{Name: "body", Usage: "exact text of a <body/>"},
		&cli.StringFlag{Name: "timeout", Value: expect.DefaultTimeout.String(), Usage: "how long to wait"},
		&cli.StringFlag{Name: "since", Value: "now", Usage: "also match stanzas kept after this sequence number; all: every kept one; now: only new ones"},
		&cli.BoolFlag{Name: "seq", Usage: "print the current sequence number, for a later --since, and exit"},
	}
}

// expectStanza runs expect: --seq, or the wait.
func expectStanza(c *cli.Context) error {
	if err := noArgs(c); err != nil {
		return err
	}
	if c.Bool("seq") {
		return printSeq(c)
	}
	req, err := expectRequest(c)
	if err != nil {
		return err
	}
	api, err := newAPIClient(c)
	if err != nil {
		return err
	}
	// The server ends the wait; the margin lets its answer arrive.
	ctx, cancel := context.WithTimeout(c.Context, req.Timeout+requestTimeout)
	defer cancel()
	status, data, err := getExpect(ctx, api, req.Query())
	if err != nil {
		return err
	}
	return showExpected(stdout(), status, data, nearestBool(c, "json"))
}

// printSeq prints the number of the newest traced stanza.
func printSeq(c *cli.Context) error {
	for _, f := range expectFlags() {
		if name := f.Names()[0]; name != "seq" && c.IsSet(name) {
			return fmt.Errorf("--seq takes no other flag than --server, --token and --json, not --%s", name)
		}
	}
	data, res, err := callAPI(c, "GET", "/api/trace/seq", nil)
	if err != nil || res.printedJSON {
		return err
	}
	var answer struct {
		Seq uint64 `json:"seq"`
	}
	if err := decode(data, &answer); err != nil {
		return err
	}
	res.out.line("%d", answer.Seq)
	return nil
}

// expectRequest checks the flags, as the server would, so that a mistake
// is reported before any wait.
func expectRequest(c *cli.Context) (expect.Request, error) {
	f := expect.Filter{
		Dir: c.String("dir"), From: c.String("from"), To: c.String("to"), Kind: c.String("kind"),
		Type: c.String("type"), Match: c.String("match"), Body: c.String("body"),
	}
	if err := checkFilter(f); err != nil {
		return expect.Request{}, err
	}
	timeout, err := expect.ParseTimeout(c.String("timeout"))
	if err != nil {
		return expect.Request{}, fmt.Errorf("--%v", err)
	}
	since, err := parseSince(c.String("since"))
	if err != nil {
		return expect.Request{}, err
	}
	return expect.Request{Filter: f, Timeout: timeout, Since: since}, nil
}

// checkFilter checks the flags that name addresses and paths.
func checkFilter(f expect.Filter) error {
	if err := checkOneOf("--dir", f.Dir, "in", "out"); err != nil {
		return err
	}
	if err := checkOptionalJID("--from", f.From); err != nil {
		return err
	}
	if err := checkOptionalJID("--to", f.To); err != nil {
		return err
	}
	if f.Match != "" {
		if _, err := expect.ParsePath(f.Match); err != nil {
			return fmt.Errorf("--match: %v", err)
		}
	}
	return nil
}

// parseSince reads --since: a sequence number, all or now.
func parseSince(s string) (uint64, error) {
	switch s {
	case "", "now":
		return expect.Now, nil
	case "all":
		return 0, nil
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("--since %q: want a sequence number (from expect --seq), all or now", s)
	}
	return n, nil
}

// getExpect makes the waiting call. Both its answers, 200 with the event
// and 408 with the closest candidates, are returned; anything else is
// the error to print.
func getExpect(ctx context.Context, api *apiClient, query url.Values) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", api.endpoint("/api/expect", query), nil)
	if err != nil {
		return 0, nil, err
	}
	if api.token != "" {
		req.Header.Set("Authorization", "Bearer "+api.token)
	}
	res, err := api.http.Do(req)
	if err != nil {
		return 0, nil, &unreachableError{server: api.base.String(), cause: err}
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK && res.StatusCode != http.StatusRequestTimeout {
		return 0, nil, refusal(res)
	}
	data, err := io.ReadAll(res.Body)
	if err != nil {
		return 0, nil, &unreachableError{server: api.base.String(), cause: err}
	}
	return res.StatusCode, data, nil
}

// expectedEvent is the part of a trace event that expect prints, and of
// a candidate, what it missed.
type expectedEvent struct {
	Seq     uint64   `json:"seq"`
	Dir     string   `json:"dir"`
	Session string   `json:"session"`
	XML     string   `json:"xml"`
	Missed  []string `json:"missed"`
}

// showExpected prints the matching stanza, or returns the failure with
// its closest candidates; with asJSON the answer is printed either way.
func showExpected(out *output, status int, data []byte, asJSON bool) error {
	if asJSON {
		out.json(data)
	}
	if status == http.StatusOK {
		var ev expectedEvent
		if err := decode(data, &ev); err != nil {
			return err
		}
		if !asJSON {
			out.line("%s", prettyXML(ev.XML))
		}
		return nil
	}
	var answer struct {
		Error   string          `json:"error"`
		Closest []expectedEvent `json:"closest"`
	}
	if err := decode(data, &answer); err != nil {
		return err
	}
	return errors.New(noMatchText(answer.Error, answer.Closest))
}

// noMatchText is the failure's line, then each candidate indented: its
// number, direction and session with what it missed, and its XML.
func noMatchText(msg string, closest []expectedEvent) string {
	if len(closest) == 0 {
		return msg
	}
	var b strings.Builder
	b.WriteString(msg + "; closest:")
	for _, ev := range closest {
		arrow := "C→S"
		if ev.Dir == "out" {
			arrow = "S→C"
		}
		fmt.Fprintf(&b, "\n  #%d %s %s: %s", ev.Seq, arrow, orDash(ev.Session), strings.Join(ev.Missed, "; "))
		fmt.Fprintf(&b, "\n    %s", oneLine(ev.XML, 300))
	}
	return b.String()
}
