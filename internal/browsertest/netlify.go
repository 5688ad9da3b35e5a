package browsertest

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// HeaderRules returns the response headers for a URL path.
type HeaderRules func(urlPath string) map[string]string

// NetlifyRules reads every [[headers]] rule of netlify.toml and returns
// the headers Netlify sends for a path: those of every rule whose "for"
// pattern matches ("*" matches anything, slashes included), a later rule's
// value replacing an earlier one's for the same header, as Netlify's own
// header engine merges them.
func NetlifyRules(tb testing.TB, netlifyToml string) HeaderRules {
	tb.Helper()
	b, err := os.ReadFile(netlifyToml)
	if err != nil {
		tb.Fatal(err)
	}
	type rule struct {
		pattern *regexp.Regexp
		values  map[string]string
	}
	var rules []*rule
	var cur *rule
	for _, line := range strings.Split(string(b), "\n") {
		t := strings.TrimSpace(line)
		switch {
		case t == "[[headers]]":
			cur = &rule{values: map[string]string{}}
			rules = append(rules, cur)
		case cur != nil && strings.HasPrefix(t, "for = "):
			glob := strings.Trim(strings.TrimPrefix(t, "for = "), `"`)
			cur.pattern = regexp.MustCompile("^" + strings.ReplaceAll(regexp.QuoteMeta(glob), `\*`, ".*") + "$")
		case strings.HasPrefix(t, "[") && t != "[headers.values]":
			cur = nil
		case cur != nil:
			if m := headerLine.FindStringSubmatch(line); m != nil {
				cur.values[m[1]] = m[2]
			}
		}
	}
	return func(urlPath string) map[string]string {
		out := map[string]string{}
		for _, r := range rules {
			if r.pattern != nil && r.pattern.MatchString(urlPath) {
				for k, v := range r.values {
					out[k] = v
				}
			}
		}
		return out
	}
}

// ServeRules is Serve with the headers of each response chosen by its
// path (NetlifyRules).
func ServeRules(tb testing.TB, dir string, rules HeaderRules) string {
	tb.Helper()
	files := http.FileServer(http.Dir(dir))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, v := range rules(r.URL.Path) {
			w.Header().Set(k, v)
		}
		if f, err := http.Dir(dir).Open(path.Clean("/" + r.URL.Path)); err == nil {
			f.Close()
		} else if page, err := os.ReadFile(filepath.Join(dir, "404.html")); err == nil {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusNotFound)
			w.Write(page)
			return
		}
		files.ServeHTTP(w, r)
	}))
	tb.Cleanup(srv.Close)
	return srv.URL
}
