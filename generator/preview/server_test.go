package preview

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func newTestServer(t *testing.T) (*server, *httptest.Server) {
	t.Helper()
	site := t.TempDir()
	for name, body := range map[string]string{
		"index.html":     "<!doctype html><html><head><title>Legal</title></head><body class=\"home\"><h1>Legal</h1></body></html>",
		"dpa/index.html": "<!doctype html><html><head><title>DPA</title></head><body><h1>DPA</h1></body></html>",
		"404.html":       "<!doctype html><html><head><title>Page not found</title></head><body><h1>Page not found</h1></body></html>",
		"css/clause.css": "body{}",
	} {
		p := filepath.Join(site, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s := &server{site: site, headers: map[string]string{"Content-Security-Policy": "default-src 'none'; script-src 'self'"}}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return s, ts
}

func get(t *testing.T, url string) (int, string, http.Header) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

func TestPreviewServer(t *testing.T) {
	s, ts := newTestServer(t)

	// Before any build: a page that says so, and reloads.
	code, body, _ := get(t, ts.URL+"/dpa/")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "The first build is running") || !strings.Contains(body, `src="/__clause/preview.js" data-generation="0"`) {
		t.Errorf("before the first build: %d %s", code, body)
	}
	// A first build that fails: its errors, escaped, and no claim of a
	// last good build.
	s.finished(errors.New("content/dpa.md:2: effective: <b>someday</b> is not a date"))
	code, body, _ = get(t, ts.URL+"/dpa/")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "content/dpa.md:2: effective: &lt;b&gt;someday&lt;/b&gt; is not a date") ||
		!strings.Contains(body, "There is no build to show yet") || strings.Contains(body, "last good build") {
		t.Errorf("after a failed first build: %d %s", code, body)
	}

	s.finished(nil)
	code, body, h := get(t, ts.URL+"/dpa/")
	if code != http.StatusOK || !strings.Contains(body, `<head><script src="/__clause/preview.js" data-generation="2" defer></script><title>DPA</title>`) ||
		strings.Contains(body, "clause-preview-error") || h.Get("Content-Security-Policy") == "" || h.Get("Cache-Control") != "no-store" {
		t.Errorf("good build: %d %v %s", code, h, body)
	}
	if code, _, h := get(t, ts.URL+"/dpa"); code != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), "text/html") {
		t.Errorf("/dpa (redirected to /dpa/): %d %v", code, h)
	}
	if code, body, _ := get(t, ts.URL+"/css/clause.css"); code != http.StatusOK || body != "body{}" {
		t.Errorf("static file: %d %q", code, body)
	}
	// A missing page: the portal's 404 page, with status 404.
	for _, p := range []string{"/nothing/", "/nothing.css", "/../../etc/passwd"} {
		code, body, _ = get(t, ts.URL+p)
		if code != http.StatusNotFound || !strings.Contains(body, "<h1>Page not found</h1>") {
			t.Errorf("%s: %d %s", p, code, body)
		}
	}

	// A later build fails: the last good page, with the errors above it.
	s.finished(errors.New("content/dpa.md:2: effective: not a date"))
	code, body, _ = get(t, ts.URL+"/dpa/")
	if code != http.StatusOK || !strings.Contains(body, `<body><div class="clause-preview-error" role="alert">`) ||
		!strings.Contains(body, "content/dpa.md:2: effective: not a date") || !strings.Contains(body, "<h1>DPA</h1>") ||
		!strings.Contains(body, `href="/__clause/preview.css"`) {
		t.Errorf("failed rebuild: %d %s", code, body)
	}
	code, body, _ = get(t, ts.URL+"/__clause/status")
	var st struct {
		Generation int
		OK         bool
	}
	if err := json.Unmarshal([]byte(body), &st); err != nil || code != 200 || st.Generation != 3 || st.OK {
		t.Errorf("status: %d %s %v", code, body, err)
	}
	if code, body, h := get(t, ts.URL+"/__clause/preview.js"); code != 200 || !strings.Contains(body, "location.reload()") || !strings.HasPrefix(h.Get("Content-Type"), "text/javascript") {
		t.Errorf("script: %d %v", code, h)
	}
}

func TestInsertAfter(t *testing.T) {
	for _, tc := range []struct{ page, open, s, want string }{
		{`<html><BODY class="x">text`, "<body", "!", `<html><BODY class="x">!text`},
		{`no tags`, "<body", "!", `!no tags`},
		{`<body`, "<body", "!", `!<body`},
		{`<body>`, "<body", "", `<body>`},
	} {
		if got := string(insertAfter([]byte(tc.page), tc.open, tc.s)); got != tc.want {
			t.Errorf("insertAfter(%q, %q, %q) = %q, want %q", tc.page, tc.open, tc.s, got, tc.want)
		}
	}
}

// TestPreviewHeadersByPath checks that HeadersFor replaces the headers
// sent with every response for the paths it names: the compare page's
// policy, which allows WebAssembly, on the compare page only.
func TestPreviewHeadersByPath(t *testing.T) {
	s, ts := newTestServer(t)
	s.headersFor = func(p string) map[string]string {
		if strings.HasPrefix(p, "/dpa/compare/") {
			return map[string]string{"Content-Security-Policy": "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'"}
		}
		return nil
	}
	os.MkdirAll(filepath.Join(s.site, "dpa", "compare"), 0o755)
	if err := os.WriteFile(filepath.Join(s.site, "dpa", "compare", "index.html"), []byte("<!doctype html><title>Compare</title>"), 0o644); err != nil {
		t.Fatal(err)
	}
	s.finished(nil)
	for path, want := range map[string]string{
		"/dpa/":                     "default-src 'none'; script-src 'self'",
		"/dpa/compare/?from=a&to=b": "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'",
	} {
		code, _, h := get(t, ts.URL+path)
		if code != http.StatusOK || h.Get("Content-Security-Policy") != want || h.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: %d, policy %q, want %q", path, code, h.Get("Content-Security-Policy"), want)
		}
	}
}
