package portal

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/clause-portal/clause/internal/browsertest"
	"github.com/clause-portal/clause/internal/gittest"
)

// TestPortalInChromium opens the built portal's pages in headless Chromium,
// served with the production headers of netlify.toml (a strict
// Content-Security-Policy), and checks they render without console errors,
// exceptions or CSP violations.
func TestPortalInChromium(t *testing.T) {
	r := historyRepo(t)
	mustBuild(t, r.Dir, Options{})
	headers := browsertest.NetlifyHeaders(t, filepath.Join("..", "..", "netlify.toml"))
	base := browsertest.Serve(t, filepath.Join(r.Dir, "public"), headers)
	b := browsertest.New(t)

	docs := loadAPI(t, r.Dir)
	var versionURL string
	for _, d := range docs.Documents {
		if d.ID == "dpa" {
			versionURL = d.Versions[2].URL
		}
	}
	for _, tc := range []struct{ path, h1 string }{
		{"/", "Legal"},
		{"/dpa/", "DPA"},
		{"/dpa/versions/", "Changes to DPA"},
		{versionURL, "DPA"},
		{"/changelog/", "Changelog"},
		{"/beta-terms/", "Beta terms"},
	} {
		p := b.Open(t, base+tc.path)
		if strings.HasSuffix(tc.path, "#"+ChangesAnchor) {
			// The redline is the view shown, in the page's language.
			h2 := p.Text("#" + ChangesAnchor + " h2")
			if want := map[bool]string{true: "Was sich in dieser Fassung geändert hat", false: "Ce qui a changé dans cette version"}[strings.HasPrefix(tc.path, "/de/")]; h2 != want {
				t.Errorf("%s: the redline's heading %q, want %q", tc.path, h2, want)
			}
			if !browsertest.Eval[bool](p, `getComputedStyle(document.querySelector("#`+ChangesAnchor+`")).display !== "none" && getComputedStyle(document.querySelector("#version_text")).display === "none"`) {
				t.Errorf("%s: the redline is not the view shown", tc.path)
			}
		}
		if got := p.Text("h1"); got != tc.h1 {
			t.Errorf("%s: h1 %q, want %q", tc.path, got, tc.h1)
		}
		// The stylesheet loaded under the CSP (its integrity hash matched).
		if color := browsertest.Eval[string](p, `getComputedStyle(document.querySelector(".site-header")).display`); color != "flex" {
			t.Errorf("%s: stylesheet not applied (header display %q)", tc.path, color)
		}
		for _, problem := range p.Problems() {
			t.Errorf("%s: %s", tc.path, problem)
		}
	}

	// The superseded banner links to the next version, which opens.
	p := b.Open(t, base+versionURL)
	banner := p.Text(".superseded-banner")
	if !strings.Contains(banner, "Superseded on 1 June 2026") {
		t.Errorf("banner: %q", banner)
	}
	next := browsertest.Eval[string](p, `document.querySelector(".superseded-banner a").href`)
	p2 := b.Open(t, next)
	if line := p2.Text(".version-line"); !strings.Contains(line, "Version 2, published") || strings.Contains(line, " of ") {
		t.Errorf("next version page: %q", p2.Text(".version-line"))
	}
}

// TestBrowserHarnessSeesCSPViolations makes sure the check above can fail:
// a page with an inline script, served under the same policy, is reported.
func TestBrowserHarnessSeesCSPViolations(t *testing.T) {
	dir := t.TempDir()
	page := `<!DOCTYPE html><html><head><title>x</title></head><body><h1>x</h1><script>document.title = "ran"</script></body></html>`
	if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	base := browsertest.Serve(t, dir, browsertest.NetlifyHeaders(t, filepath.Join("..", "..", "netlify.toml")))
	p := browsertest.New(t).Open(t, base+"/")
	if title := browsertest.Eval[string](p, "document.title"); title != "x" {
		t.Errorf("inline script ran under the CSP (title %q)", title)
	}
	problems := p.Problems()
	if len(problems) == 0 || !strings.Contains(strings.Join(problems, "\n"), "Content Security Policy") {
		t.Errorf("CSP violation not reported: %q", problems)
	}
}

