package main

import (
	"strconv"

	"github.com/urfave/cli/v2"
)

// sessionsCommand declares sessions.
func sessionsCommand() *cli.Command {
	return &cli.Command{
		Name:         "sessions",
		Usage:        "list the online resources, one a line",
		Flags:        clientFlags(),
		OnUsageError: onUsageError,
		Action:       sessions,
	}
}

// session is a bound resource as the API shows it.
type session struct {
	JID        string `json:"jid"`
	Available  bool   `json:"available"`
	Priority   int    `json:"priority"`
	Show       string `json:"show"`
	Status     string `json:"status"`
	Interested bool   `json:"interested"`
}

// sessions prints the bound resources.
func sessions(c *cli.Context) error {
	if err := noArgs(c); err != nil {
		return err
	}
	data, res, err := callAPI(c, "GET", "/api/sessions", nil)
	if err != nil || res.printedJSON {
		return err
	}
	var list []session
	if err := decode(data, &list); err != nil {
		return err
	}
	printSessions(res.out, list)
	return nil
}

// printSessions prints one resource a line; those that have not sent
// initial presence yet are dimmed.
func printSessions(out *output, list []session) {
	if len(list) == 0 {
		out.line("no sessions")
		return
	}
	t := &table{header: []string{"JID", "PRESENCE", "PRIORITY", "STATUS", "ROSTER"}}
	for _, s := range list {
		style := ""
		if !s.Available {
			style = styleDim
		}
		t.add(style, s.JID, presenceText(s), strconv.Itoa(s.Priority), orDash(s.Status), interestText(s.Interested))
	}
	t.print(out)
}

// presenceText shows a session's availability as a client would.
func presenceText(s session) string {
	switch {
	case !s.Available:
		return "unavailable"
	case s.Show != "":
		return s.Show
	}
	return "available"
}

// interestText says whether the session gets roster pushes: only those
// that requested the roster do (RFC 6121 §2.1.6).
func interestText(interested bool) string {
	if interested {
		return "fetched"
	}
	return "-"
}
