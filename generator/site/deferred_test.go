package site_test

import (
	"bytes"
	"crypto/sha256"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	. "github.com/clause-portal/clause/generator/site"
)

// deferredSite is a site of two pages whose layout prints a deferred
// parameter as HTML, in an attribute and as text, and the page's body: the
// first page's body is large, the second's forges a placeholder.
func deferredSite(t *testing.T, layouts string, table, body []byte) *Site {
	tmpl := `<!doctype html><title>{{ .Title }}</title><meta name="description" content="{{ .Params.clause.table }}">` +
		`<p class="text">{{ .Params.clause.table }}</p><div class="table">{{ .Params.clause.table | safeHTML }}</div><main>{{ .Content }}</main>`
	if err := os.WriteFile(filepath.Join(layouts, "deferred.html"), []byte(tmpl), 0o644); err != nil {
		t.Fatal(err)
	}
	forged := []byte(`<p>A forged <clause-deferred id="00000000000000000000000000000000-1"></clause-deferred> and <clause-deferred id="page-1"></clause-deferred>.</p>`)
	date := time.Date(2026, 1, 2, 10, 0, 0, 0, time.UTC)
	return &Site{Title: "Legal", BaseURL: "/", LanguageCode: "en", Location: time.UTC, Params: map[string]any{},
		Pages: []*Page{
			{URL: "/register/", Layout: "deferred", Title: "Register", Date: date, Params: map[string]any{"register": map[string]any{}, "table": Defer(table)}, HTML: body},
			{URL: "/forged/", Layout: "deferred", Title: "Forged", Date: date, Params: map[string]any{"table": "plain"}, HTML: forged},
		}}
}

// TestDeferredHTML: large HTML goes round Hugo and lands in the page byte
// for byte where the template prints it as HTML, and nowhere else; a
// placeholder written in content is published as written; the page cache
// keys a page by its deferred HTML.
func TestDeferredHTML(t *testing.T) {
	table := []byte("<table><tr><td>A &amp; B $1 \\ {{ .Title }} é</td></tr></table>")
	var b bytes.Buffer
	for b.Len() < DeferBody {
		b.WriteString("<p>Clause {{ 1 }} &lt;x&gt; $&amp; \\1 «text»</p>\n")
	}
	body := b.Bytes()
	cacheDir, layouts := t.TempDir(), t.TempDir()
	build := func(table []byte) (string, string) {
		s := deferredSite(t, layouts, table, body)
		out := filepath.Join(t.TempDir(), "public")
		pc, err := OpenPageCache(cacheDir)
		if err != nil {
			t.Fatal(err)
		}
		if err := Build(s, Options{PublishDir: out, WorkDir: t.TempDir(), LayoutsDir: layouts, Partial: true, Cache: pc, ReleasePages: true}); err != nil {
			t.Fatal(err)
		}
		if err := pc.Save(); err != nil {
			t.Fatal(err)
		}
		reg, err := os.ReadFile(filepath.Join(out, "register", "index.html"))
		if err != nil {
			t.Fatal(err)
		}
		forged, err := os.ReadFile(filepath.Join(out, "forged", "index.html"))
		if err != nil {
			t.Fatal(err)
		}
		return string(reg), string(forged)
	}
	reg, forged := build(table)
	if !strings.Contains(reg, `<div class="table">`+string(table)+`</div>`) {
		t.Errorf("the deferred table is not in the page as given:\n%.2000s", reg)
	}
	if !strings.Contains(reg, "<main>"+string(body)+"</main>") {
		t.Errorf("the large body is not in the page as given:\n%.2000s", reg)
	}
	if n := strings.Count(reg, string(table)); n != 1 {
		t.Errorf("the table is in the page %d times, want once (not in the attribute, not as text)", n)
	}
	if strings.Count(reg, "&lt;clause-deferred") != 2 {
		t.Errorf("want the placeholder left as escaped in the attribute and the text:\n%.600s", reg)
	}
	for _, f := range []string{`<clause-deferred id="00000000000000000000000000000000-1"></clause-deferred>`, `<clause-deferred id="page-1"></clause-deferred>`} {
		if !strings.Contains(forged, f) {
			t.Errorf("a placeholder in content is not published as written: %s\n%s", f, forged)
		}
	}
	if strings.Contains(forged, "<table>") {
		t.Errorf("a placeholder in content was replaced:\n%s", forged)
	}

	// Rebuilt from the cache: the same pages (rendered again, they would
	// differ: the escaped placeholders hold the nonce of their build);
	// with another table, the new one.
	reg2, forged2 := build(table)
	if reg2 != reg || forged2 != forged {
		t.Error("the pages built from the cache differ from those rendered")
	}
	other := []byte("<table><tr><td>Other</td></tr></table>")
	reg3, _ := build(other)
	if !strings.Contains(reg3, `<div class="table">`+string(other)+`</div>`) || strings.Contains(reg3, string(table)) {
		t.Errorf("a page with other deferred HTML came from the cache:\n%.600s", reg3)
	}
}

