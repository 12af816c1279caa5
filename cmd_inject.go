package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/urfave/cli/v2"
)

// injectCommand groups the commands that route stanzas on a user's behalf.
func injectCommand() *cli.Command {
	return &cli.Command{
		Name:   "inject",
		Usage:  "route a stanza as if a user's client had sent it",
		Action: groupAction,
		Subcommands: []*cli.Command{
			injectPresenceCommand(),
			injectMessageCommand(),
			injectRawCommand(),
		},
	}
}

// injectPresenceCommand declares inject presence.
func injectPresenceCommand() *cli.Command {
	return &cli.Command{
		Name:      "presence",
		Usage:     "send presence from a user: directed with --to, else a broadcast",
		UsageText: "xmppsandbox inject presence --from JID [--to JID] [--type T] [--show S] [--status TEXT] [--priority N]",
		Flags: withClientFlags(
			&cli.StringFlag{Name: "from", Usage: "the sender (a user name means a local user)"},
			&cli.StringFlag{Name: "to", Usage: "the addressee; without it the presence is broadcast"},
			&cli.StringFlag{Name: "type", Usage: "available (default), unavailable, subscribe, subscribed, unsubscribe or unsubscribed"},
			&cli.StringFlag{Name: "show", Usage: "away, chat, dnd or xa"},
			&cli.StringFlag{Name: "status", Usage: "status text"},
			&cli.IntFlag{Name: "priority", Usage: "priority, -128 to 127"},
		),
		OnUsageError: onUsageError,
		Action:       injectPresence,
	}
}

// presenceRequest is the body of POST /api/inject/presence.
type presenceRequest struct {
	From     string `json:"from"`
	To       string `json:"to,omitempty"`
	Type     string `json:"type,omitempty"`
	Show     string `json:"show,omitempty"`
	Status   string `json:"status,omitempty"`
	Priority *int   `json:"priority,omitempty"`
}

// injectPresence checks the flags and posts the presence.
func injectPresence(c *cli.Context) error {
	if err := noArgs(c); err != nil {
		return err
	}
	req, err := presenceFromFlags(c)
	if err != nil {
		return err
	}
	return inject(c, "/api/inject/presence", req)
}

// presenceFromFlags builds and checks the presence to inject.
func presenceFromFlags(c *cli.Context) (presenceRequest, error) {
	req := presenceRequest{From: c.String("from"), To: c.String("to"), Type: c.String("type"), Show: c.String("show"), Status: c.String("status")}
	if req.Type == "available" {
		req.Type = ""
	}
	if c.IsSet("priority") {
		p := c.Int("priority")
		req.Priority = &p
	}
	return req, checkPresence(req)
}

// checkPresence refuses what the server would refuse, before any call.
func checkPresence(req presenceRequest) error {
	if req.From == "" {
		return fmt.Errorf("missing --from")
	}
	checks := []error{
		checkJID("--from", req.From),
		checkOptionalJID("--to", req.To),
		checkOneOf("--type", req.Type, presenceTypes()...),
		checkOneOf("--show", req.Show, showValues()...),
	}
	for _, err := range checks {
		if err != nil {
			return err
		}
	}
	if req.Show != "" && req.Type != "" {
		// RFC 6121 §4.7.2.1: show qualifies an available presence only.
		return fmt.Errorf("--show goes with available presence, not --type %s", req.Type)
	}
	if req.Priority != nil {
		return checkPriority(*req.Priority)
	}
	return nil
}

// injectMessageCommand declares inject message.
func injectMessageCommand() *cli.Command {
	return &cli.Command{
		Name:      "message",
		Usage:     "send a message from a user",
		UsageText: "xmppsandbox inject message --from JID --to JID --body TEXT [--type chat|normal|headline]",
		Flags: withClientFlags(
			&cli.StringFlag{Name: "from", Usage: "the sender (a user name means a local user)"},
			&cli.StringFlag{Name: "to", Usage: "the addressee"},
			&cli.StringFlag{Name: "body", Usage: "the message text"},
			&cli.StringFlag{Name: "type", Usage: "chat, normal (default) or headline"},
		),
		OnUsageError: onUsageError,
		Action:       injectMessage,
	}
}

// messageRequest is the body of POST /api/inject/message.
type messageRequest struct {
	From string `json:"from"`
	To   string `json:"to"`
	Body string `json:"body"`
	Type string `json:"type,omitempty"`
}

// injectMessage checks the flags and posts the message.
func injectMessage(c *cli.Context) error {
	if err := noArgs(c); err != nil {
		return err
	}
	req := messageRequest{From: c.String("from"), To: c.String("to"), Body: c.String("body"), Type: c.String("type")}
	if err := checkMessage(req, c.IsSet("body")); err != nil {
		return err
	}
	return inject(c, "/api/inject/message", req)
}

// checkMessage refuses what the server would refuse, before any call.
func checkMessage(req messageRequest, hasBody bool) error {
	switch {
	case req.From == "":
		return fmt.Errorf("missing --from")
	case req.To == "":
		return fmt.Errorf("missing --to")
	case !hasBody:
		return fmt.Errorf("missing --body")
	}
	if err := checkJID("--from", req.From); err != nil {
		return err
	}
	if err := checkJID("--to", req.To); err != nil {
		return err
	}
	return checkOneOf("--type", req.Type, messageTypes()...)
}

// injectRawCommand declares inject raw.
func injectRawCommand() *cli.Command {
	return &cli.Command{
		Name:         "raw",
		Usage:        "send stanzas read from FILE or standard input, each as if its from had sent it",
		ArgsUsage:    "[FILE|-]",
		Flags:        clientFlags(),
		OnUsageError: onUsageError,
		Action:       injectRaw,
	}
}

// injectRaw reads the stanzas, checks them strictly and posts them.
func injectRaw(c *cli.Context) error {
	args, err := positionalArgs(c)
	if err != nil {
		return err
	}
	if len(args) > 1 {
		return fmt.Errorf("unexpected argument %q (usage: %s [FILE|-])", args[1], c.Command.HelpName)
	}
	text, err := readInput(args)
	if err != nil {
		return err
	}
	body, _, err := checkStanzas(text)
	if err != nil {
		return err
	}
	return inject(c, "/api/inject/raw", rawXML(body))
}

// readInput reads the named file, or standard input for "-" or nothing.
func readInput(args []string) (string, error) {
	if len(args) == 0 || args[0] == "-" {
		data, err := io.ReadAll(os.Stdin)
		if err != nil {
			return "", fmt.Errorf("cannot read standard input: %v", err)
		}
		return string(data), nil
	}
	data, err := os.ReadFile(args[0])
	var pathErr *fs.PathError
	if errors.As(err, &pathErr) {
		return "", fmt.Errorf("cannot read %s: %v", args[0], pathErr.Err)
	}
	return string(data), err
}

// inject posts a stanza to an inject endpoint and reports how many
// stanzas the server routed.
func inject(c *cli.Context, path string, req any) error {
	data, res, err := callAPI(c, "POST", path, req)
	if err != nil || res.printedJSON {
		return err
	}
	var answer struct {
		Routed int `json:"routed"`
	}
	if err := decode(data, &answer); err != nil {
		return err
	}
	res.out.line("routed %s", plural(answer.Routed, "stanza"))
	return nil
}
