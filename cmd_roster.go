package main

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"
)

// rosterCommand groups roster add, list and remove.
func rosterCommand() *cli.Command {
	return &cli.Command{
		Name:   "roster",
		Usage:  "read and change users' rosters on the server's side",
		Action: groupAction,
		Subcommands: []*cli.Command{
			{
				Name:         "add",
				Usage:        "add CONTACT to OWNER's roster and ask CONTACT to subscribe, as OWNER's client would",
				ArgsUsage:    "OWNER CONTACT [--name N] [--group G]...",
				Flags:        withClientFlags(&cli.StringFlag{Name: "name", Usage: "the contact's handle"}, &cli.StringSliceFlag{Name: "group", Usage: "a group (repeat for more)"}),
				OnUsageError: onUsageError,
				Action:       rosterAdd,
			},
			{
				Name:         "list",
				Usage:        "print OWNER's roster",
				ArgsUsage:    "OWNER",
				Flags:        clientFlags(),
				OnUsageError: onUsageError,
				Action:       rosterList,
			},
			{
				Name:         "remove",
				Usage:        "remove CONTACT from OWNER's roster, cancelling subscriptions both ways",
				ArgsUsage:    "OWNER CONTACT",
				Flags:        clientFlags(),
				OnUsageError: onUsageError,
				Action:       rosterRemove,
			},
		},
	}
}

// rosterItem is an item as the API shows it.
type rosterItem struct {
	JID          string   `json:"jid"`
	Name         string   `json:"name"`
	Groups       []string `json:"groups"`
	Subscription string   `json:"subscription"`
	Ask          string   `json:"ask"`
	PendingIn    bool     `json:"pending_in"`
	Approved     bool     `json:"approved"`
}

// addRequest is the body of POST /api/rosters/{user}.
type addRequest struct {
	JID    string   `json:"jid"`
	Name   string   `json:"name,omitempty"`
	Groups []string `json:"groups,omitempty"`
}

// rosterAdd adds a contact server-side (the seed's section 3): the owner's
// interested resources get a roster push and the contact a request.
func rosterAdd(c *cli.Context) error {
	owner, contact, err := ownerAndContact(c)
	if err != nil {
		return err
	}
	req := addRequest{JID: contact, Name: c.String("name"), Groups: c.StringSlice("group")}
	data, res, err := callAPI(c, "POST", "/api/rosters/"+owner, req)
	if err != nil || res.printedJSON {
		return err
	}
	var it rosterItem
	if err := decode(data, &it); err != nil {
		return err
	}
	res.out.line("added %s to %s's roster: %s", it.JID, owner, describeItem(it))
	return nil
}

// rosterList prints an owner's roster.
func rosterList(c *cli.Context) error {
	args, err := positionalArgs(c)
	if err == nil {
		err = wantArgs(c, args, "OWNER")
	}
	if err == nil {
		err = checkBareJID("OWNER", args[0])
	}
	if err != nil {
		return err
	}
	data, res, err := callAPI(c, "GET", "/api/rosters/"+args[0], nil)
	if err != nil || res.printedJSON {
		return err
	}
	var roster struct {
		Items []rosterItem `json:"items"`
	}
	if err := decode(data, &roster); err != nil {
		return err
	}
	printRoster(res.out, args[0], roster.Items)
	return nil
}

// printRoster prints items as a table, mutual subscriptions highlighted.
func printRoster(out *output, owner string, items []rosterItem) {
	if len(items) == 0 {
		out.line("%s's roster is empty", owner)
		return
	}
	t := &table{header: []string{"JID", "NAME", "GROUPS", "SUBSCRIPTION", "PENDING"}}
	for _, it := range items {
		style := ""
		if it.Subscription == "both" {
			style = styleGreen
		}
		t.add(style, it.JID, orDash(it.Name), orDash(strings.Join(it.Groups, ", ")), it.Subscription, orDash(pending(it)))
	}
	t.print(out)
}

// pending names the unanswered requests of an item (RFC 6121 §3.1): out
// for the owner's, in for the contact's, and a pre-approval (§3.4).
func pending(it rosterItem) string {
	var p []string
	if it.Ask != "" {
		p = append(p, "out")
	}
	if it.PendingIn {
		p = append(p, "in")
	}
	if it.Approved {
		p = append(p, "pre-approved")
	}
	return strings.Join(p, ", ")
}

// describeItem says what state an item is in, in one phrase.
func describeItem(it rosterItem) string {
	s := "subscription " + it.Subscription
	if it.Ask != "" {
		s += ", ask " + it.Ask
	}
	return s
}

// rosterRemove removes a contact, which the server follows with
// unsubscribe and unsubscribed (RFC 6121 §2.5.2).
func rosterRemove(c *cli.Context) error {
	owner, contact, err := ownerAndContact(c)
	if err != nil {
		return err
	}
	data, res, err := callAPI(c, "DELETE", "/api/rosters/"+owner+"/"+contact, nil)
	if err != nil || res.printedJSON {
		return err
	}
	var answer struct {
		Removed bool `json:"removed"`
	}
	if err := decode(data, &answer); err != nil {
		return err
	}
	if !answer.Removed {
		return fmt.Errorf("%s is not in %s's roster", contact, owner)
	}
	res.out.line("removed %s from %s's roster", contact, owner)
	return nil
}

// ownerAndContact reads and checks the OWNER CONTACT arguments.
func ownerAndContact(c *cli.Context) (owner, contact string, err error) {
	args, err := positionalArgs(c)
	if err == nil {
		err = wantArgs(c, args, "OWNER", "CONTACT")
	}
	if err == nil {
		err = checkBareJID("OWNER", args[0])
	}
	if err == nil {
		err = checkBareJID("CONTACT", args[1])
	}
	if err != nil {
		return "", "", err
	}
	return args[0], args[1], nil
}