// TestMultilingualPortalInChromium opens pages in German and French (one
// with the translation-lag banner) and the English source: each is clean
// under the CSP and to axe.
func TestMultilingualPortalInChromium(t *testing.T) {
	r, _ := multilingualRepo(t)
	mustBuild(t, r.Dir, Options{})
	// Each path with netlify.toml's headers for it: the compare pages may
	// compile the redline engine.
	base := browsertest.ServeRules(t, filepath.Join(r.Dir, "public"), browsertest.NetlifyRules(t, filepath.Join("..", "..", "netlify.toml")))
	b := browsertest.New(t)
	axe := browsertest.AxeSource(t)
	// The redline of a document's second version against its first, a
	// view of the version's page.
	redline := func(doc string) string {
		m, _ := filepath.Glob(filepath.Join(r.Dir, "public", doc, "versions", "*", "index.html"))
		m = slices.DeleteFunc(m, func(f string) bool {
			return !strings.Contains(readFile(t, f), ` id="`+ChangesAnchor+`"`)
		})
		if len(m) != 1 {
			t.Fatalf("%s: %d redlines", doc, len(m))
		}
		rel, _ := filepath.Rel(filepath.Join(r.Dir, "public"), filepath.Dir(m[0]))
		return "/" + filepath.ToSlash(rel) + "/#" + ChangesAnchor
	}
	for _, tc := range []struct{ path, h1 string }{
		{"/", "Legal"},
		{"/en/dpa/", "Data Processing Agreement"},
		{"/de/", "Legal"},
		{"/de/dpa/", "Auftragsverarbeitungsvertrag"},
		{"/de/dpa/versions/", "Änderungen an Auftragsverarbeitungsvertrag"},
		{redline("de/dpa"), "Auftragsverarbeitungsvertrag"},
		{"/de/dpa/compare/", "Änderungen an Auftragsverarbeitungsvertrag"},
		{"/de/changelog/", "Änderungsprotokoll"},
		{"/fr/", "Legal"},
		{"/fr/dpa/", "Accord de traitement des données"},
		{redline("imprint.fr"), "Mentions légales"},
		{"/imprint.fr/compare/", "Modifications de Mentions légales"},
		{"/imprint.de/", "Impressum"},
	} {
		p := b.Open(t, base+tc.path)
		if strings.HasSuffix(tc.path, "/compare/") {
			// The compare page compares in the browser, and says so in
			// the page's language.
			p.WaitVisible(".live-redline[data-compared]")
			sides := p.Text(".compare-sides")
			if want := map[bool]string{true: "Von der Fassung vom 5. Januar 2026 bis zur Fassung vom 2. April 2026", false: "De la version du 5 janvier 2026 à la version du 1 juin 2026"}[strings.HasPrefix(tc.path, "/de/")]; !strings.Contains(sides, want) {
				t.Errorf("%s: sides %q, want %q", tc.path, sides, want)
			}
			summary := p.Text(".compare-summary")
			if want := map[bool]string{true: "1 Klausel geändert.", false: "1 clause modifiée."}[strings.HasPrefix(tc.path, "/de/")]; !strings.Contains(summary, want) {
				t.Errorf("%s: summary %q, want %q", tc.path, summary, want)
			}
		}
		if strings.HasSuffix(tc.path, "#"+ChangesAnchor) {
			// The redline is the view shown, in the page's language.
			h2 := p.Text("#" + ChangesAnchor + " h2")
			if want := map[bool]string{true: "Was sich in dieser Fassung geändert hat", false: "Ce qui a changé dans cette version"}[strings.HasPrefix(tc.path, "/de/")]; h2 != want {
				t.Errorf("%s: the redline's heading %q, want %q", tc.path, h2, want)
			}
			if !browsertest.Eval[bool](p, `getComputedStyle(document.querySelector("#`+ChangesAnchor+`")).display !== "none" && getComputedStyle(document.querySelector("#version_text")).display === "none"`) {
				t.Errorf("%s: the redline is not the view shown", tc.path)
			}
		}
		if got := p.Text("h1"); got != tc.h1 {
			t.Errorf("%s: h1 %q, want %q", tc.path, got, tc.h1)
		}
		for _, v := range p.Axe(axe) {
			t.Errorf("%s: axe: %s", tc.path, v)
		}
		for _, problem := range p.Problems() {
			t.Errorf("%s: %s", tc.path, problem)
		}
	}
}

// TestGermanRegisterInChromium: a German sub-processor list's page, its
// filter's count included (plural forms chosen in the browser), is in
// German and clean to axe.
func TestGermanRegisterInChromium(t *testing.T) {
	r := gittest.New(t)
	table := "| Name | Purpose | Location |\n|---|---|---|\n| AWS | %s | EU |\n| Stripe | %s | EU |\n"
	r.Write("content/en/subprocessors.md", "---\ntitle: Sub-processors\nkind: subprocessors\n---\n# Sub-processors\n\n"+fmt.Sprintf(table, "Hosting", "Payments"))
	r.Write("content/de/subprocessors.md", "---\ntitle: Unterauftragsverarbeiter\nkind: subprocessors\n---\n# Unterauftragsverarbeiter\n\n"+fmt.Sprintf(table, "Hosting", "Zahlungen"))
	r.Commit("2026-01-05T10:00:00Z", "Publish")
	mustBuild(t, r.Dir, Options{})
	base := browsertest.Serve(t, filepath.Join(r.Dir, "public"), browsertest.NetlifyHeaders(t, filepath.Join("..", "..", "netlify.toml")))
	p := browsertest.New(t).Open(t, base+"/de/subprocessors/")
	p.WaitVisible(".register-controls")
	if c := p.Text(".register-count"); c != "2 Unterauftragsverarbeiter" {
		t.Errorf("count %q", c)
	}
	p.Type(".register-filter", "zahl")
	if c := p.Text(".register-count"); c != "1 von 2 Unterauftragsverarbeitern angezeigt" {
		t.Errorf("filtered count %q", c)
	}
	for _, want := range []string{"Filtern", "Ort der Verarbeitung", "Volltext dieses Dokuments"} {
		if !strings.Contains(p.Text("main"), want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, v := range p.Axe(browsertest.AxeSource(t)) {
		t.Errorf("axe: %s", v)
	}
	for _, problem := range p.Problems() {
		t.Error(problem)
	}
}
