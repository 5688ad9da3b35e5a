package preview

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/clause-portal/clause/generator/portal"
	"github.com/clause-portal/clause/generator/site"
	"github.com/clause-portal/clause/internal/browsertest"
	"github.com/clause-portal/clause/internal/gittest"
)

// TestPreviewReloadsInChromium: a page open in Chromium, under the
// production Content-Security-Policy, reloads by itself when an edit is
// rebuilt, shows a failed rebuild's file:line errors above the last good
// page, and goes back to the page once fixed. No CSP violation or console
// error on the way.
func TestPreviewReloadsInChromium(t *testing.T) {
	r := gittest.New(t)
	r.Write("content/dpa.md", "# Data Processing Agreement\n\nFirst text.\n")
	r.Commit("2026-01-10T09:00:00Z", "Publish")

	urls := make(chan string, 1)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- Serve(ctx, Options{
			Build:    portal.Options{Repo: r.Dir, Log: io.Discard, Env: func(string) string { return "" }},
			Addr:     "127.0.0.1:0",
			Headers:  map[string]string{"Content-Security-Policy": site.ContentSecurityPolicy},
			Ready:    func(u string) { urls <- u },
			Debounce: 50 * time.Millisecond,
		})
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	var base string
	select {
	case base = <-urls:
	case err := <-done:
		t.Fatalf("serve stopped: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("preview did not start")
	}

	b := browsertest.New(t)
	p := b.Open(t, base+"dpa/")
	if got := p.Text("main"); !strings.Contains(got, "First text.") {
		t.Fatalf("first page: %q", got)
	}
	waitFor := func(what, expr string) {
		t.Helper()
		deadline := time.Now().Add(60 * time.Second)
		// The page reloads under the test's feet: no body for a moment.
		expr = `(() => { const text = () => document.body ? document.body.innerText : ""; return ` + expr + ` })()`
		for !browsertest.Eval[bool](p, expr) {
			if time.Now().After(deadline) {
				t.Fatalf("%s: not seen in the open page; it shows %q", what, browsertest.Eval[string](p, "document.body.innerText"))
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	r.Write("content/dpa.md", "# Data Processing Agreement\n\nEdited text.\n")
	waitFor("the edit", `text().includes("Edited text.")`)

	r.Write("content/dpa.md", "---\neffective: someday\n---\n# DPA\n")
	waitFor("the error box", `!!document.querySelector(".clause-preview-error") && document.querySelector(".clause-preview-error").innerText.includes("content/dpa.md:2")`)
	if got := browsertest.Eval[string](p, `getComputedStyle(document.querySelector(".clause-preview-error")).borderBottomStyle`); got != "solid" {
		t.Errorf("the error box is not styled (border %q): preview.css blocked?", got)
	}
	if !browsertest.Eval[bool](p, `document.body.innerText.includes("Edited text.")`) {
		t.Error("the last good page is not shown under the errors")
	}

	r.Write("content/dpa.md", "# Data Processing Agreement\n\nFixed text.\n")
	waitFor("the fix", `text().includes("Fixed text.") && !document.querySelector(".clause-preview-error")`)
	for _, problem := range p.Problems() {
		t.Error(problem)
	}
}
