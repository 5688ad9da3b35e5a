// Package preview serves a portal locally while it is edited: it builds
// the portal into a temporary folder, serves it over HTTP on a loopback
// address with the production security headers, and rebuilds when the
// content, layouts, static files, configuration or git history change. A
// failed rebuild is reported, in the terminal and above every page, and
// the last good build stays served. Open pages reload when a build
// finishes; a missing page gets the portal's 404 page.
package preview

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/clause-portal/clause/generator/config"
	"github.com/clause-portal/clause/generator/history"
	"github.com/clause-portal/clause/generator/portal"
)

// Options configures Serve.
type Options struct {
	// Build is how the portal is built; Out and BaseURL are set by Serve.
	Build portal.Options
	// Addr is the address to listen on (default "127.0.0.1:1313"; port 0
	// picks a free one).
	Addr string
	// Headers are sent with every response (the production
	// Content-Security-Policy, so the preview breaks where production
	// would).
	Headers map[string]string
	// HeadersFor, if set, returns headers for a request's path that are
	// sent instead of Headers' (the compare page's policy, which lets it
	// compile WebAssembly: site.ContentSecurityPolicyFor).
	HeadersFor func(urlPath string) map[string]string
	// Log receives build results and errors.
	Log io.Writer
	// Ready, if set, is called with the preview's URL once it serves.
	Ready func(url string)
	// Debounce is how long to wait for more changes before rebuilding
	// (default 200ms).
	Debounce time.Duration
}

// Serve builds and serves the portal until ctx is done.
func Serve(ctx context.Context, o Options) error {
	if o.Addr == "" {
		o.Addr = "127.0.0.1:1313"
	}
	if o.Debounce == 0 {
		o.Debounce = 200 * time.Millisecond
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		return fmt.Errorf("preview: %w", err)
	}
	url := "http://" + ln.Addr().String() + "/"
	out, err := os.MkdirTemp("", "clause-preview-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(out)
	site := filepath.Join(out, "site")
	o.Build.Out, o.Build.BaseURL = site, url

	srvState := &server{site: site, headers: o.Headers, headersFor: o.HeadersFor}
	build := func() {
		start := time.Now()
		res, err := portal.Build(ctx, o.Build)
		if ctx.Err() != nil {
			return
		}
		srvState.finished(err)
		if err != nil {
			if _, built, _ := srvState.state(); built {
				fmt.Fprintf(o.Log, "%s\nThe preview shows the last good build, with these errors above each page.\n", err)
			} else {
				fmt.Fprintf(o.Log, "%s\nThere is no build to show yet: the preview shows these errors until they are fixed.\n", err)
			}
			return
		}
		fmt.Fprintf(o.Log, "Built %d documents in %s\n", res.Documents, time.Since(start).Round(time.Millisecond))
	}
	build()

	srv := &http.Server{Handler: srvState, ReadHeaderTimeout: 10 * time.Second}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	defer srv.Close()

	watcher, err := watch(o.Build)
	if err != nil {
		return err
	}
	defer watcher.Close()
	fmt.Fprintf(o.Log, "Serving the portal at %s (rebuilds on change; Ctrl-C to stop)\n", url)
	if o.Ready != nil {
		o.Ready(url)
	}

	var timer <-chan time.Time
	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-serveErr:
			if errors.Is(err, http.ErrServerClosed) {
				return nil
			}
			return err
		case ev, ok := <-watcher.Events:
			if !ok {
				return nil
			}
			if ev.Op&fsnotify.Create != 0 {
				if fi, err := os.Stat(ev.Name); err == nil && fi.IsDir() && !ignored(ev.Name) {
					addTree(watcher, ev.Name)
				}
			}
			if !ignored(ev.Name) {
				timer = time.After(o.Debounce)
			}
		case err := <-watcher.Errors:
			fmt.Fprintf(o.Log, "watching files: %v\n", err)
		case <-timer:
			timer = nil
			build()
		}
	}
}

// watch watches what a build reads: the content folder, layouts/,
// static/, assets/ and i18n/ (recursively), the repository root (clause.toml),
// and git's HEAD and branch heads (new commits change dates).
func watch(b portal.Options) (*fsnotify.Watcher, error) {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	repo := b.Repo
	if repo == "" {
		repo = "."
	}
	cfg, err := config.Load(repo)
	if err != nil {
		cfg = config.Default()
	}
	content, _ := portal.ResolveContent(repo, b.Content, cfg)
	_ = w.Add(repo)
	for _, dir := range []string{filepath.Join(repo, content), filepath.Join(repo, "layouts"), filepath.Join(repo, "static"), filepath.Join(repo, "assets"), filepath.Join(repo, "i18n")} {
		addTree(w, dir)
	}
	for _, dir := range []string{filepath.Join(repo, ".git"), filepath.Join(repo, ".git", "refs", "heads")} {
		_ = w.Add(dir)
	}
	return w, nil
}

func addTree(w *fsnotify.Watcher, root string) {
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			if p != root && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			_ = w.Add(p)
		}
		return nil
	})
}

// ignored tells which changes do not call for a rebuild: editor swap and
// backup files, git's lock and object files, and Clause's own history
// cache in the git folder (written by the builds themselves).
func ignored(name string) bool {
	base := filepath.Base(name)
	sep := string(filepath.Separator)
	cache := sep + ".git" + sep + history.CacheFolder
	return strings.HasSuffix(base, "~") || strings.HasSuffix(base, ".swp") || strings.HasSuffix(base, ".lock") ||
		strings.HasPrefix(base, ".#") || strings.Contains(name, sep+"objects"+sep) ||
		strings.HasSuffix(name, cache) || strings.Contains(name, cache+sep)
}
