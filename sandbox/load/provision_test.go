package load

import (
	"context"
	"encoding/xml"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xmppsandbox/xmppsandbox/sandbox"
	"github.com/xmppsandbox/xmppsandbox/sandbox/sandboxtest"
)

func TestPopulationIsMutual(t *testing.T) {
	p := Population{Domain: "localhost", Users: 9, Ring: 4, Fans: 3}
	for _, owner := range p.names() {
		contacts := p.contacts(owner)
		if slices.Contains(contacts, owner) {
			t.Errorf("%s is its own contact", owner)
		}
		for _, c := range contacts {
			if !slices.Contains(p.contacts(c), owner) {
				t.Errorf("%s has %s, but not the other way round", owner, c)
			}
		}
	}
	if got := len(p.contacts("user1")); got != 4 {
		t.Errorf("user1 has %d contacts, want 4", got)
	}
	if got := len(p.contacts("hub")); got != 3 {
		t.Errorf("the hub has %d contacts, want 3", got)
	}
}

func TestPopulationCheck(t *testing.T) {
	tests := []struct {
		p  Population
		ok bool
	}{
		{Population{Users: 10, Ring: 4}, true},
		{Population{Users: 0, Ring: 0, Fans: 5}, true},
		{Population{Users: 10, Ring: 3}, false},
		{Population{Users: 4, Ring: 4}, false},
		{Population{Users: 4, Ring: -2}, false},
		{Population{Users: -1}, false},
		{Population{Users: 4, Fans: -1}, false},
	}
	for _, tt := range tests {
		if err := tt.p.Check(); (err == nil) != tt.ok {
			t.Errorf("%+v: Check() = %v", tt.p, err)
		}
	}
}

func TestProsodyEncode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"localhost", "localhost"},
		{"example.com", "example%2ecom"},
		{"a-b_c", "a%2db%5fc"},
	}
	for _, tt := range tests {
		if got := prosodyEncode(tt.in); got != tt.want {
			t.Errorf("prosodyEncode(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestProvisionedFiles(t *testing.T) {
	dir := t.TempDir()
	p := Population{Domain: "example.com", Users: 5, Ring: 2, Fans: 2}
	if err := p.WriteProsody(filepath.Join(dir, "prosody")); err != nil {
		t.Fatal(err)
	}
	roster, err := os.ReadFile(filepath.Join(dir, "prosody", "example%2ecom", "roster", "hub.dat"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`["fan1@example.com"]`, `["subscription"] = "both"`, "[false] = {"} {
		if !strings.Contains(string(roster), want) {
			t.Errorf("the hub's Prosody roster lacks %s:\n%s", want, roster)
		}
	}
	pie := filepath.Join(dir, "users.xml")
	if err := p.WriteEjabberd(pie); err != nil {
		t.Fatal(err)
	}
	checkPIE(t, pie, len(p.names()))
}

// checkPIE parses a XEP-0227 file and counts its users.
func checkPIE(t *testing.T, file string, users int) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Host struct {
			JID   string `xml:"jid,attr"`
			Users []struct {
				Name  string `xml:"name,attr"`
				Items []struct {
					JID string `xml:"jid,attr"`
				} `xml:"query>item"`
			} `xml:"user"`
		} `xml:"host"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("not well-formed: %v", err)
	}
	if doc.Host.JID != "example.com" || len(doc.Host.Users) != users {
		t.Fatalf("host %q with %d users, want example.com with %d", doc.Host.JID, len(doc.Host.Users), users)
	}
}

func TestSandboxDBServesThePopulation(t *testing.T) {
	p := Population{Domain: "localhost", Users: 6, Ring: 2, Fans: 2}
	db := filepath.Join(t.TempDir(), "users.db")
	if err := p.WriteSandboxDB(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	// Written twice, the file is replaced, not added to.
	if err := p.WriteSandboxDB(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	srv := sandboxtest.Start(t, "", func(c *sandbox.Config) { c.DB = db })
	cfg := Config{Addr: srv.C2SAddr(), Domain: srv.Domain(), Users: "fan%d", Timeout: 10 * time.Second}
	if r := Fanout(cfg, "hub", "", 2, 2); r.Err != nil {
		t.Fatalf("the hub and its fans from the database: %v", r.Err)
	}
	cfg.Users = "user%d"
	if r := Login(cfg, 6, 3, 0); r.Err != nil {
		t.Fatalf("the ring's users from the database: %v", r.Err)
	}
}
