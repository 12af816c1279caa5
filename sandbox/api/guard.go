package api

import (
	"crypto/subtle"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// Guard keeps browsers and strangers away from the API. A web page the
// developer happens to visit can send requests to localhost; checking
// Origin stops cross-site requests (CSRF) and checking Host stops a
// hostile domain that resolves to 127.0.0.1 (DNS rebinding). Off
// loopback, a bearer token is required as well.
type Guard struct {
	// Token, when set, is required as "Authorization: Bearer TOKEN".
	Token string
	// Listen is the listener's address, host:port.
	Listen string
}

// Wrap returns h behind the guard.
func (g Guard) Wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if msg := g.refuse(r); msg != "" {
			writeError(w, &Error{http.StatusForbidden, msg})
			return
		}
		h.ServeHTTP(w, r)
	})
}

func (g Guard) refuse(r *http.Request) string {
	if g.Token != "" {
		// A browser's EventSource cannot set headers, so the inspector
		// may carry the token as ?token= instead.
		auth := r.Header.Get("Authorization")
		if q := r.URL.Query().Get("token"); q != "" && auth == "" {
			auth = "Bearer " + q
		}
		want := "Bearer " + g.Token
		if subtle.ConstantTimeCompare([]byte(auth), []byte(want)) != 1 {
			return "a token is required: send Authorization: Bearer TOKEN"
		}
	} else if !g.hostAllowed(r.Host) {
		return "Host " + r.Host + " is not this sandbox's address"
	}
	if o := r.Header.Get("Origin"); o != "" && !sameOrigin(o, r.Host) {
		return "cross-origin requests are refused (Origin " + o + ")"
	}
	if site := r.Header.Get("Sec-Fetch-Site"); site == "cross-site" {
		return "cross-site requests are refused"
	}
	return ""
}

// hostAllowed accepts the listener's own address and loopback names on
// its port.
func (g Guard) hostAllowed(hostport string) bool {
	host, port, err := net.SplitHostPort(hostport)
	if err != nil {
		return false
	}
	_, lport, _ := net.SplitHostPort(g.Listen)
	if port != lport {
		return false
	}
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	lhost, _, _ := net.SplitHostPort(g.Listen)
	return ip != nil && (ip.IsLoopback() || ip.String() == lhost)
}

func sameOrigin(origin, host string) bool {
	u, err := url.Parse(origin)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && strings.EqualFold(u.Host, host)
}
