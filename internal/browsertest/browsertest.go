// Package browsertest checks pages in a real headless Chromium (Debian's
// chromium package), driven over the DevTools protocol with chromedp. The
// pages are served from a folder by a loopback HTTP server that sends the
// portal's production security headers (from netlify.toml), so a page that
// breaks the Content-Security-Policy fails the test as it would in
// production.
package browsertest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// Timeout bounds every browser action of a test.
const Timeout = 60 * time.Second

// ExecPath returns the Chromium binary: $CHROMIUM, else the first of
// chromium, chromium-browser, google-chrome on PATH. It fails the test when
// there is none, naming the package to install: browser tests must not pass
// by skipping.
func ExecPath(tb testing.TB) string {
	tb.Helper()
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	tb.Fatal("Chromium is required for browser tests: apt-get install chromium (or set $CHROMIUM)")
	return ""
}

// Browser is a headless Chromium for one test.
type Browser struct {
	ctx context.Context
}

// New starts Chromium with the flags this workplace requires (headless, no
// sandbox as root, no GPU, no background networking) and a fresh profile.
// It is stopped when the test ends.
func New(tb testing.TB) *Browser {
	tb.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(ExecPath(tb)),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(tb.TempDir()),
		chromedp.WindowSize(1200, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	tb.Cleanup(func() { cancelCtx(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		tb.Fatalf("starting Chromium: %v", err)
	}
	return &Browser{ctx: ctx}
}

// Page is one browser tab.
type Page struct {
	tb  testing.TB
	ctx context.Context

	mu       sync.Mutex
	problems []string
}

// Option sets up a tab before it loads its page: its window size, its
// colour scheme.
type Option func(*tabSetup)

type tabSetup struct {
	width, height int64
	scheme        string
}

// Viewport sets the tab's viewport to width × height CSS pixels, as a
// desktop window of that size (no mobile zoom-out: a page wider than the
// viewport scrolls sideways, as the reader would see it).
func Viewport(width, height int64) Option {
	return func(s *tabSetup) { s.width, s.height = width, height }
}

// ColorScheme makes the tab report prefers-color-scheme: scheme ("light"
// or "dark") to the page's style sheets and scripts.
func ColorScheme(scheme string) Option {
	return func(s *tabSetup) { s.scheme = scheme }
}

// Open opens url in a new tab and waits for the page to load. Console
// errors, uncaught exceptions and browser log errors (CSP violations,
// failed requests) are recorded from the start; see Problems.
func (b *Browser) Open(tb testing.TB, url string, opts ...Option) *Page {
	tb.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx)
	tb.Cleanup(cancel)
	p := &Page{tb: tb, ctx: ctx}
	if err := chromedp.Do(ctx); err != nil {
		tb.Fatalf("opening a tab: %v", err)
	}
	var setup tabSetup
	for _, o := range opts {
		o(&setup)
	}
	if setup.width > 0 {
		p.Do(chromedp.EmulateViewport(setup.width, setup.height))
	}
	if setup.scheme != "" {
		p.Do(chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: setup.scheme}},
			})
			return err
		}))
	}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.IsException() || m.Type == "error" || m.Type == "assert" {
				p.record("%s %s:%d: %s", m.Type, m.URL, m.Line+1, m.Text)
			}
		}
	}()
	p.Do(chromedp.Navigate(url), chromedp.WaitReady(chromedp.CSS("body")))
	return p
}

func (p *Page) record(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.problems = append(p.problems, fmt.Sprintf(format, args...))
}

// Problems returns the console errors, exceptions and CSP violations seen
// so far. It waits briefly first, since the browser reports them
// asynchronously.
func (p *Page) Problems() []string {
	time.Sleep(200 * time.Millisecond)
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.problems...)
}

// Do runs chromedp actions in the tab, failing the test on error.
func (p *Page) Do(actions ...chromedp.Action[chromedp.Void]) {
	p.tb.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, Timeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		p.tb.Fatalf("browser: %v", err)
	}
}

// Click clicks the first element matching the CSS selector sel.
func (p *Page) Click(sel string) {
	p.tb.Helper()
	p.Do(chromedp.Click(chromedp.CSS(sel)))
}

// WaitVisible waits until the element matching sel is visible.
func (p *Page) WaitVisible(sel string) {
	p.tb.Helper()
	p.Do(chromedp.WaitVisible(chromedp.CSS(sel)))
}

// Type types text into the element matching sel, as a user would (key
// events, so input listeners fire).
func (p *Page) Type(sel, text string) {
	p.tb.Helper()
	p.Do(chromedp.SendKeys(chromedp.CSS(sel), text))
}

// Clear empties the input matching sel and fires its input event.
func (p *Page) Clear(sel string) {
	p.tb.Helper()
	Eval[bool](p, `(() => { const e = document.querySelector(`+"`"+sel+"`"+`); e.value = ""; e.dispatchEvent(new Event("input")); return true })()`)
}

// WaitPath waits until the tab has navigated to a URL whose path is path,
// and the new page is ready.
func (p *Page) WaitPath(path string) {
	p.tb.Helper()
	deadline := time.Now().Add(Timeout)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(p.ctx, 2*time.Second)
		got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.readyState === "complete" ? location.pathname : ""`))
		cancel()
		if err == nil && got == path {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	p.tb.Fatalf("browser: page did not reach %s", path)
}

// Text returns the visible text of the first element matching the CSS
// selector sel.
func (p *Page) Text(sel string) string {
	p.tb.Helper()
	return Run(p, chromedp.Text(chromedp.CSS(sel)))
}

// Run runs one chromedp action that returns a value.
func Run[T any](p *Page, action chromedp.Action[T]) T {
	p.tb.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, Timeout)
	defer cancel()
	v, err := chromedp.Run(ctx, action)
	if err != nil {
		p.tb.Fatalf("browser: %v", err)
	}
	return v
}

// Eval evaluates a JavaScript expression in the page.
func Eval[T any](p *Page, expr string) T {
	p.tb.Helper()
	return Run(p, chromedp.Evaluate[T](expr))
}

// Serve serves dir on a loopback address until the test ends, with the
// given response headers on every response, and returns the base URL. As
// static hosts do, a path with no file gets dir/404.html, with status 404.
func Serve(tb testing.TB, dir string, headers map[string]string) string {
	tb.Helper()
	files := http.FileServer(http.Dir(dir))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, v := range headers {
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

var headerLine = regexp.MustCompile(`^\s*([A-Za-z-]+)\s*=\s*"(.*)"\s*$`)

// NetlifyHeaders reads the headers netlify.toml sets for "/*": the
// production security headers, Content-Security-Policy among them.
func NetlifyHeaders(tb testing.TB, netlifyToml string) map[string]string {
	tb.Helper()
	b, err := os.ReadFile(netlifyToml)
	if err != nil {
		tb.Fatal(err)
	}
	headers := map[string]string{}
	inAll := false
	for _, line := range strings.Split(string(b), "\n") {
		t := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(t, "for = "):
			inAll = t == `for = "/*"`
		case strings.HasPrefix(t, "[") && t != "[headers.values]":
			if t == "[[headers]]" {
				continue
			}
			inAll = false
		case inAll:
			if m := headerLine.FindStringSubmatch(line); m != nil {
				headers[m[1]] = m[2]
			}
		}
	}
	if headers["Content-Security-Policy"] == "" {
		tb.Fatalf("%s sets no Content-Security-Policy for /*", netlifyToml)
	}
	return headers
}
