package web

import (
	"encoding/json"
	"net/http"
	"strings"
)

// HostMeta advertises the WebSocket endpoint for XEP-0156 discovery, as
// XRD (host-meta) and JSON (host-meta.json). The URL follows the Host the
// client used, so it works whatever name reached the listener.
func HostMeta(path string) (xrd, jrd http.Handler) {
	endpoint := func(r *http.Request) string {
		scheme := "ws"
		if r.TLS != nil {
			scheme = "wss"
		}
		return scheme + "://" + r.Host + path
	}
	xrd = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/xrd+xml")
		w.Header().Set("Access-Control-Allow-Origin", "*")
		var b strings.Builder
		b.WriteString(`<?xml version='1.0' encoding='utf-8'?>` + "\n")
		b.WriteString(`<XRD xmlns='http://docs.oasis-open.org/ns/xri/xrd-1.0'>` + "\n")
		b.WriteString(`  <Link rel='urn:xmpp:alt-connections:websocket' href='` + xmlEscape(endpoint(r)) + `'/>` + "\n")
		b.WriteString(`</XRD>` + "\n")
		w.Write([]byte(b.String()))
	})
	jrd = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Access-Control-Allow-Origin", "*")
		json.NewEncoder(w).Encode(map[string]any{
			"links": []map[string]string{{"rel": "urn:xmpp:alt-connections:websocket", "href": endpoint(r)}},
		})
	})
	return xrd, jrd
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "'", "&apos;", `"`, "&quot;").Replace(s)
}
