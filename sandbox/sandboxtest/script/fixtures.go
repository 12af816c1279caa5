package script

import (
	"gopkg.in/yaml.v3"
)

// fixtureFile is the part of the sandbox's fixture format a script needs.
type fixtureFile struct {
	Domain string                 `yaml:"domain"`
	Users  map[string]fixtureUser `yaml:"users"`
}

type fixtureUser struct {
	Password string `yaml:"password"`
}

// FixturesFor returns fixture YAML declaring domain and, with its
// password, the account of every client of s, with empty rosters: what a
// fresh server needs to run the script.
func FixturesFor(s *Script, domain string) string {
	f := fixtureFile{Domain: domain, Users: map[string]fixtureUser{}}
	for _, c := range s.Clients {
		if j, err := parseJID(c.JID); err == nil {
			f.Users[j.Localpart()] = fixtureUser{Password: c.Password}
		}
	}
	out, err := yaml.Marshal(f)
	if err != nil {
		// Strings and maps of strings always marshal.
		panic(err)
	}
	return string(out)
}
