package main

import "github.com/urfave/cli/v2"

// kickCommand declares kick.
func kickCommand() *cli.Command {
	return &cli.Command{
		Name:         "kick",
		Usage:        "end a session, or every session of a bare JID",
		ArgsUsage:    "JID",
		Flags:        clientFlags(),
		OnUsageError: onUsageError,
		Action:       kick,
	}
}

// kick ends one session, or all of a bare JID's.
func kick(c *cli.Context) error {
	args, err := positionalArgs(c)
	if err == nil {
		err = wantArgs(c, args, "JID")
	}
	if err == nil {
		err = checkJID("JID", args[0])
	}
	if err != nil {
		return err
	}
	data, res, err := callAPI(c, "POST", "/api/kick", map[string]string{"jid": args[0]})
	if err != nil || res.printedJSON {
		return err
	}
	var answer struct {
		Kicked int `json:"kicked"`
	}
	if err := decode(data, &answer); err != nil {
		return err
	}
	res.out.line("kicked %s of %s", plural(answer.Kicked, "session"), args[0])
	return nil
}
