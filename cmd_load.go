package main

import (
	"errors"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/xmppsandbox/xmppsandbox/sandbox/load"
)

// loadCommand declares load: scenarios that measure any XMPP server from
// the outside, and the tools around them.
func loadCommand() *cli.Command {
	return &cli.Command{
		Name:  "load",
		Usage: "measure an XMPP server (this one or any other) under load",
		Description: "Every scenario logs in with SASL PLAIN over plain TCP and prints a table,\n" +
			"or with --json one JSON line, with the CPU the load generator itself used.",
		Subcommands: []*cli.Command{
			loadScenario("ready", "time from starting --exec to the first successful login, --repeat times", readyFlags(), runReady),
			loadScenario("login", "--logins full logins (stream, SASL, bind, roster, presence), --parallel at once", loginFlags(), runLogin),
			loadScenario("msg", "--pairs senders each send --messages messages to a receiver; --window 0 sends all at once", msgFlags(), runMsg),
			loadScenario("fanout", "--hub changes presence --rounds times; time until its --contacts online contacts have it", fanoutFlags(), runFanout),
			loadScenario("idle", "open --conns idle logged-in connections; the server's (--pid) memory per connection", idleFlags(), runIdle),
			reportCommand(),
			provisionCommand(),
		},
		OnUsageError: onUsageError,
		Action:       groupAction,
	}
}

// loadScenario declares one scenario with the shared flags.
func loadScenario(name, usage string, flags []cli.Flag, run func(*cli.Context, load.Config) load.Result) *cli.Command {
	return &cli.Command{
		Name:         name,
		Usage:        usage,
		Flags:        append(flags, loadFlags()...),
		OnUsageError: onUsageError,
		Action: func(c *cli.Context) error {
			if err := noArgs(c); err != nil {
				return err
			}
			stop, err := startProfile(c.String("cpuprofile"))
			if err != nil {
				return err
			}
			r := run(c, loadConfig(c))
			stop()
			// A refused parameter is the caller's mistake: one line, no
			// table of zeros.
			var bad *load.ParamError
			if !errors.As(r.Err, &bad) {
				printResult(c, os.Stdout, r)
			}
			return r.Err
		},
	}
}

// loadFlags are the flags every scenario shares.
func loadFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "addr", Value: "127.0.0.1:5222", Usage: "the server's client listener, HOST:PORT"},
		&cli.StringFlag{Name: "domain", Value: "localhost", Usage: "the served domain"},
		&cli.StringFlag{Name: "users", Value: "user%d", Usage: "user names, %d counting from --first"},
		&cli.StringFlag{Name: "password", Usage: "passwords, %d as in --users (default: the user's name)"},
		&cli.IntFlag{Name: "first", Value: 1, Usage: "the number of the first user"},
		&cli.StringFlag{Name: "server", Usage: "the server's name in results (default: --addr)"},
		&cli.IntFlag{Name: "pid", Usage: "the server's process id, to report its CPU and memory"},
		&cli.IntFlag{Name: "parallel", Value: 50, Usage: "logins at once"},
		&cli.DurationFlag{Name: "timeout", Value: 2 * time.Minute, Usage: "bound on the whole scenario"},
		&cli.BoolFlag{Name: "json", Usage: "print one JSON line instead of a table"},
		&cli.StringFlag{Name: "cpuprofile", Usage: "write the load generator's own CPU profile to this file"},
	}
}

// startProfile profiles this process's CPU into file, if one is named,
// until the returned function is called.
func startProfile(file string) (func(), error) {
	if file == "" {
		return func() {}, nil
	}
	f, err := os.Create(file)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// loadConfig reads the shared flags.
func loadConfig(c *cli.Context) load.Config {
	return load.Config{
		Addr:     c.String("addr"),
		Domain:   c.String("domain"),
		Users:    c.String("users"),
		Password: c.String("password"),
		First:    c.Int("first"),
		Server:   c.String("server"),
		PID:      c.Int("pid"),
		Parallel: c.Int("parallel"),
		Timeout:  c.Duration("timeout"),
	}
}

// printResult prints a table, or a JSON line with --json.
func printResult(c *cli.Context, w io.Writer, r load.Result) {
	if c.Bool("json") {
		w.Write(r.JSON())
		return
	}
	r.Table(w)
}

func readyFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "exec", Required: true, Usage: "shell command that starts the server in the foreground"},
		&cli.IntFlag{Name: "repeat", Value: 5, Usage: "starts to time"},
	}
}

// runReady stops the server it started on an interrupt, since the
// server runs in a process group of its own that the terminal's signal
// does not reach.
func runReady(c *cli.Context, cfg load.Config) load.Result {
	ctx, stop := signal.NotifyContext(c.Context, os.Interrupt, syscall.SIGTERM)
	defer stop()
	return load.Ready(ctx, cfg, c.String("exec"), c.Int("repeat"))
}

