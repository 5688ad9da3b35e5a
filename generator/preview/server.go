package preview

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"sync"
)

// Paths the preview serves besides the portal. They are under a prefix no
// portal page can have (document IDs cannot start with "_").
const (
	statusPath = "/__clause/status"
	scriptPath = "/__clause/preview.js"
	stylePath  = "/__clause/preview.css"
)

//go:embed preview.js
var previewJS []byte

//go:embed preview.css
var previewCSS []byte

// server serves the last good build of the portal, and the state of the
// latest build: pages carry a small script (allowed by the production
// Content-Security-Policy, as it comes from the same origin) that reloads
// them when a build finishes, and, while the latest build failed, a box
// with its errors.
type server struct {
	site    string            // folder of the last good build
	headers map[string]string // sent with every response
	// headersFor returns the headers of a path that replace headers'.
	headersFor func(urlPath string) map[string]string

	mu         sync.Mutex
	generation int    // counts finished builds, good or not
	built      bool   // a good build is in site
	failure    string // errors of the latest build, "" when it succeeded
}

// finished records the outcome of a build: err is nil for a good one.
func (s *server) finished(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.generation++
	if err != nil {
		s.failure = err.Error()
		return
	}
	s.built, s.failure = true, ""
}

func (s *server) state() (generation int, built bool, failure string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.generation, s.built, s.failure
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	for k, v := range s.headers {
		w.Header().Set(k, v)
	}
	if s.headersFor != nil {
		for k, v := range s.headersFor(r.URL.Path) {
			w.Header().Set(k, v)
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	generation, built, failure := s.state()
	switch r.URL.Path {
	case statusPath:
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(struct {
			Generation int  `json:"generation"`
			OK         bool `json:"ok"`
		}{generation, failure == ""})
		return
	case scriptPath:
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		_, _ = w.Write(previewJS)
		return
	case stylePath:
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
		_, _ = w.Write(previewCSS)
		return
	}
	if !built {
		s.noBuild(w, generation, failure)
		return
	}
	name := path.Clean("/" + r.URL.Path)
	dir := http.Dir(s.site)
	f, err := dir.Open(name)
	if err == nil {
		fi, statErr := f.Stat()
		f.Close()
		if statErr == nil && fi.IsDir() {
			if !strings.HasSuffix(r.URL.Path, "/") {
				http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
				return
			}
			name = path.Join(name, "index.html")
		}
	}
	if !strings.HasSuffix(name, ".html") {
		if err != nil {
			s.notFound(w, dir, generation, failure)
			return
		}
		http.FileServer(dir).ServeHTTP(w, r)
		return
	}
	page, err := readFile(dir, name)
	if err != nil {
		s.notFound(w, dir, generation, failure)
		return
	}
	s.page(w, http.StatusOK, page, generation, failure)
}

func readFile(dir http.Dir, name string) ([]byte, error) {
	f, err := dir.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return nil, fs.ErrNotExist
	}
	return io.ReadAll(f)
}

// notFound serves the portal's own 404 page, as the host would.
func (s *server) notFound(w http.ResponseWriter, dir http.Dir, generation int, failure string) {
	page, err := readFile(dir, "/404.html")
	if err != nil {
		page = []byte("<!doctype html><title>Not found</title><body><h1>Not found</h1></body>")
	}
	s.page(w, http.StatusNotFound, page, generation, failure)
}

// page writes an HTML page of the portal with the preview's script, and
// the errors of the latest build when it failed.
func (s *server) page(w http.ResponseWriter, status int, page []byte, generation int, failure string) {
	head := fmt.Sprintf(`<script src="%s" data-generation="%d" defer></script>`, scriptPath, generation)
	var box string
	if failure != "" {
		head += fmt.Sprintf(`<link rel="stylesheet" href="%s">`, stylePath)
		box = errorBox(failure, "This page is the last good build; it updates when the errors are fixed.")
	}
	page = insertAfter(page, "<head", head)
	page = insertAfter(page, "<body", box)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(page)
}

// noBuild serves every page while no build has succeeded: the errors of the
// latest build, or a note that the first build is running.
func (s *server) noBuild(w http.ResponseWriter, generation int, failure string) {
	title, body := "Building the portal…", `<p>The first build is running; this page reloads when it is done.</p>`
	if failure != "" {
		title = "The portal did not build"
		body = errorBox(failure, "There is no build to show yet: this page reloads when the errors are fixed.")
	}
	page := fmt.Sprintf(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>%s</title><link rel="stylesheet" href="%s"></head><body><main><h1>%s</h1>%s</main></body></html>`, title, stylePath, title, body)
	s.page(w, http.StatusServiceUnavailable, []byte(page), generation, "")
}

// errorBox shows a failed build's messages (file:line first) to the reader
// of the preview.
func errorBox(failure, note string) string {
	return fmt.Sprintf(`<div class="clause-preview-error" role="alert"><p><strong>The latest build failed.</strong> %s</p><pre>%s</pre></div>`,
		html.EscapeString(note), html.EscapeString(strings.TrimSpace(failure)))
}

// insertAfter inserts s right after the tag that starts with open (e.g.
// "<body", whatever its attributes), or at the start when there is none.
func insertAfter(page []byte, open, s string) []byte {
	if s == "" {
		return page
	}
	i := bytes.Index(bytes.ToLower(page), []byte(open))
	if i < 0 {
		return append([]byte(s), page...)
	}
	j := bytes.IndexByte(page[i:], '>')
	if j < 0 {
		return append([]byte(s), page...)
	}
	at := i + j + 1
	out := make([]byte, 0, len(page)+len(s))
	out = append(out, page[:at]...)
	out = append(out, s...)
	return append(out, page[at:]...)
}
