package main

import "github.com/urfave/cli/v2"

// resetCommand declares reset.
func resetCommand() *cli.Command {
	return &cli.Command{
		Name:         "reset",
		Usage:        "put the server back to exactly its fixtures (between the tests of a suite)",
		Flags:        withClientFlags(&cli.BoolFlag{Name: "keep-sessions", Usage: "keep connections; push the rosters back instead of closing them"}),
		OnUsageError: onUsageError,
		Action:       reset,
	}
}

// reset drops every runtime change: sessions, roster changes, offline
// messages and pending requests.
func reset(c *cli.Context) error {
	args, err := positionalArgs(c)
	if err == nil {
		err = wantArgs(c, args)
	}
	if err != nil {
		return err
	}
	keep := nearestBool(c, "keep-sessions")
	data, res, err := callAPI(c, "POST", "/api/reset", map[string]bool{"keep_sessions": keep})
	if err != nil || res.printedJSON {
		return err
	}
	var answer struct {
		TookMS int64 `json:"took_ms"`
	}
	if err := decode(data, &answer); err != nil {
		return err
	}
	if keep {
		res.out.line("reset to the fixtures in %d ms, sessions kept", answer.TookMS)
	} else {
		res.out.line("reset to the fixtures in %d ms", answer.TookMS)
	}
	return nil
}
