package load

import (
	"bufio"
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Population is the set of users a comparison runs with, the same on
// every server: users user1..userN (password = name), each with the ring
// neighbours as contacts at subscription both, and a hub whose fans
// fan1..fanF are its contacts at both, and it theirs.
type Population struct {
	Domain string
	Users  int
	Ring   int // contacts per user, even: Ring/2 on each side
	Fans   int
}

// contacts lists a user's contacts (local parts) in this population.
func (p Population) contacts(name string) []string {
	if name == "hub" {
		out := make([]string, p.Fans)
		for i := range out {
			out[i] = "fan" + strconv.Itoa(i+1)
		}
		return out
	}
	if strings.HasPrefix(name, "fan") {
		return []string{"hub"}
	}
	i, _ := strconv.Atoi(strings.TrimPrefix(name, "user"))
	var out []string
	for d := 1; d <= p.Ring/2; d++ {
		out = append(out, "user"+strconv.Itoa((i-1+d)%p.Users+1), "user"+strconv.Itoa((i-1-d+p.Users)%p.Users+1))
	}
	return out
}

// names lists every user of the population.
func (p Population) names() []string {
	out := make([]string, 0, p.Users+p.Fans+1)
	for i := 1; i <= p.Users; i++ {
		out = append(out, "user"+strconv.Itoa(i))
	}
	for i := 1; i <= p.Fans; i++ {
		out = append(out, "fan"+strconv.Itoa(i))
	}
	return append(out, "hub")
}

// Check refuses negative counts and a ring that cannot be mutual.
func (p Population) Check() error {
	if err := cmp.Or(atLeast("users", p.Users, 0), atLeast("fans", p.Fans, 0)); err != nil {
		return err
	}
	if p.Ring%2 != 0 || p.Ring < 0 || (p.Ring > 0 && p.Ring >= p.Users) {
		return &ParamError{fmt.Sprintf("--ring %d: want an even number below --users %d", p.Ring, p.Users)}
	}
	return nil
}

// WriteSandbox writes the population as one fixture file (YAML flow
// style, one user or roster per line).
func (p Population) WriteSandbox(file string) error {
	return writeFile(file, func(w *bufio.Writer) {
		fmt.Fprintf(w, "domain: %s\nusers:\n", p.Domain)
		for _, n := range p.names() {
			fmt.Fprintf(w, "  %s: {password: %s}\n", n, n)
		}
		w.WriteString("rosters:\n")
		for _, n := range p.names() {
			fmt.Fprintf(w, "  %s: [", n)
			for i, c := range p.contacts(n) {
				if i > 0 {
					w.WriteString(", ")
				}
				fmt.Fprintf(w, "{jid: %s@%s, subscription: both}", c, p.Domain)
			}
			w.WriteString("]\n")
		}
	})
}

// WriteProsody writes the population in the data directory of Prosody's
// internal storage: one Lua file per user and store, under the host's
// directory with its name percent-encoded as Prosody encodes it.
func (p Population) WriteProsody(dataDir string) error {
	host := filepath.Join(dataDir, prosodyEncode(p.Domain))
	for _, store := range []string{"accounts", "roster"} {
		if err := os.MkdirAll(filepath.Join(host, store), 0o755); err != nil {
			return err
		}
	}
	for _, n := range p.names() {
		if err := os.WriteFile(filepath.Join(host, "accounts", n+".dat"), []byte("return {\n\t[\"password\"] = \""+n+"\";\n};\n"), 0o644); err != nil {
			return err
		}
		if err := writeFile(filepath.Join(host, "roster", n+".dat"), func(w *bufio.Writer) { p.prosodyRoster(w, n) }); err != nil {
			return err
		}
	}
	return nil
}

// prosodyRoster writes one user's roster as Prosody stores it: the items
// by JID, and under the key false the roster's own metadata.
func (p Population) prosodyRoster(w *bufio.Writer, name string) {
	w.WriteString("return {\n\t[false] = {\n\t\t[\"version\"] = 1;\n\t\t[\"pending\"] = {};\n\t};\n")
	for _, c := range p.contacts(name) {
		fmt.Fprintf(w, "\t[\"%s@%s\"] = {\n\t\t[\"subscription\"] = \"both\";\n\t\t[\"groups\"] = {};\n\t};\n", c, p.Domain)
	}
	w.WriteString("};\n")
}

// prosodyEncode is Prosody's encoding of a store's path component:
// every character but letters and digits as %xx, in lower case.
func prosodyEncode(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02x", c)
	}
	return b.String()
}

// WriteEjabberd writes the population as a XEP-0227 (PIE) file, which
// ejabberdctl import_piefxis reads in one call.
func (p Population) WriteEjabberd(file string) error {
	return writeFile(file, func(w *bufio.Writer) {
		w.WriteString("<?xml version='1.0' encoding='UTF-8'?>\n<server-data xmlns='urn:xmpp:pie:0'>\n")
		fmt.Fprintf(w, "<host jid='%s'>\n", p.Domain)
		for _, n := range p.names() {
			fmt.Fprintf(w, "<user name='%s' password='%s'><query xmlns='jabber:iq:roster'>", n, n)
			for _, c := range p.contacts(n) {
				fmt.Fprintf(w, "<item jid='%s@%s' subscription='both'/>", c, p.Domain)
			}
			w.WriteString("</query></user>\n")
		}
		w.WriteString("</host>\n</server-data>\n")
	})
}

// writeFile writes a file through a buffer.
func writeFile(name string, write func(*bufio.Writer)) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	write(w)
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
