// Package web serves the browser side of the sandbox: the live inspector
// page (and, beside it, XMPP over WebSocket).
package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
)

//go:embed ui
var uiFiles embed.FS

// contentSecurityPolicy allows only the page's own files and same-origin
// requests: no inline script or style, no plugins, no framing. The page
// shows stanzas that clients wrote, so this is the second line of defence
// behind always inserting them as text.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; " +
	"form-action 'self'; frame-ancestors 'none'"

// contentType names the type of a file the page is made of, by its
// extension, so the answer does not depend on the MIME tables of the
// machine serving it. Files of other types are not served.
func contentType(name string) (string, bool) {
	switch path.Ext(name) {
	case ".html":
		return "text/html; charset=utf-8", true
	case ".js":
		return "text/javascript; charset=utf-8", true
	case ".css":
		return "text/css; charset=utf-8", true
	case ".svg":
		return "image/svg+xml", true
	}
	return "", false
}

// asset is one embedded file, ready to serve.
type asset struct {
	body  []byte
	ctype string
	etag  string
}

// UI returns the handler of the inspector page: index.html at "/" and the
// files beside it, read from the binary. Answers carry an ETag and
// "Cache-Control: no-cache", so a browser revalidates on each load and
// never runs a stale script against a newer server.
func UI() http.Handler {
	// Hashing the assets touches every byte of them: done at the first
	// request rather than in every start of a server nobody browses.
	assets := sync.OnceValue(loadAssets)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		name := strings.TrimPrefix(r.URL.Path, "/")
		if name == "" {
			name = "index.html"
		}
		a, ok := assets()[name]
		if !ok {
			http.NotFound(w, r)
			return
		}
		serveAsset(w, r, a)
	})
}

func serveAsset(w http.ResponseWriter, r *http.Request, a asset) {
	h := w.Header()
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-cache")
	h.Set("ETag", a.etag)
	if r.Header.Get("If-None-Match") == a.etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", a.ctype)
	h.Set("Content-Length", strconv.Itoa(len(a.body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(a.body)
	}
}

// loadAssets reads every embedded file of a known type once, with its
// content hash as ETag.
func loadAssets() map[string]asset {
	assets := map[string]asset{}
	fs.WalkDir(uiFiles, "ui", func(p string, d fs.DirEntry, err error) error {
		ctype, known := contentType(p)
		if err != nil || d.IsDir() || !known {
			return err
		}
		body, err := uiFiles.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		assets[strings.TrimPrefix(p, "ui/")] = asset{body, ctype, `"` + hex.EncodeToString(sum[:8]) + `"`}
		return nil
	})
	return assets
}
