package main

import (
	"cmp"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/xmppsandbox/xmppsandbox/sandbox"
)

// faultCommand groups fault set, clear, list and close.
func faultCommand() *cli.Command {
	return &cli.Command{
		Name:   "fault",
		Usage:  "inject faults into a user's or a resource's sessions: delays, drops, errors, closes",
		Action: groupAction,
		Subcommands: []*cli.Command{
			{
				Name:      "set",
				Usage:     "add to the fault of JID: a bare JID covers all its sessions, present and future",
				ArgsUsage: "JID [--delay 2s | --delay 100ms-2s] [--drop 30 --drop-kind message] [--iq-error NS=condition] [--no-ping-reply]",
				Flags: withClientFlags(
					&cli.StringFlag{Name: "delay", Usage: "hold outgoing stanzas back this long, or a random time in MIN-MAX; 0 for none"},
					&cli.IntFlag{Name: "drop", Usage: "drop this percentage of outgoing stanzas"},
					&cli.StringFlag{Name: "drop-kind", Usage: "what --drop applies to: message, presence, iq or all", Value: "all"},
					&cli.StringFlag{Name: "iq-error", Usage: "answer the user's iq requests in namespace NS with this stanza error (RFC 6120 §8.3.3)"},
					&cli.BoolFlag{Name: "no-ping-reply", Usage: "leave the user's pings to the server unanswered (--no-ping-reply=false answers them again)"},
				),
				OnUsageError: onUsageError,
				Action:       faultSet,
			},
			{
				Name:         "clear",
				Usage:        "remove the fault of JID (of a bare JID, its resources' too)",
				ArgsUsage:    "JID",
				Flags:        clientFlags(),
				OnUsageError: onUsageError,
				Action:       faultClear,
			},
			{
				Name:         "list",
				Usage:        "print the faults in force",
				Flags:        clientFlags(),
				OnUsageError: onUsageError,
				Action:       faultList,
			},
			{
				Name:      "close",
				Usage:     "end JID's sessions now: with a stream error (default system-shutdown) or a TCP reset",
				ArgsUsage: "JID [--reset | --error condition]",
				Flags: withClientFlags(
					&cli.BoolFlag{Name: "reset", Usage: "drop the connection at once, without closing the stream"},
					&cli.StringFlag{Name: "error", Usage: "the stream error condition (RFC 6120 §4.9.3)"},
				),
				OnUsageError: onUsageError,
				Action:       faultClose,
			},
		},
	}
}

// faultJID reads and checks the one JID argument of a fault command.
func faultJID(c *cli.Context) (string, error) {
	args, err := positionalArgs(c)
	if err == nil {
		err = wantArgs(c, args, "JID")
	}
	if err == nil {
		err = checkJID("JID", args[0])
	}
	if err != nil {
		return "", err
	}
	return args[0], nil
}

// faultSet sends the parts of a fault given as flags.
func faultSet(c *cli.Context) error {
	target, err := faultJID(c)
	if err != nil {
		return err
	}
	req, err := faultRequest(c, target)
	if err != nil {
		return err
	}
	data, res, err := callAPI(c, "POST", "/api/faults", req)
	if err != nil || res.printedJSON {
		return err
	}
	var f sandbox.FaultInfo
	if err := decode(data, &f); err != nil {
		return err
	}
	res.out.line("%s: %s", f.JID, describeFault(f))
	return nil
}

// faultRequest builds the request from the flags given; at least one
// must be.
func faultRequest(c *cli.Context, target string) (sandbox.FaultRequest, error) {
	req := sandbox.FaultRequest{JID: target}
	if c.IsSet("delay") {
		min, max, err := splitDelay(c.String("delay"))
		if err != nil {
			return req, err
		}
		req.Delay, req.DelayMax = &min, max
	}
	if c.IsSet("drop") {
		p := c.Int("drop")
		req.DropPercent, req.DropKind = &p, c.String("drop-kind")
	} else if c.IsSet("drop-kind") {
		return req, fmt.Errorf("--drop-kind goes with --drop PERCENT")
	}
	if c.IsSet("iq-error") {
		ns, cond, ok := strings.Cut(c.String("iq-error"), "=")
		if !ok || ns == "" || cond == "" {
			return req, fmt.Errorf("--iq-error wants NS=condition, such as jabber:iq:roster=internal-server-error, not %q", c.String("iq-error"))
		}
		req.IQErrorNS, req.IQErrorCondition = ns, cond
	}
	if c.IsSet("no-ping-reply") {
		v := c.Bool("no-ping-reply")
		req.NoPingReply = &v
	}
	if req == (sandbox.FaultRequest{JID: target}) {
		return req, fmt.Errorf("nothing to set: give --delay, --drop, --iq-error or --no-ping-reply (see %s --help)", c.Command.HelpName)
	}
	return req, nil
}

