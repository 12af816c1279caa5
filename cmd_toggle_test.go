package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestToggleListAndSet(t *testing.T) {
	t.Parallel()
	srv := startServe(t, strangers)
	table := srv.run(t, "toggle", "list")
	if lines := strings.Split(strings.TrimSpace(table), "\n"); len(lines) != 11 || strings.Contains(table, "off") {
		t.Fatalf("toggle list printed\n%s\nwant ten toggles, all on", table)
	}
	if out := srv.run(t, "toggle", "set", "ping", "off"); strings.TrimSpace(out) != "ping is now off" {
		t.Errorf("toggle set printed %q", out)
	}
	var all map[string]bool
	if err := json.Unmarshal([]byte(srv.run(t, "toggle", "list", "--json")), &all); err != nil || all["ping"] || !all["disco"] {
		t.Fatalf("toggle list --json: %v, %v", all, err)
	}
	mine := loginTo(t, srv.c2s, srv.domain, "mine", "mine")
	mine.send(`<iq type='get' id='p1' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>`)
	mine.await(`<iq type='error' id='p1'><error><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`)
	srv.run(t, "toggle", "set", "PING", "on")
	mine.sync()

	srv.run(t, "toggle", "set", "roster-versioning", "off")
	later := loginTo(t, srv.c2s, srv.domain, "mine", "mine")
	if res := later.fetchRoster(); res.Payload().Has("ver") {
		t.Fatalf("with roster-versioning off, a new session's roster is %s", res)
	}
}

func TestToggleRefusesBadUsage(t *testing.T) {
	t.Parallel()
	srv := startServe(t, strangers)
	srv.run(t, "toggle", "set", "sasl-plain", "off")
	srv.run(t, "toggle", "set", "sasl-scram-sha-1", "off")
	tests := []struct {
		name string
		args []string
		says string
	}{
		{"last mechanism", []string{"toggle", "set", "sasl-scram-sha-256", "off"}, "every SASL mechanism"},
		{"unknown toggle", []string{"toggle", "set", "carbons", "off"}, "unknown toggle"},
		{"not a switch", []string{"toggle", "set", "ping", "maybe"}, "on or off"},
		{"missing state", []string{"toggle", "set", "ping"}, "missing on|off"},
		{"stray argument", []string{"toggle", "list", "ping"}, "unexpected argument"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runCLI(t, nil, "", append(tt.args, "--server", srv.server)...)
			if res.code != 1 || !strings.Contains(res.stderr, tt.says) {
				t.Fatalf("exit %d, stderr %q; want 1 saying %q", res.code, res.stderr, tt.says)
			}
		})
	}
	// The refused change changed nothing: SCRAM-SHA-256 still logs in.
	loginTo(t, srv.c2s, srv.domain, "mine", "mine").sync()
}
