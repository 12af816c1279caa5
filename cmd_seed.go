package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v2"
	"mellium.im/xmpp/jid"

	"github.com/xmppsandbox/xmppsandbox/sandbox"
	"github.com/xmppsandbox/xmppsandbox/sandbox/fixture"
	"github.com/xmppsandbox/xmppsandbox/sandbox/store"
)

// seedCommand declares seed. It works on a database file, not on a
// running server, so it takes no --server.
func seedCommand() *cli.Command {
	return &cli.Command{
		Name:      "seed",
		Usage:     "write the fixtures, or N synthetic users with K contacts each, into a SQLite file",
		UsageText: "xmppsandbox seed [--fixtures DIR] --db FILE [--users N --contacts K]",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "fixtures", Usage: "fixture directory to write (env XMPPSANDBOX_FIXTURES, default ./fixtures unless --users is given)"},
			&cli.StringFlag{Name: "db", Usage: "SQLite file to write into (env XMPPSANDBOX_DB)"},
			&cli.StringFlag{Name: "domain", Usage: "domain of the synthetic contacts (default: the fixtures' domain, else localhost)"},
			&cli.IntFlag{Name: "users", Usage: "number of synthetic users user1..userN, each with password = name"},
			&cli.IntFlag{Name: "contacts", Usage: "contacts of each synthetic user, mutual (both), an even number below --users"},
		},
		OnUsageError: onUsageError,
		Action:       seed,
	}
}

// seedPlan is what seed was asked to write.
type seedPlan struct {
	db       string
	fixtures string // "" for none
	domain   string
	users    int
	contacts int
}

// seedCounts is what seed wrote.
type seedCounts struct {
	users, items int
}

// seed writes the plan into the database file and reports the rate.
func seed(c *cli.Context) error {
	if err := noArgs(c); err != nil {
		return err
	}
	plan, err := planSeed(c)
	if err != nil {
		return err
	}
	start := time.Now()
	counts, err := plan.run(c.Context)
	if err != nil {
		return err
	}
	elapsed := time.Since(start)
	fmt.Printf("seeded %d users, %d roster items into %s in %.2fs (%.0f users/s)\n",
		counts.users, counts.items, plan.db, elapsed.Seconds(), float64(counts.users)/elapsed.Seconds())
	return nil
}

// planSeed reads and checks the flags before anything is written.
func planSeed(c *cli.Context) (seedPlan, error) {
	p := seedPlan{
		db:       nearestString(c, "db", "XMPPSANDBOX_DB", ""),
		domain:   nearestString(c, "domain", "XMPPSANDBOX_DOMAIN", ""),
		users:    c.Int("users"),
		contacts: c.Int("contacts"),
	}
	_, fixturesGiven := setContext(c, "fixtures")
	if fixturesGiven || !c.IsSet("users") {
		p.fixtures = nearestString(c, "fixtures", "XMPPSANDBOX_FIXTURES", "./fixtures")
	}
	return p, p.check(c.IsSet("users"), c.IsSet("contacts"))
}

// check refuses a plan that cannot be carried out as asked.
func (p seedPlan) check(usersGiven, contactsGiven bool) error {
	switch {
	case p.db == "":
		return errors.New("missing --db FILE")
	case p.db == store.MemoryPath:
		return errors.New("--db :memory: would be lost on exit: name a file")
	case contactsGiven && !usersGiven:
		return errors.New("--contacts needs --users")
	case usersGiven && p.users < 1:
		return fmt.Errorf("--users %d: want at least 1", p.users)
	}
	return checkRing(p.users, p.contacts)
}

// checkRing checks that n users can each have exactly k mutual contacts
// on a ring: k/2 neighbours on each side, all distinct.
func checkRing(n, k int) error {
	switch {
	case k < 0:
		return fmt.Errorf("--contacts %d: want 0 or more", k)
	case k%2 != 0:
		return fmt.Errorf("--contacts %d: want an even number, so that every contact is mutual on a ring", k)
	case k > 0 && k >= n:
		return fmt.Errorf("--contacts %d: want fewer than --users %d, each user's contacts being other users", k, n)
	}
	return nil
}

// run loads the fixtures, then writes them and the synthetic users.
func (p seedPlan) run(ctx context.Context) (seedCounts, error) {
	var counts seedCounts
	set, err := p.loadFixtures()
	if err != nil {
		return counts, err
	}
	domain := p.syntheticDomain(set)
	if _, err := jid.New("user1", domain, ""); err != nil {
		return counts, fmt.Errorf("malformed --domain %q: %v", domain, err)
	}
	st, err := store.Open(p.db)
	if err != nil {
		return counts, err
	}
	counts, err = p.write(ctx, st, set, domain)
	// Closing checkpoints the write-ahead log into the file: part of the work.
	return counts, errors.Join(err, st.Close())
}

// loadFixtures loads the fixture directory, if one is to be written.
func (p seedPlan) loadFixtures() (*fixture.Set, error) {
	if p.fixtures == "" {
		return nil, nil
	}
	set, err := fixture.Load(p.fixtures, p.domain)
	if err != nil {
		// One line on the terminal: the loader lists every problem.
		return nil, fmt.Errorf("fixtures: %s", strings.ReplaceAll(err.Error(), "\n", "; "))
	}
	return set, nil
}

// syntheticDomain is --domain, else the fixtures' domain, else localhost.
func (p seedPlan) syntheticDomain(set *fixture.Set) string {
	switch {
	case p.domain != "":
		return p.domain
	case set != nil:
		return set.Domain
	}
	return fixture.DefaultDomain
}

// write writes the fixture set, then the synthetic users.
func (p seedPlan) write(ctx context.Context, st *store.Store, set *fixture.Set, domain string) (seedCounts, error) {
	var counts seedCounts
	if set != nil {
		if err := sandbox.WriteFixtures(ctx, st, set); err != nil {
			return counts, err
		}
		counts.users += len(set.Users)
		for _, items := range set.Rosters {
			counts.items += len(items)
		}
	}
	if p.users == 0 {
		return counts, nil
	}
	bar := newProgress(os.Stderr, "seeding", p.users*(1+p.contacts))
	defer bar.finish()
	if err := writeRing(ctx, st, domain, p.users, p.contacts, bar); err != nil {
		return counts, err
	}
	counts.users += p.users
	counts.items += p.users * p.contacts
	return counts, nil
}

// writeRing writes users user1..userN, each with the k users nearest on a
// ring as contacts at both, in one transaction: all or nothing, and one
// commit instead of millions.
func writeRing(ctx context.Context, st *store.Store, domain string, n, k int, bar *progress) error {
	names := make([]string, n)
	for i := range names {
		names[i] = "user" + strconv.Itoa(i+1)
	}
	return st.Update(ctx, func(tx *store.Tx) error {
		for _, name := range names {
			if err := tx.PutUser(ctx, store.User{Name: name, Password: name}); err != nil {
				return err
			}
			bar.add(1)
		}
		for i, owner := range names {
			for _, j := range ringNeighbours(i, n, k) {
				it := store.RosterItem{Owner: owner, Contact: names[j] + "@" + domain, Sub: store.SubBoth}
				if _, err := tx.PutRosterItem(ctx, it); err != nil {
					return err
				}
			}
			bar.add(k)
		}
		return nil
	})
}

// ringNeighbours returns the k/2 positions on each side of i on a ring of
// n: j is i's neighbour exactly when i is j's, so every item is mutual.
func ringNeighbours(i, n, k int) []int {
	out := make([]int, 0, k)
	for d := 1; d <= k/2; d++ {
		out = append(out, (i+d)%n, (i-d+n)%n)
	}
	return out
}
