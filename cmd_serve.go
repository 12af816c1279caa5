package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/xmppsandbox/xmppsandbox/sandbox"
)

func version() string { return sandbox.Version }

func serveCommand() *cli.Command {
	return &cli.Command{
		Name:   "serve",
		Usage:  "serve the fixtures (what a bare xmppsandbox does)",
		Flags:  serveFlags(),
		Action: serve,
	}
}

func serveFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "fixtures", Value: "./fixtures", EnvVars: []string{"XMPPSANDBOX_FIXTURES"}, Usage: "fixture files to load and watch"},
		&cli.StringFlag{Name: "db", Value: ":memory:", EnvVars: []string{"XMPPSANDBOX_DB"}, Usage: "SQLite database; :memory: writes nothing to disk"},
		&cli.StringFlag{Name: "domain", EnvVars: []string{"XMPPSANDBOX_DOMAIN"}, Usage: "served XMPP domain (default: the fixtures' domain, else localhost)"},
		&cli.StringFlag{Name: "c2s", Value: "127.0.0.1:5222", EnvVars: []string{"XMPPSANDBOX_C2S"}, Usage: "client listener address; port 0 picks a free port"},
		&cli.StringFlag{Name: "http", Value: "127.0.0.1:5280", EnvVars: []string{"XMPPSANDBOX_HTTP"}, Usage: "admin API, web UI and WebSocket address; port 0 picks a free port"},
		&cli.BoolFlag{Name: "no-watch", Usage: "do not reload fixtures on change"},
		&cli.StringFlag{Name: "cert", EnvVars: []string{"XMPPSANDBOX_CERT"}, Usage: "TLS certificate file (default: a generated one, kept across runs)"},
		&cli.StringFlag{Name: "key", EnvVars: []string{"XMPPSANDBOX_KEY"}, Usage: "TLS key file"},
		&cli.IntFlag{Name: "max-stanza", Value: 256 << 10, EnvVars: []string{"XMPPSANDBOX_MAX_STANZA"}, Usage: "largest stanza accepted, in bytes"},
		&cli.DurationFlag{Name: "auth-timeout", Value: 60 * time.Second, EnvVars: []string{"XMPPSANDBOX_AUTH_TIMEOUT"}, Usage: "close streams that have not authenticated in this time"},
		&cli.BoolFlag{Name: "any-password", EnvVars: []string{"XMPPSANDBOX_ANY_PASSWORD"}, Usage: "any password logs in and unknown users are created at first login (PLAIN only; loopback only)"},
		&cli.StringFlag{Name: "admin-token", EnvVars: []string{"XMPPSANDBOX_ADMIN_TOKEN"}, Usage: "token the admin API requires off loopback (default: generated and printed)"},
		&cli.BoolFlag{Name: "verbose", EnvVars: []string{"XMPPSANDBOX_VERBOSE"}, Usage: "log every connection"},
		&cli.IntFlag{Name: "max-queue", Value: 10000, EnvVars: []string{"XMPPSANDBOX_MAX_QUEUE"}, Usage: "stanzas waiting for a client that does not read before it is disconnected"},
		&cli.IntFlag{Name: "max-queue-bytes", Value: 16 << 20, EnvVars: []string{"XMPPSANDBOX_MAX_QUEUE_BYTES"}, Usage: "the same bound in bytes"},
		&cli.IntFlag{Name: "rate-limit", EnvVars: []string{"XMPPSANDBOX_RATE_LIMIT"}, Usage: "stanzas per second a session may send before it is disconnected with policy-violation (0: no limit)"},
		&cli.IntFlag{Name: "rate-burst", EnvVars: []string{"XMPPSANDBOX_RATE_BURST"}, Usage: "stanzas a session may send at once under --rate-limit (default: the rate)"},
		&cli.BoolFlag{Name: "no-auth-delay", EnvVars: []string{"XMPPSANDBOX_NO_AUTH_DELAY"}, Usage: "answer failed logins at once, instead of after a delay growing per account and address (100ms doubling to 2s)"},
	}
}

func serve(c *cli.Context) error {
	if c.Args().Present() {
		return fmt.Errorf("unknown command %q (see xmppsandbox --help)", c.Args().First())
	}
	if err := checkLimits(c); err != nil {
		return err
	}
	level := slog.LevelInfo
	if c.Bool("verbose") {
		level = slog.LevelDebug
	}
	srv, err := sandbox.New(sandbox.Config{
		Fixtures:      c.String("fixtures"),
		DB:            c.String("db"),
		Domain:        c.String("domain"),
		C2S:           c.String("c2s"),
		HTTP:          c.String("http"),
		CertFile:      c.String("cert"),
		KeyFile:       c.String("key"),
		MaxStanza:     c.Int("max-stanza"),
		AuthTimeout:   c.Duration("auth-timeout"),
		AdminToken:    c.String("admin-token"),
		NoWatch:       c.Bool("no-watch"),
		MaxQueue:      c.Int("max-queue"),
		MaxQueueBytes: c.Int("max-queue-bytes"),
		RateLimit:     c.Int("rate-limit"),
		RateBurst:     c.Int("rate-burst"),
		NoAuthDelay:   c.Bool("no-auth-delay"),
		AnyPassword:   c.Bool("any-password"),
		Logger:        slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level})),
	})
	if err != nil {
		return err
	}
	if err := srv.Start(); err != nil {
		srv.Close()
		return err
	}
	fmt.Printf("c2s listening on %s\n", srv.C2SAddr())
	fmt.Printf("http listening on %s\n", srv.HTTPAddr())
	if tok := srv.AdminToken(); tok != "" {
		fmt.Printf("admin token: %s (the HTTP listener is not on loopback)\n", tok)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go trimWhenQuiet(ctx)
	<-ctx.Done()
	return srv.Close()
}

// checkLimits refuses limits that mean nothing, rather than serving with
// a default the user did not ask for: a size or queue bound below 1, a
// negative rate, an authentication time that is not positive.
func checkLimits(c *cli.Context) error {
	for _, l := range []struct {
		flag string
		min  int
		want string
	}{
		{"max-stanza", 1, "want at least 1"},
		{"max-queue", 1, "want at least 1"},
		{"max-queue-bytes", 1, "want at least 1"},
		{"rate-limit", 0, "want 0 (no limit) or more"},
		{"rate-burst", 0, "want 0 (the rate) or more"},
	} {
		if v := c.Int(l.flag); v < l.min {
			return fmt.Errorf("--%s %d: %s", l.flag, v, l.want)
		}
	}
	if d := c.Duration("auth-timeout"); d <= 0 {
		return fmt.Errorf("--auth-timeout %v: want a positive duration", d)
	}
	return nil
}
