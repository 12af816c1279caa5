package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xmppsandbox/xmppsandbox/sandbox/sandboxtest"
	"github.com/xmppsandbox/xmppsandbox/sandbox/web"
)

// get asks the UI handler for path with method, without a network.
func get(t *testing.T, method, path string, header http.Header) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	web.UI().ServeHTTP(rec, req)
	return rec.Result()
}

func body(t *testing.T, path string) string {
	t.Helper()
	res := get(t, http.MethodGet, path, nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", path, res.Status)
	}
	b, _ := io.ReadAll(res.Body)
	return string(b)
}

func TestUIServesItsFilesWithTheirTypes(t *testing.T) {
	tests := []struct {
		path   string
		status int
		ctype  string
	}{
		{"/", http.StatusOK, "text/html; charset=utf-8"},
		{"/index.html", http.StatusOK, "text/html; charset=utf-8"},
		{"/app.js", http.StatusOK, "text/javascript; charset=utf-8"},
		{"/xml.js", http.StatusOK, "text/javascript; charset=utf-8"},
		{"/style.css", http.StatusOK, "text/css; charset=utf-8"},
		{"/favicon.svg", http.StatusOK, "image/svg+xml"},
		{"/missing.js", http.StatusNotFound, ""},
		{"/ui/app.js", http.StatusNotFound, ""},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			res := get(t, http.MethodGet, tc.path, nil)
			if res.StatusCode != tc.status {
				t.Fatalf("status %d, want %d", res.StatusCode, tc.status)
			}
			if tc.ctype != "" && res.Header.Get("Content-Type") != tc.ctype {
				t.Fatalf("Content-Type %q, want %q", res.Header.Get("Content-Type"), tc.ctype)
			}
		})
	}
}

func TestUIHeaders(t *testing.T) {
	res := get(t, http.MethodGet, "/app.js", nil)
	csp := res.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("Content-Security-Policy %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe") {
		t.Errorf("Content-Security-Policy %q allows unsafe sources", csp)
	}
	if got := res.Header.Get("X-Content-Type-Options"); got != "nosniff" {
		t.Errorf("X-Content-Type-Options %q, want nosniff", got)
	}
	if got := res.Header.Get("Cache-Control"); got != "no-cache" {
		t.Errorf("Cache-Control %q, want no-cache so a new binary's page is never stale", got)
	}
}

func TestUIRevalidatesWithETag(t *testing.T) {
	etag := get(t, http.MethodGet, "/", nil).Header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	res := get(t, http.MethodGet, "/", http.Header{"If-None-Match": {etag}})
	if res.StatusCode != http.StatusNotModified {
		t.Fatalf("If-None-Match with the current ETag: %s, want 304", res.Status)
	}
	if other := get(t, http.MethodGet, "/style.css", nil).Header.Get("ETag"); other == etag {
		t.Fatalf("two files share the ETag %s", etag)
	}
}

func TestUIMethods(t *testing.T) {
	if res := get(t, http.MethodHead, "/", nil); res.StatusCode != http.StatusOK {
		t.Errorf("HEAD: %s", res.Status)
	}
	res := get(t, http.MethodPost, "/", nil)
	if res.StatusCode != http.StatusMethodNotAllowed || res.Header.Get("Allow") != "GET, HEAD" {
		t.Errorf("POST: %s, Allow %q; want 405 with Allow: GET, HEAD", res.Status, res.Header.Get("Allow"))
	}
}

// The policy forbids inline code; the page must not need any, or it
// breaks in the browser while looking fine here.
func TestPageHasNoInlineCode(t *testing.T) {
	page := body(t, "/")
	checks := []struct {
		what string
		re   string
	}{
		{"a script without src", `<script(?:\s+[^>]*)?>\s*[^<\s]`},
		{"an event handler attribute", `<[^>]+\son[a-z]+\s*=`},
		{"a style attribute", `<[^>]+\sstyle\s*=`},
		{"a style element", `<style[\s>]`},
		{"a javascript: URL", `(?i)javascript:`},
	}
	for _, c := range checks {
		if m := regexp.MustCompile(c.re).FindString(page); m != "" {
			t.Errorf("index.html has %s: %q", c.what, m)
		}
	}
}

// The stream shows XML that clients wrote; inserting it as HTML would
// let a stanza run script in the developer's browser.
func TestScriptsNeverInsertHTML(t *testing.T) {
	for _, name := range scripts(t) {
		src := body(t, "/"+name)
		for _, sink := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"} {
			if strings.Contains(src, sink) {
				t.Errorf("%s uses %s", name, sink)
			}
		}
	}
}

var (
	pageRef   = regexp.MustCompile(`(?:src|href)="([^":]+)"`)
	moduleRef = regexp.MustCompile(`from '\./([^']+)'`)
)

// scripts lists the modules the page loads, following imports from the
// ones index.html names.
func scripts(t *testing.T) []string {
	t.Helper()
	var todo, seen []string
	for _, m := range pageRef.FindAllStringSubmatch(body(t, "/"), -1) {
		if strings.HasSuffix(m[1], ".js") {
			todo = append(todo, m[1])
		}
	}
	for len(todo) > 0 {
		name := todo[0]
		todo = todo[1:]
		if slices.Contains(seen, name) {
			continue
		}
		seen = append(seen, name)
		for _, m := range moduleRef.FindAllStringSubmatch(body(t, "/"+name), -1) {
			todo = append(todo, m[1])
		}
	}
	return seen
}

func TestEveryReferenceIsServed(t *testing.T) {
	for _, m := range pageRef.FindAllStringSubmatch(body(t, "/"), -1) {
		body(t, "/"+m[1])
	}
	got := scripts(t)
	for _, want := range []string{"app.js", "util.js", "xml.js", "rows.js", "stream.js", "state.js", "inject.js"} {
		if !slices.Contains(got, want) {
			t.Errorf("the page loads %v, not %s", got, want)
		}
	}
}

func TestServerServesThePageAtRoot(t *testing.T) {
	srv := sandboxtest.Start(t, "")
	res, err := http.Get("http://" + srv.HTTPAddr() + "/")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK || !strings.Contains(string(b), "xmppsandbox inspector") {
		t.Fatalf("GET / on the server: %s\n%s", res.Status, b)
	}
	if res.Header.Get("Content-Security-Policy") == "" {
		t.Fatal("the server's / has no Content-Security-Policy")
	}
}