func loginFlags() []cli.Flag {
	return []cli.Flag{
		&cli.IntFlag{Name: "logins", Value: 2000, Usage: "logins to make"},
		&cli.IntFlag{Name: "user-count", Usage: "distinct users, login i being user i modulo this (default: --logins)"},
	}
}

func runLogin(c *cli.Context, cfg load.Config) load.Result {
	return load.Login(cfg, c.Int("logins"), cfg.Parallel, c.Int("user-count"))
}

func msgFlags() []cli.Flag {
	return []cli.Flag{
		&cli.IntFlag{Name: "pairs", Value: 200, Usage: "sender and receiver pairs: users 1..P send to P+1..2P"},
		&cli.IntFlag{Name: "messages", Value: 200, Usage: "messages per pair"},
		&cli.IntFlag{Name: "window", Value: 0, Usage: "messages in flight per sender; 0: all at once"},
	}
}

func runMsg(c *cli.Context, cfg load.Config) load.Result {
	return load.Messages(cfg, c.Int("pairs"), c.Int("messages"), c.Int("window"))
}

func fanoutFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "hub", Value: "hub", Usage: "the user who changes presence; its contacts are the --users"},
		&cli.StringFlag{Name: "hub-password", Usage: "the hub's password (default: its name)"},
		&cli.IntFlag{Name: "contacts", Value: 500, Usage: "the hub's contacts to log in"},
		&cli.IntFlag{Name: "rounds", Value: 100, Usage: "presence changes"},
	}
}

func runFanout(c *cli.Context, cfg load.Config) load.Result {
	return load.Fanout(cfg, c.String("hub"), c.String("hub-password"), c.Int("contacts"), c.Int("rounds"))
}

func idleFlags() []cli.Flag {
	return []cli.Flag{&cli.IntFlag{Name: "conns", Value: 5000, Usage: "connections to open"}}
}

func runIdle(c *cli.Context, cfg load.Config) load.Result {
	return load.Idle(cfg, c.Int("conns"))
}

// reportCommand declares load report.
func reportCommand() *cli.Command {
	return &cli.Command{
		Name:      "report",
		Usage:     "medians and ratios of the JSON lines of several runs and servers",
		ArgsUsage: "FILE... (- or none: standard input)",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "baseline", Value: "sandbox", Usage: "the server whose figures are divided by the others'"},
		},
		OnUsageError: onUsageError,
		Action:       report,
	}
}

// report aggregates result files.
func report(c *cli.Context) error {
	args, err := positionalArgs(c)
	if err != nil {
		return err
	}
	readers := []io.Reader{}
	for _, name := range args {
		if name == "-" {
			readers = append(readers, os.Stdin)
			continue
		}
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		readers = append(readers, f)
	}
	if len(readers) == 0 {
		readers = append(readers, os.Stdin)
	}
	return load.Report(io.MultiReader(readers...), os.Stdout, c.String("baseline"))
}

// provisionCommand declares load provision.
func provisionCommand() *cli.Command {
	return &cli.Command{
		Name:  "provision",
		Usage: "write the comparison's users and rosters for the sandbox, Prosody and ejabberd",
		Description: "Writes DIR/sandbox/fixtures.yaml (fixtures) and DIR/sandbox/users.db (a database for\n" +
			"serve --db), DIR/prosody/ (a Prosody data directory, internal storage) and\n" +
			"DIR/ejabberd/users.xml (XEP-0227, for ejabberdctl import_piefxis).",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Required: true, Usage: "directory to write into"},
			&cli.StringFlag{Name: "domain", Value: "localhost", Usage: "the served domain"},
			&cli.IntFlag{Name: "users", Value: 5000, Usage: "users user1..userN"},
			&cli.IntFlag{Name: "ring", Value: 20, Usage: "contacts of each user, its nearest on a ring"},
			&cli.IntFlag{Name: "fans", Value: 500, Usage: "contacts fan1..fanF of the user hub"},
		},
		OnUsageError: onUsageError,
		Action:       provision,
	}
}

// provision writes the population in the three servers' formats.
func provision(c *cli.Context) error {
	if err := noArgs(c); err != nil {
		return err
	}
	p := load.Population{Domain: c.String("domain"), Users: c.Int("users"), Ring: c.Int("ring"), Fans: c.Int("fans")}
	if err := p.Check(); err != nil {
		return err
	}
	out := c.String("out")
	return errors.Join(
		p.WriteSandbox(out+"/sandbox/fixtures.yaml"),
		p.WriteSandboxDB(c.Context, out+"/sandbox/users.db"),
		p.WriteProsody(out+"/prosody"),
		p.WriteEjabberd(out+"/ejabberd/users.xml"),
	)
}
