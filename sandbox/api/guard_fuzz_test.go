package api

import (
	"net"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// FuzzGuard feeds the guard arbitrary Host, Origin, Sec-Fetch-Site and
// Authorization headers, with and without a token. It must never panic,
// and whatever it lets through must meet its promises: the token when one
// is set, else a loopback name on the listener's port; a same-origin
// Origin if any; never a cross-site fetch. The seed corpus is in
// testdata/fuzz/FuzzGuard.
func FuzzGuard(f *testing.F) {
	f.Add("127.0.0.1:5280", "", "", "", false)
	f.Add("localhost:5280", "http://localhost:5280", "same-origin", "", false)
	f.Add("evil.example:5280", "", "", "", false)
	f.Add("127.0.0.1:5280", "http://evil.example", "", "", false)
	f.Add("[::1]:5280", "null", "cross-site", "", false)
	f.Add("10.0.0.1:5280", "", "", "Bearer secret", true)
	f.Add("10.0.0.1:5280", "", "", "Bearer secre", true)
	f.Add("a.localhost:5280", "HTTP://A.LOCALHOST:5280", "", "", false)
	f.Fuzz(func(t *testing.T, host, origin, site, auth string, withToken bool) {
		g := Guard{Listen: "127.0.0.1:5280"}
		if withToken {
			g.Token = "secret"
		}
		r := httptest.NewRequest("GET", "/api/health", nil)
		r.Host = host
		setHeader(r.Header, "Origin", origin)
		setHeader(r.Header, "Sec-Fetch-Site", site)
		setHeader(r.Header, "Authorization", auth)
		if g.refuse(r) != "" {
			return
		}
		switch {
		case withToken && auth != "Bearer secret":
			t.Fatalf("let %q through without the token", auth)
		case !withToken && !loopbackOnPort(host, "5280"):
			t.Fatalf("let Host %q through without a token", host)
		case origin != "" && !sameOriginHost(origin, host):
			t.Fatalf("let Origin %q through for Host %q", origin, host)
		case site == "cross-site":
			t.Fatal("let a cross-site fetch through")
		}
	})
}

func setHeader(h map[string][]string, name, value string) {
	if value != "" {
		h[name] = []string{value}
	}
}

// loopbackOnPort is the guard's promise without a token, written out
// independently.
func loopbackOnPort(hostport, port string) bool {
	host, p, err := net.SplitHostPort(hostport)
	if err != nil || p != port {
		return false
	}
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func sameOriginHost(origin, host string) bool {
	u, err := url.Parse(origin)
	return err == nil && strings.EqualFold(u.Host, host) && (u.Scheme == "http" || u.Scheme == "https")
}
