package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/urfave/cli/v2"
)

// toggleCommand groups toggle list and set.
func toggleCommand() *cli.Command {
	return &cli.Command{
		Name:   "toggle",
		Usage:  "switch optional server features on and off: streams that start next see the change",
		Action: groupAction,
		Subcommands: []*cli.Command{
			{
				Name:         "list",
				Usage:        "print every feature toggle and whether it is on",
				Flags:        clientFlags(),
				OnUsageError: onUsageError,
				Action:       toggleList,
			},
			{
				Name:         "set",
				Usage:        "switch NAME on or off (see toggle list for the names)",
				ArgsUsage:    "NAME on|off",
				Flags:        clientFlags(),
				OnUsageError: onUsageError,
				Action:       toggleSet,
			},
		},
	}
}

// toggleList prints the toggles, those switched off highlighted.
func toggleList(c *cli.Context) error {
	if err := noArgs(c); err != nil {
		return err
	}
	data, res, err := callAPI(c, "GET", "/api/toggles", nil)
	if err != nil || res.printedJSON {
		return err
	}
	var all map[string]bool
	if err := decode(data, &all); err != nil {
		return err
	}
	printToggles(res.out, all)
	return nil
}

func printToggles(out *output, all map[string]bool) {
	names := make([]string, 0, len(all))
	for n := range all {
		names = append(names, n)
	}
	sort.Strings(names)
	t := &table{header: []string{"NAME", "STATE"}}
	for _, n := range names {
		style, state := "", "on"
		if !all[n] {
			style, state = styleDim, "off"
		}
		t.add(style, n, state)
	}
	t.print(out)
}

// toggleSet switches one toggle.
func toggleSet(c *cli.Context) error {
	args, err := positionalArgs(c)
	if err == nil {
		err = wantArgs(c, args, "NAME", "on|off")
	}
	if err != nil {
		return err
	}
	on, err := parseSwitch(args[1])
	if err != nil {
		return err
	}
	name := strings.ToLower(args[0])
	data, res, err := callAPI(c, "POST", "/api/toggles", map[string]bool{name: on})
	if err != nil || res.printedJSON {
		return err
	}
	var all map[string]bool
	if err := decode(data, &all); err != nil {
		return err
	}
	res.out.line("%s is now %s", name, onOffText(all[name]))
	return nil
}

// parseSwitch reads on or off.
func parseSwitch(text string) (bool, error) {
	switch strings.ToLower(text) {
	case "on":
		return true, nil
	case "off":
		return false, nil
	}
	return false, fmt.Errorf("a toggle is switched on or off, not %q", text)
}

func onOffText(on bool) string {
	if on {
		return "on"
	}
	return "off"
}