// splitDelay reads "2s" or "100ms-2s"; the server checks the durations.
func splitDelay(text string) (min string, max *string, err error) {
	lo, hi, isRange := strings.Cut(text, "-")
	if !isRange {
		return text, nil, nil
	}
	if lo == "" || hi == "" {
		return "", nil, fmt.Errorf("--delay wants a duration such as 2s or a range such as 100ms-2s, not %q", text)
	}
	return lo, &hi, nil
}

// faultClear removes a JID's fault.
func faultClear(c *cli.Context) error {
	target, err := faultJID(c)
	if err != nil {
		return err
	}
	data, res, err := callAPI(c, "DELETE", "/api/faults/"+url.PathEscape(target), nil)
	if err != nil || res.printedJSON {
		return err
	}
	var answer struct {
		Cleared int `json:"cleared"`
	}
	if err := decode(data, &answer); err != nil {
		return err
	}
	res.out.line("cleared %s for %s", plural(answer.Cleared, "fault"), target)
	return nil
}

// faultList prints the faults in force.
func faultList(c *cli.Context) error {
	if err := noArgs(c); err != nil {
		return err
	}
	data, res, err := callAPI(c, "GET", "/api/faults", nil)
	if err != nil || res.printedJSON {
		return err
	}
	var list []sandbox.FaultInfo
	if err := decode(data, &list); err != nil {
		return err
	}
	if len(list) == 0 {
		res.out.line("no faults")
		return nil
	}
	t := &table{header: []string{"JID", "DELAY", "DROP", "IQ ERRORS", "PINGS"}}
	for _, f := range list {
		t.add("", f.JID, orDash(delayText(f)), orDash(dropText(f)), orDash(iqErrorsText(f)), pingText(f))
	}
	t.print(res.out)
	return nil
}

// faultClose ends a JID's sessions.
func faultClose(c *cli.Context) error {
	target, err := faultJID(c)
	if err != nil {
		return err
	}
	req := sandbox.CloseRequest{JID: target, Mode: "graceful", Condition: c.String("error")}
	if c.Bool("reset") {
		if c.IsSet("error") {
			return fmt.Errorf("--reset and --error exclude each other: a reset sends no stream error")
		}
		req.Mode = "reset"
	}
	data, res, err := callAPI(c, "POST", "/api/faults/close", req)
	if err != nil || res.printedJSON {
		return err
	}
	var answer struct {
		Closed int `json:"closed"`
	}
	if err := decode(data, &answer); err != nil {
		return err
	}
	how := "with a TCP reset"
	if req.Mode != "reset" {
		how = "with <" + cmp.Or(req.Condition, "system-shutdown") + "/>"
	}
	res.out.line("closed %s of %s %s", plural(answer.Closed, "session"), target, how)
	return nil
}

// describeFault says in one line what a fault does.
func describeFault(f sandbox.FaultInfo) string {
	var parts []string
	if d := delayText(f); d != "" {
		parts = append(parts, "delay "+d)
	}
	if d := dropText(f); d != "" {
		parts = append(parts, "drop "+d)
	}
	if e := iqErrorsText(f); e != "" {
		parts = append(parts, "iq errors "+e)
	}
	if f.NoPingReply {
		parts = append(parts, "pings unanswered")
	}
	if len(parts) == 0 {
		return "no fault"
	}
	return strings.Join(parts, ", ")
}

func delayText(f sandbox.FaultInfo) string {
	if f.DelayMax != "" {
		return f.Delay + "-" + f.DelayMax
	}
	return f.Delay
}

func dropText(f sandbox.FaultInfo) string {
	if f.DropPercent == 0 {
		return ""
	}
	return strconv.Itoa(f.DropPercent) + "% of " + f.DropKind
}

func iqErrorsText(f sandbox.FaultInfo) string {
	var out []string
	for ns, cond := range f.IQErrors {
		out = append(out, ns+"="+cond)
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

func pingText(f sandbox.FaultInfo) string {
	if f.NoPingReply {
		return "unanswered"
	}
	return "answered"
}