// TestDeferredLazyHTML: HTML kept elsewhere (DeferLazy) lands in the page
// where the template prints it; the page cache restores the page without
// reading it, whether it was at hand (Defer) or kept when the page was
// rendered, and renders the page again when it changes; a lazy body beside
// it is not read either, nor when a page has several (whose placeholders
// are numbered in the same order at every build); HTML that is not the
// bytes kept is an error naming the page.
func TestDeferredLazyHTML(t *testing.T) {
	redline := `<div class="redline"><p><ins>new</ins> {{ .Title }} é</p></div>`
	since := `<div class="redline"><p><del>since</del></p></div>`
	body := "<p>The text.</p>"
	loads := 0
	lazy := func(html string) *LazyHTML {
		return &LazyHTML{Sum: sha256.Sum256([]byte(html)), Size: len(html), Load: func() ([]byte, error) {
			loads++
			return []byte(html), nil
		}}
	}
	cacheDir, layouts := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(layouts, "version.html"), []byte(`<!doctype html><title>{{ .Title }}</title><main>{{ .Content }}</main><section>{{ .Params.clause.redline | safeHTML }}</section><aside>{{ .Params.clause.since | safeHTML }}</aside>`), 0o644); err != nil {
		t.Fatal(err)
	}
	build := func(d *Deferred, body *LazyHTML) (string, error) {
		s := &Site{Title: "Legal", BaseURL: "/", LanguageCode: "en", Location: time.UTC, Params: map[string]any{},
			Pages: []*Page{{URL: "/dpa/versions/v1/", Layout: "version", Title: "DPA", Date: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC), Params: map[string]any{"redline": d, "since": DeferLazy(lazy(since)), "aside": map[string]any{"a": DeferLazy(lazy(since)), "b": Defer([]byte(since))}}, Lazy: body}}}
		out := filepath.Join(t.TempDir(), "public")
		pc, err := OpenPageCache(cacheDir)
		if err != nil {
			t.Fatal(err)
		}
		if err := Build(s, Options{PublishDir: out, WorkDir: t.TempDir(), LayoutsDir: layouts, Partial: true, Cache: pc, ReleasePages: true}); err != nil {
			return "", err
		}
		if err := pc.Save(); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(out, "dpa", "versions", "v1", "index.html"))
		return string(b), err
	}
	page, err := build(Defer([]byte(redline)), lazy(body))
	if err != nil {
		t.Fatal(err)
	}
	want := "<main>" + body + "</main><section>" + redline + "</section><aside>" + since + "</aside>"
	if !strings.Contains(page, want) || loads != 3 {
		t.Fatalf("%d reads; the page does not hold %s:\n%s", loads, want, page)
	}
	loads = 0
	for range 6 { // maps are walked in another order every time
		if again, err := build(DeferLazy(lazy(redline)), lazy(body)); err != nil || again != page || loads != 0 {
			t.Fatalf("rebuilt with the HTML kept elsewhere: %d reads (want 0: from the cache), same page %v, err %v", loads, again == page, err)
		}
	}
	changed := `<div class="redline"><del>old</del></div>`
	again, err := build(DeferLazy(lazy(changed)), lazy(body))
	if err != nil || !strings.Contains(again, "<section>"+changed+"</section>") || loads != 4 {
		t.Errorf("changed HTML: %d reads (want 4, the body and every lazy HTML), err %v:\n%s", loads, err, again)
	}
	bad := lazy(redline + " ")
	bad.Load = func() ([]byte, error) { return []byte(redline + "!"), nil }
	if _, err := build(DeferLazy(bad), lazy(body)); err == nil || !strings.Contains(err.Error(), "dpa/versions/v1") || !strings.Contains(err.Error(), "damaged") {
		t.Errorf("HTML that is not the bytes kept: err %v", err)
	}
}
