package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"
)

// tailCommand declares tail.
func tailCommand() *cli.Command {
	return &cli.Command{
		Name:         "tail",
		Usage:        "print stanzas as the server receives and sends them, until interrupted",
		Flags:        withClientFlags(&cli.StringFlag{Name: "jid", Usage: "only stanzas from, to or of sessions of this JID"}),
		OnUsageError: onUsageError,
		Action:       tail,
	}
}

// traceEvent is one stanza of GET /api/trace.
type traceEvent struct {
	Seq     int64  `json:"seq"`
	Time    string `json:"time"`
	Dir     string `json:"dir"`
	Session string `json:"session"`
	XML     string `json:"xml"`
}

// tail follows the trace stream until interrupted.
func tail(c *cli.Context) error {
	if err := noArgs(c); err != nil {
		return err
	}
	filter := c.String("jid")
	if err := checkOptionalJID("--jid", filter); err != nil {
		return err
	}
	api, err := newAPIClient(c)
	if err != nil {
		return err
	}
	query := url.Values{}
	if filter != "" {
		query.Set("jid", filter)
	}
	return follow(c.Context, api, query, eventPrinter(stdout(), nearestBool(c, "json")))
}

// follow reads the trace stream into show until SIGINT or SIGTERM, which
// is how tail is meant to end: it then returns nil, and the exit status
// is 0. The stream ending otherwise is an error.
func follow(ctx context.Context, api *apiClient, query url.Values, show func(string) error) error {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	res, err := api.send(ctx, "GET", "/api/trace", query, nil, "")
	if err != nil {
		return interrupted(ctx.Err(), err)
	}
	defer res.Body.Close()
	err = readEvents(res.Body, show)
	if err == nil {
		err = errors.New("the sandbox closed the trace stream")
	}
	return interrupted(ctx.Err(), err)
}

// interrupted returns nil once the context is cancelled by a signal, and
// err otherwise.
func interrupted(ctxErr, err error) error {
	if ctxErr != nil {
		return nil
	}
	return err
}

// eventPrinter returns the function that prints one event's data: as it
// came with --json (one JSON object a line), else as a block of a header
// line and the indented XML.
func eventPrinter(out *output, asJSON bool) func(data string) error {
	return func(data string) error {
		if asJSON {
			fmt.Fprintln(out.w, data)
			return nil
		}
		var ev traceEvent
		if err := json.Unmarshal([]byte(data), &ev); err != nil {
			return fmt.Errorf("unexpected trace event: %v: %s", err, oneLine(data, 200))
		}
		printEvent(out, ev)
		return nil
	}
}

// printEvent prints the header line, time, direction and session, then
// the stanza. C→S is what a client sent, S→C what the server sent it.
func printEvent(out *output, ev traceEvent) {
	arrow, style := "C→S", styleCyan
	if ev.Dir == "out" {
		arrow, style = "S→C", styleGreen
	}
	header := fmt.Sprintf("%s %s %s", clock(ev.Time), arrow, orDash(ev.Session))
	fmt.Fprintf(out.w, "%s\n%s\n\n", out.style(style, header), prettyXML(ev.XML))
}

// clock shows an RFC 3339 time as local wall-clock time to the
// millisecond; anything else is shown as it came.
func clock(stamp string) string {
	t, err := time.Parse(time.RFC3339Nano, stamp)
	if err != nil {
		return stamp
	}
	return t.Local().Format("15:04:05.000")
}
