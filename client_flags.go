package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/urfave/cli/v2"
)

// Environment variables read by the client commands.
const (
	envServer = "XMPPSANDBOX_SERVER"
	envToken  = "XMPPSANDBOX_TOKEN"
)

// defaultServer is the admin API a bare serve listens on.
const defaultServer = "http://127.0.0.1:5280"

// clientFlags returns the flags every client command shares. They are
// declared on the app too, so that they may come before the command name;
// the environment is read by nearestString rather than by the flags, so
// that a flag given on either side of the command name beats it.
func clientFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "server", Usage: "URL of the sandbox's HTTP API (env " + envServer + ", default " + defaultServer + ")"},
		&cli.StringFlag{Name: "token", Usage: "admin token sent as a bearer token (env " + envToken + ")"},
		&cli.BoolFlag{Name: "json", Usage: "print the API's JSON instead of a table"},
	}
}

// withClientFlags returns flags followed by the shared client flags.
func withClientFlags(flags ...cli.Flag) []cli.Flag {
	return append(flags, clientFlags()...)
}

// setContext returns the nearest context, from the command outwards, in
// which name was given on the command line, so that a flag after the
// command name wins over the same flag before it.
func setContext(c *cli.Context, name string) (*cli.Context, bool) {
	for _, cc := range c.Lineage() {
		if cc.IsSet(name) {
			return cc, true
		}
	}
	return nil, false
}

// nearestString returns the string flag name as the nearest command line
// gave it, else the environment variable env, else def.
func nearestString(c *cli.Context, name, env, def string) string {
	if cc, ok := setContext(c, name); ok {
		return cc.String(name)
	}
	if v, ok := os.LookupEnv(env); ok && env != "" {
		return v
	}
	return def
}

// nearestBool returns the bool flag name as the nearest command line gave it.
func nearestBool(c *cli.Context, name string) bool {
	cc, ok := setContext(c, name)
	return ok && cc.Bool(name)
}

// positionalArgs returns the command's arguments after applying any flags
// written among or after them: the standard flag parser stops at the first
// argument, but "roster add mine mine1 --name M" reads naturally. A lone
// "-" is an argument (standard input); "--" ends the flags.
func positionalArgs(c *cli.Context) ([]string, error) {
	var args []string
	rest := c.Args().Slice()
	for len(rest) > 0 {
		a := rest[0]
		rest = rest[1:]
		switch {
		case a == "--":
			return append(args, rest...), nil
		case a == "-" || !strings.HasPrefix(a, "-"):
			args = append(args, a)
		default:
			var err error
			if rest, err = applyLateFlag(c, a, rest); err != nil {
				return nil, err
			}
		}
	}
	return args, nil
}

// applyLateFlag sets the flag written as arg, taking its value from rest
// when it is not written as --name=value, and returns what is left.
func applyLateFlag(c *cli.Context, arg string, rest []string) ([]string, error) {
	name, value, hasValue := strings.Cut(strings.TrimLeft(arg, "-"), "=")
	f := commandFlag(c, name)
	if f == nil {
		return nil, fmt.Errorf("flag provided but not defined: %s", arg)
	}
	if _, isBool := f.(*cli.BoolFlag); isBool && !hasValue {
		value, hasValue = "true", true
	}
	if !hasValue {
		if len(rest) == 0 {
			return nil, fmt.Errorf("flag needs an argument: %s", arg)
		}
		value, rest = rest[0], rest[1:]
	}
	if err := c.Set(f.Names()[0], value); err != nil {
		return nil, fmt.Errorf("invalid value %q for flag %s: %v", value, arg, err)
	}
	return rest, nil
}

// commandFlag returns the running command's flag called name, if any.
func commandFlag(c *cli.Context, name string) cli.Flag {
	if c.Command == nil {
		return nil
	}
	for _, f := range c.Command.Flags {
		for _, n := range f.Names() {
			if n == name {
				return f
			}
		}
	}
	return nil
}

// noArgs refuses stray arguments, after applying any late flags.
func noArgs(c *cli.Context) error {
	args, err := positionalArgs(c)
	if err == nil && len(args) > 0 {
		err = fmt.Errorf("unexpected argument %q: this command takes flags only", args[0])
	}
	return err
}

// wantArgs checks the number of positional arguments, naming them in the
// error as the usage line does.
func wantArgs(c *cli.Context, args []string, names ...string) error {
	usage := c.Command.HelpName + " " + strings.Join(names, " ")
	switch {
	case len(args) < len(names):
		return fmt.Errorf("missing %s (usage: %s)", names[len(args)], usage)
	case len(args) > len(names):
		return fmt.Errorf("unexpected argument %q (usage: %s)", args[len(names)], usage)
	}
	return nil
}

// onUsageError reports a flag the parser refused as one line, instead of
// the help text urfave/cli prints by default.
func onUsageError(c *cli.Context, err error, _ bool) error {
	return fmt.Errorf("%v (see %s --help)", err, c.Command.HelpName)
}

// groupAction runs for a command group given no known subcommand: bare,
// it shows the group's help; with an unknown name, it says so in one line.
func groupAction(c *cli.Context) error {
	if c.NArg() == 0 {
		return cli.ShowSubcommandHelp(c)
	}
	var names []string
	for _, sub := range c.Command.Subcommands {
		if sub.Name != "help" {
			names = append(names, sub.Name)
		}
	}
	return fmt.Errorf("unknown command %q for %s: want %s", c.Args().First(), c.Command.HelpName, strings.Join(names, ", "))
}
