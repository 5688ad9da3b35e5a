package portal

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clause-portal/clause/internal/browsertest"
	"github.com/clause-portal/clause/internal/gittest"
)

// exampleRepo is the example portal of this repository (content/ and
// clause.toml) given a history a reader meets on a real portal, seen from
// the tests' build date (23 November 2026): an earlier DPA superseded by
// one published but not yet in force (effective 15 December 2026), and a
// sub-processor added on 10 November, whose objection window runs until
// 10 December.
func exampleRepo(t *testing.T) *gittest.Repo {
	t.Helper()
	r := gittest.New(t)
	read := func(p string) string {
		b, err := os.ReadFile(filepath.Join("..", "..", p))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	config := read("clause.toml") + "\n[subscribe]\nemail = \"dpo@northwind-ledger.example\"\nurl = \"https://northwind-ledger.example/legal-updates\"\ntext = \"Customers' DPOs get an email on every material change.\"\n"
	r.Write("clause.toml", config)
	for _, p := range []string{"privacy-policy.md", "cookies.md", "de/cookies.md"} {
		r.Write("content/"+p, read("content/"+p))
	}
	dpa, subs := read("content/dpa.md"), read("content/subprocessors.md")
	var sentrylane string
	for _, l := range strings.Split(subs, "\n") {
		if strings.HasPrefix(l, "| Sentrylane") {
			sentrylane = l + "\n"
		}
	}
	if sentrylane == "" || !strings.Contains(dpa, "within 48 hours") || !strings.Contains(dpa, "effective: 2026-12-15") {
		t.Fatal("the example portal changed: update exampleRepo")
	}
	oldDPA := strings.Replace(strings.Replace(dpa, "within 48 hours", "within 72 hours", 1), "effective: 2026-12-15", "effective: 2026-01-01", 1)
	r.Write("content/dpa.md", oldDPA)
	r.Write("content/subprocessors.md", strings.Replace(subs, sentrylane, "", 1))
	r.Commit("2026-01-10T10:00:00Z", "Publish DPA, privacy policy, sub-processors and cookie policy")

	r.Write("content/subprocessors.md", subs)
	r.Commit("2026-11-10T10:00:00Z", "Add Sentrylane for error monitoring")

	r.Write("content/dpa.md", dpa)
	r.Commit("2026-11-20T10:00:00Z", "DPA: 48-hour breach notice")
	return r
}

// examplePages are the portal's page types in the example portal built
// from exampleRepo, by name.
func examplePages(t *testing.T, dir string) map[string]string {
	t.Helper()
	pages := map[string]string{
		"index":          "/",
		"document":       "/dpa/",
		"versions":       "/dpa/versions/",
		"sub-processors": "/subprocessors/",
		"changelog":      "/changelog/",
		"404":            "/404.html",
		"translation":    "/de/cookies/",
	}
	for _, d := range loadAPI(t, dir).Documents {
		if d.ID == "dpa" {
			if len(d.Versions) != 2 || d.Versions[1].DiffURL != nil {
				t.Fatalf("dpa: %d versions", len(d.Versions))
			}
			pages["version"] = d.Versions[1].URL
			pages["compare"] = *d.Versions[0].DiffURL
		}
		if d.ID == "subprocessors" {
			pages["sub-processors version"] = d.Versions[1].URL
		}
	}
	return pages
}

// TestPortalAccessibleAndNarrow runs axe-core on every page type of the
// example portal, at a laptop's width (1366 px) and a phone's (390 px), in
// the light and the dark colour scheme, and checks that no page scrolls
// sideways.
func TestPortalAccessibleAndNarrow(t *testing.T) {
	axe := browsertest.AxeSource(t)
	r := exampleRepo(t)
	mustBuild(t, r.Dir, Options{})
	pages := examplePages(t, r.Dir)
	base := browsertest.Serve(t, filepath.Join(r.Dir, "public"), browsertest.NetlifyHeaders(t, filepath.Join("..", "..", "netlify.toml")))
	b := browsertest.New(t)
	for _, size := range [][2]int64{{1366, 900}, {390, 844}} {
		for _, scheme := range []string{"light", "dark"} {
			for name, path := range pages {
				t.Run(fmt.Sprintf("%dpx/%s/%s", size[0], scheme, name), func(t *testing.T) {
					p := b.Open(t, base+path, browsertest.Viewport(size[0], size[1]), browsertest.ColorScheme(scheme))
					if dark := browsertest.Eval[bool](p, `matchMedia("(prefers-color-scheme: dark)").matches`); dark != (scheme == "dark") {
						t.Fatalf("prefers-color-scheme: dark is %v", dark)
					}
					if got := browsertest.Eval[int](p, `innerWidth`); got != int(size[0]) {
						t.Fatalf("innerWidth %d", got)
					}
					if sw := browsertest.Eval[int](p, `document.documentElement.scrollWidth`); sw > int(size[0]) {
						wide := browsertest.Eval[string](p, widestElements)
						t.Errorf("%s scrolls sideways: %d px wide in a %d px window; too wide: %s", path, sw, size[0], wide)
					}
					for _, v := range p.Axe(axe) {
						t.Errorf("%s: %s", path, v)
					}
					for _, problem := range p.Problems() {
						t.Errorf("%s: %s", path, problem)
					}
				})
			}
		}
	}
}

// widestElements names the innermost elements that reach past the right
// edge of the window, for a failure message.
const widestElements = `(() => {
  const out = [];
  for (const e of document.querySelectorAll("body *")) {
    const r = e.getBoundingClientRect();
    if (r.right > innerWidth + 1 && ![...e.children].some(c => c.getBoundingClientRect().right > innerWidth + 1)) {
      out.push(e.tagName.toLowerCase() + (e.className ? "." + String(e.className).split(" ").join(".") : "") + " (" + Math.round(r.right) + " px)");
    }
    if (out.length >= 5) break;
  }
  return out.join(", ");
})()`

// TestAxeHarnessSeesViolations makes sure the accessibility check above
// can fail: light grey text on white, and a skipped heading level, are
// reported in both colour schemes.
func TestAxeHarnessSeesViolations(t *testing.T) {
	axe := browsertest.AxeSource(t)
	dir := t.TempDir()
	page := `<!DOCTYPE html><html lang="en"><head><title>x</title></head><body><main><h1>x</h1><h3>skipped</h3><p style="color:#bbb;background:#fff">faint</p></main></body></html>`
	if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	base := browsertest.Serve(t, dir, nil)
	b := browsertest.New(t)
	for _, scheme := range []string{"light", "dark"} {
		p := b.Open(t, base+"/", browsertest.Viewport(390, 844), browsertest.ColorScheme(scheme))
		found := map[string]bool{}
		for _, v := range p.Axe(axe) {
			found[v.ID] = true
		}
		if !found["color-contrast"] || !found["heading-order"] {
			t.Errorf("%s: axe found %v, want color-contrast and heading-order", scheme, found)
		}
	}
}
