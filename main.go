// Command xmppsandbox is a small, exact XMPP server for people who build
// XMPP clients, bots and libraries: one command serves fixture users from
// memory, reloads them as files change, and lets a second terminal drive
// the live server.
package main

import (
	"fmt"
	"os"

	"github.com/urfave/cli/v2"
)

func main() {
	app := &cli.App{
		Name:    "xmppsandbox",
		Usage:   "an XMPP server for developing and testing XMPP clients",
		Version: version(),
		Flags:   append(serveFlags(), clientFlags()...),
		Action:  serve,
		Commands: []*cli.Command{
			serveCommand(),
			injectCommand(),
			rosterCommand(),
			sessionsCommand(),
			kickCommand(),
			tailCommand(),
			seedCommand(),
			loadCommand(),
			resetCommand(),
			expectCommand(),
			faultCommand(),
			toggleCommand(),
			simulateCommand(),
		},
		EnableBashCompletion: true,
	}
	if err := app.Run(os.Args); err != nil {
		fmt.Fprintln(os.Stderr, "xmppsandbox: "+err.Error())
		os.Exit(1)
	}
}
