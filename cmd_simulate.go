package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/xmppsandbox/xmppsandbox/sandbox/virtual"
)

// simulatePoll is how often simulate asks whether the simulation ended.
const simulatePoll = 250 * time.Millisecond

// simulateCommand declares simulate.
func simulateCommand() *cli.Command {
	return &cli.Command{
		Name:      "simulate",
		Usage:     "make a user's roster crowded and busy: virtual contacts that change presence and send messages",
		UsageText: "xmppsandbox simulate --users N --to USER [--presence-churn R/s] [--messages R/s] [--duration D]",
		Flags: withClientFlags(
			&cli.IntFlag{Name: "users", Usage: "how many simulated users, sim1 … simN, each a contact of --to with subscription both"},
			&cli.StringFlag{Name: "to", Usage: "the local user whose contacts they become"},
			&cli.StringFlag{Name: "presence-churn", Value: "0/s", Usage: "presence changes a second, each by a random simulated user"},
			&cli.StringFlag{Name: "messages", Value: "0/s", Usage: "chat messages a second to --to, each from a random simulated user"},
			&cli.DurationFlag{Name: "duration", Usage: "stop after this long (default: when interrupted)"},
		),
		OnUsageError: onUsageError,
		Action:       simulate,
	}
}

// simulate starts a simulation, waits for its end or for an interrupt,
// which stops it, and reports what it sent.
func simulate(c *cli.Context) error {
	if err := noArgs(c); err != nil {
		return err
	}
	req, err := simulationFromFlags(c)
	if err != nil {
		return err
	}
	api, err := newAPIClient(c)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(c.Context, os.Interrupt, syscall.SIGTERM)
	defer stop()
	var started virtual.Status
	if err := callInto(c.Context, api, "POST", "/api/simulate", req, &started); err != nil {
		return err
	}
	out, asJSON := stdout(), nearestBool(c, "json")
	if !asJSON {
		out.line("%s online as contacts of %s (set up in %s); %s", plural(started.Users, "simulated user"), started.To, started.Setup, untilWhat(req))
	}
	final, err := awaitSimulation(ctx, api, started)
	if err != nil {
		return err
	}
	printSimulation(out, asJSON, final)
	return nil
}

// simulateRequest is the body of POST /api/simulate.
type simulateRequest struct {
	Users         int     `json:"users"`
	PresenceChurn float64 `json:"presence_churn"`
	Messages      float64 `json:"messages"`
	To            string  `json:"to"`
	Duration      string  `json:"duration,omitempty"`
}

// simulationFromFlags builds and checks the request.
func simulationFromFlags(c *cli.Context) (simulateRequest, error) {
	req := simulateRequest{Users: c.Int("users"), To: c.String("to")}
	var err error
	if req.PresenceChurn, err = parseRate("--presence-churn", c.String("presence-churn")); err != nil {
		return req, err
	}
	if req.Messages, err = parseRate("--messages", c.String("messages")); err != nil {
		return req, err
	}
	switch d := c.Duration("duration"); {
	case d < 0:
		return req, fmt.Errorf("--duration must not be negative, not %s", d)
	case d > 0:
		req.Duration = d.String()
	}
	switch {
	case req.Users < 1:
		return req, fmt.Errorf("--users must be at least 1 (see %s --help)", c.Command.HelpName)
	case req.To == "":
		return req, fmt.Errorf("--to is required: the user whose contacts the simulated users become (see %s --help)", c.Command.HelpName)
	}
	return req, nil
}

// parseRate reads an events-a-second figure written "1000/s" or "1000".
func parseRate(flag, text string) (float64, error) {
	n, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(text), "/s"), 64)
	if err != nil || !(n >= 0 && n <= virtual.MaxSimRate) { // false for NaN too
		return 0, fmt.Errorf("%s wants a rate from 0/s to %d/s such as 100/s, not %q", flag, virtual.MaxSimRate, text)
	}
	return n, nil
}

// untilWhat says how the simulation will end.
func untilWhat(req simulateRequest) string {
	if req.Duration != "" {
		return "running for " + req.Duration + " (Ctrl-C stops it sooner)"
	}
	return "running until Ctrl-C"
}

// awaitSimulation waits until the server ends the simulation or ctx is
// cancelled (an interrupt), which stops it, and returns how it went.
func awaitSimulation(ctx context.Context, api *apiClient, started virtual.Status) (virtual.Status, error) {
	tick := time.NewTicker(simulatePoll)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return stopSimulation(api)
		case <-tick.C:
		}
		var st virtual.Status
		if err := callInto(ctx, api, "GET", "/api/simulate", nil, &st); err != nil {
			if ctx.Err() != nil {
				return stopSimulation(api)
			}
			return st, err
		}
		if !st.Running || !st.Started.Equal(started.Started) {
			return st, nil
		}
	}
}

// stopSimulation stops the running simulation; if it ended meanwhile,
// it reports how that one went.
func stopSimulation(api *apiClient) (virtual.Status, error) {
	ctx := context.Background()
	var st virtual.Status
	if err := callInto(ctx, api, "DELETE", "/api/simulate", nil, &st); err == nil {
		return st, nil
	}
	err := callInto(ctx, api, "GET", "/api/simulate", nil, &st)
	return st, err
}

// callInto makes one API call and decodes its answer into out.
func callInto(ctx context.Context, api *apiClient, method, path string, in, out any) error {
	data, err := api.call(ctx, method, path, in)
	if err != nil {
		return err
	}
	return decode(data, out)
}

// printSimulation reports how a simulation went.
func printSimulation(out *output, asJSON bool, st virtual.Status) {
	if asJSON {
		data, _ := json.Marshal(st)
		out.json(data)
		return
	}
	out.line("stopped after %s: %s and %s sent; the %s were removed", st.Elapsed,
		plural(int(st.PresencesSent), "presence change"), plural(int(st.MessagesSent), "message"), plural(st.Users, "simulated user"))
}
