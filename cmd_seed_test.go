package main

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
)

func TestRingNeighboursAreMutualAndDistinct(t *testing.T) {
	for _, c := range []struct{ n, k int }{{1, 0}, {3, 2}, {5, 4}, {10, 2}, {21, 20}, {100, 6}} {
		links := map[[2]int]bool{}
		for i := range c.n {
			seen := map[int]bool{}
			for _, j := range ringNeighbours(i, c.n, c.k) {
				if j == i || seen[j] || j < 0 || j >= c.n {
					t.Fatalf("n=%d k=%d: %d has neighbour %d (seen %v)", c.n, c.k, i, j, seen)
				}
				seen[j] = true
				links[[2]int{i, j}] = true
			}
			if len(seen) != c.k {
				t.Fatalf("n=%d k=%d: %d has %d neighbours", c.n, c.k, i, len(seen))
			}
		}
		for l := range links {
			if !links[[2]int{l[1], l[0]}] {
				t.Fatalf("n=%d k=%d: %d lists %d but not the other way", c.n, c.k, l[0], l[1])
			}
		}
	}
}

// seedLine is the final line of a successful seed.
func seedLine(users, items, file string) *regexp.Regexp {
	return regexp.MustCompile(`^seeded ` + users + ` users, ` + items + ` roster items into ` +
		regexp.QuoteMeta(file) + ` in \d+\.\d\ds \(\d+ users/s\)\n$`)
}

// serveDB serves the database file with an empty fixtures directory.
func serveDB(t *testing.T, db string) *sandboxProcess {
	t.Helper()
	empty := t.TempDir()
	return startProcess(t, []string{"serve", "--db", db, "--fixtures", empty, "--c2s", "127.0.0.1:0", "--http", "127.0.0.1:0"})
}

func TestSeedSyntheticUsersThenServe(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "seed.db")
	res := runCLI(t, nil, "", "seed", "--db", db, "--users", "5", "--contacts", "2")
	if res.code != 0 || res.stderr != "" || !seedLine("5", "10", db).MatchString(res.stdout) {
		t.Fatalf("seed: exit %d, stdout %q, stderr %q", res.code, res.stdout, res.stderr)
	}
	srv := serveDB(t, db)
	user1 := loginTo(t, srv.c2s, srv.domain, "user1", "user1")
	roster := user1.fetchRoster()
	for _, contact := range []string{"user2@localhost", "user5@localhost"} {
		if !hasItem(roster, contact, "both") {
			t.Errorf("user1's roster lacks %s at both: %s", contact, roster)
		}
	}
	if items := rosterItems(t, srv, "user3"); len(items) != 2 || items["user2@localhost"].Subscription != "both" || items["user4@localhost"].Subscription != "both" {
		t.Errorf("user3's roster = %+v, want user2 and user4 at both", items)
	}
}

// hasItem reports whether a roster result holds contact at sub.
func hasItem(roster *stanza.Element, contact, sub string) bool {
	query := roster.Child(stanza.NSRoster, "query")
	if query == nil {
		return false
	}
	for _, it := range query.Elements() {
		if it.Get("jid") == contact && it.Get("subscription") == sub {
			return true
		}
	}
	return false
}

func TestSeedFixturesThenServe(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "users.yaml"), []byte(strangers), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "fixtures.db")
	res := runCLI(t, nil, "", "seed", "--fixtures", dir, "--db", db)
	if res.code != 0 || !seedLine("3", "2", db).MatchString(res.stdout) {
		t.Fatalf("seed: exit %d, stdout %q, stderr %q", res.code, res.stdout, res.stderr)
	}
	srv := serveDB(t, db)
	mine := loginTo(t, srv.c2s, srv.domain, "mine", "mine")
	if roster := mine.fetchRoster(); !hasItem(roster, "admin@localhost", "both") {
		t.Errorf("mine's roster lacks admin at both: %s", roster)
	}
}

func TestSeedRefusesBadInput(t *testing.T) {
	t.Parallel()
	badFixtures := t.TempDir()
	os.WriteFile(filepath.Join(badFixtures, "bad.yaml"), []byte("users:\n  mine: {password: 1, colour: red}\n  : x\n"), 0o644)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"odd contacts", []string{"--users", "10", "--contacts", "3"}, "even number"},
		{"too many contacts", []string{"--users", "4", "--contacts", "4"}, "fewer than --users 4"},
		{"negative contacts", []string{"--users", "4", "--contacts", "-2"}, "0 or more"},
		{"no users", []string{"--users", "0"}, "at least 1"},
		{"contacts alone", []string{"--contacts", "2"}, "--contacts needs --users"},
		{"memory database", []string{"--users", "2", "--db", ":memory:"}, "name a file"},
		{"missing fixtures", []string{"--fixtures", "/nonexistent/fixtures"}, "fixtures"},
		{"broken fixtures", []string{"--fixtures", badFixtures}, "fixtures: bad.yaml:"},
		{"stray argument", []string{"--users", "2", "now"}, `unexpected argument "now"`},
		{"bad domain", []string{"--users", "2", "--domain", "a b"}, "malformed --domain"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			db := filepath.Join(t.TempDir(), "seed.db")
			args := append([]string{"seed", "--db", db}, tt.args...)
			checkOneLineFailure(t, runCLI(t, nil, "", args...), 1, tt.want)
			if _, err := os.Stat(db); err == nil {
				t.Errorf("refused seed created %s", db)
			}
		})
	}
	t.Run("missing --db", func(t *testing.T) {
		t.Parallel()
		checkOneLineFailure(t, runCLI(t, nil, "", "seed", "--users", "2"), 1, "missing --db")
	})
}
