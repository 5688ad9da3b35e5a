package portal

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

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
			pages["compare-any"] = "/dpa/compare/?from=" + d.Versions[1].ID + "&to=" + d.Versions[0].ID
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
// sideways there, nor at 320 px.
func TestPortalAccessibleAndNarrow(t *testing.T) {
	axe := browsertest.AxeSource(t)
	r := exampleRepo(t)
	mustBuild(t, r.Dir, Options{})
	pages := examplePages(t, r.Dir)
	base := browsertest.ServeRules(t, filepath.Join(r.Dir, "public"), browsertest.NetlifyRules(t, filepath.Join("..", "..", "netlify.toml")))
	b := browsertest.New(t)
	for _, size := range [][2]int64{{1366, 900}, {390, 844}, {320, 640}} {
		for _, scheme := range []string{"light", "dark"} {
			if size[0] == 320 && scheme == "dark" {
				continue // 320 px: the smallest phones, for the width only
			}
			for name, path := range pages {
				t.Run(fmt.Sprintf("%dpx/%s/%s", size[0], scheme, name), func(t *testing.T) {
					p := b.Open(t, base+path, browsertest.Viewport(size[0], size[1]), browsertest.ColorScheme(scheme))
					if name == "compare-any" {
						p.WaitVisible(".redline-body") // compared in the browser
					}
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
					if size[0] == 320 {
						return
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

// TestReaderLayoutInChromium checks the layout a reader meets: on a wide
// screen the table of contents is a sticky side column, the text starts in
// the first screen and the clause being read is marked in the contents; on
// a phone the contents are collapsed above the text; wide tables scroll in
// their own region; a SHA-256 breaks only between its groups of digits.
func TestReaderLayoutInChromium(t *testing.T) {
	r := exampleRepo(t)
	mustBuild(t, r.Dir, Options{})
	pages := examplePages(t, r.Dir)
	base := browsertest.Serve(t, filepath.Join(r.Dir, "public"), browsertest.NetlifyHeaders(t, filepath.Join("..", "..", "netlify.toml")))
	b := browsertest.New(t)

	wide := b.Open(t, base+"/dpa/", browsertest.Viewport(1366, 900))
	type box struct{ Top, Left, Right, Bottom float64 }
	rect := func(p *browsertest.Page, sel string) box {
		t.Helper()
		return browsertest.Eval[box](p, `(() => { const r = document.querySelector(`+"`"+sel+"`"+`).getBoundingClientRect(); return {Top: r.top, Left: r.left, Right: r.right, Bottom: r.bottom} })()`)
	}
	toc, text := rect(wide, "nav.toc"), rect(wide, ".document-body")
	if toc.Right > text.Left || toc.Top > 300 {
		t.Errorf("1366 px: contents %+v are not a side column left of the text %+v", toc, text)
	}
	if text.Top > 900-100 {
		t.Errorf("1366 px: the text starts at y = %.0f, below the first screen", text.Top)
	}
	if !browsertest.Eval[bool](wide, `document.querySelector("nav.toc details").open`) {
		t.Error("1366 px: the contents are collapsed")
	}
	// Reading clause 8: it is marked in the contents, which stay in view.
	browsertest.Eval[bool](wide, `(document.getElementById("clause-8").scrollIntoView(), true)`)
	current := func() string {
		for range 50 {
			if got := browsertest.Eval[string](wide, `Array.from(document.querySelectorAll('nav.toc [aria-current="true"]')).map(a => a.getAttribute("href")).join(" ")`); got == "#clause-8" {
				return got
			}
			time.Sleep(50 * time.Millisecond)
		}
		return browsertest.Eval[string](wide, `Array.from(document.querySelectorAll('nav.toc [aria-current="true"]')).map(a => a.getAttribute("href")).join(" ")`)
	}
	if got := current(); got != "#clause-8" {
		t.Errorf("reading clause 8, the contents mark %q", got)
	}
	if toc := rect(wide, "nav.toc"); toc.Top < -1 || toc.Top > 50 {
		t.Errorf("the contents scrolled away with the text: top %.0f", toc.Top)
	}
	if link := rect(wide, `nav.toc a[href="#clause-8"]`); link.Top < 0 || link.Bottom > 900 {
		t.Errorf("the marked clause is out of view in the contents: %+v", link)
	}

	phone := b.Open(t, base+"/dpa/", browsertest.Viewport(390, 844))
	if browsertest.Eval[bool](phone, `document.querySelector("nav.toc details").open`) {
		t.Error("390 px: the contents are open above the text")
	}
	if toc, text := rect(phone, "nav.toc"), rect(phone, ".document-body"); toc.Bottom > text.Top || toc.Bottom-toc.Top > 150 {
		t.Errorf("390 px: contents %+v are not a collapsed list above the text %+v", toc, text)
	}

	// The register scrolls in its own region, which a keyboard can reach.
	subs := b.Open(t, base+"/subprocessors/", browsertest.Viewport(390, 844))
	region := browsertest.Eval[map[string]any](subs, `(() => { const r = document.querySelector(".register .table-scroll"); return {scrolls: r.scrollWidth > r.clientWidth, tabindex: r.getAttribute("tabindex"), role: r.getAttribute("role"), label: r.getAttribute("aria-label") || ""} })()`)
	if region["scrolls"] != true || region["tabindex"] != "0" || region["role"] != "region" || region["label"] == "" {
		t.Errorf("register at 390 px: %v", region)
	}

	// The SHA-256 of a version: lines of whole groups of 8 digits.
	for _, width := range []int64{390, 1366} {
		p := b.Open(t, base+pages["version"], browsertest.Viewport(width, 900))
		lines := browsertest.Eval[[]int](p, `(() => {
			const code = document.querySelector("code.sha"), lines = new Map();
			for (const node of code.childNodes) {
				if (node.nodeType !== Node.TEXT_NODE) continue;
				const range = document.createRange();
				for (let i = 0; i < node.length; i++) {
					range.setStart(node, i); range.setEnd(node, i + 1);
					const top = Math.round(range.getBoundingClientRect().top);
					lines.set(top, (lines.get(top) || 0) + 1);
				}
			}
			return [...lines.values()];
		})()`)
		total := 0
		for _, n := range lines {
			total += n
			if n%8 != 0 {
				t.Errorf("%d px: the SHA-256 breaks inside a group: lines of %v digits", width, lines)
				break
			}
		}
		if total != 64 || len(lines) > 2 {
			t.Errorf("%d px: the SHA-256 takes lines of %v digits", width, lines)
		}
	}
}

// TestIndexShowsWhatNeedsAttention: the index lists the sub-processor
// change whose objection window is open at build time, with its deadline,
// the version published but not yet in force, and the latest material
// changes; each disappears from the first list once its date has passed.
func TestIndexShowsWhatNeedsAttention(t *testing.T) {
	r := exampleRepo(t)
	attention := func(now time.Time) (section, recent string) {
		t.Helper()
		mustBuild(t, r.Dir, Options{Now: now})
		index := readFile(t, filepath.Join(r.Dir, "public", "index.html"))
		if i := strings.Index(index, `<section class="attention"`); i >= 0 {
			section = index[i : i+strings.Index(index[i:], "</section>")]
		}
		if i := strings.Index(index, `<section class="recent-changes"`); i >= 0 {
			recent = index[i : i+strings.Index(index[i:], "</section>")]
		}
		if strings.Index(index, `<section class="attention"`) > strings.Index(index, `<section class="kind-group"`) {
			t.Errorf("%s: the attention list is not above the documents", now)
		}
		return section, recent
	}
	text := func(html string) string {
		return strings.Join(strings.Fields(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(html, "")), " ")
	}

	section, recent := attention(now) // 23 November 2026
	for _, want := range []string{
		"Objections due by 10 December 2026 Sub-processors: 1 added (Sentrylane Monitoring Inc.), published 10 November 2026.",
		"Takes effect 15 December 2026 Data Processing Agreement: DPA: 48-hour breach notice. Published 20 November 2026. See what will change",
	} {
		if !strings.Contains(text(section), want) {
			t.Errorf("23 November: no %q in the attention list:\n%s", want, text(section))
		}
	}
	if strings.Index(section, "Objections due") > strings.Index(section, "Takes effect") {
		t.Error("the objection window is not listed first")
	}
	if !strings.Contains(section, `<time datetime="2026-12-10">`) || !strings.Contains(section, `#`+SinceAnchor+`"`) {
		t.Errorf("deadline or redline link missing:\n%s", section)
	}
	if got := text(recent); !strings.HasPrefix(got, "Latest changes 20 November 2026 Data Processing Agreement: DPA: 48-hour breach notice · What changed 10 November 2026 Sub-processors: Add Sentrylane") {
		t.Errorf("latest changes: %s", got)
	}

	// The window closes at the end of its deadline; the DPA update is
	// still ahead.
	section, _ = attention(time.Date(2026, 12, 10, 23, 0, 0, 0, time.UTC))
	if !strings.Contains(section, "Objections due") {
		t.Error("10 December: the objection window is open until the end of the day")
	}
	section, _ = attention(time.Date(2026, 12, 11, 12, 0, 0, 0, time.UTC))
	if strings.Contains(section, "Objections due") || !strings.Contains(section, "Takes effect") {
		t.Errorf("11 December: the closed window is listed, or the DPA update is not:\n%s", section)
	}
	section, recent = attention(time.Date(2026, 12, 16, 12, 0, 0, 0, time.UTC))
	if section != "" || recent == "" {
		t.Errorf("16 December: nothing needs attention, the latest changes stay:\n%s", section)
	}
}

// TestStayInformedOnEveryReadersPage: the index, every document, the
// sub-processor page and the changelog link the feeds (with their types
// and titles) and the [subscribe] settings; the links lead to the files
// the build wrote.
func TestStayInformedOnEveryReadersPage(t *testing.T) {
	r := exampleRepo(t)
	mustBuild(t, r.Dir, Options{})
	block := regexp.MustCompile(`(?s)<section class="stay-informed" aria-labelledby="stay-informed">.*?</section>`)
	feedLink := regexp.MustCompile(`<a href="([^"]+)" type="(application/atom\+xml|application/feed\+json)" title="([^"]+)">`)
	for page, feeds := range map[string][]string{
		"/":                  {"/feed.atom", "/feed.json"},
		"/changelog/":        {"/feed.atom", "/feed.json"},
		"/dpa/":              {"/feeds/dpa.atom", "/feeds/dpa.json", "/feed.atom", "/feed.json"},
		"/privacy-policy/":   {"/feeds/privacy-policy.atom", "/feeds/privacy-policy.json", "/feed.atom", "/feed.json"},
		"/de/cookies/":       {"/feeds/de/cookies.atom", "/feeds/de/cookies.json", "/feed.atom", "/feed.json"},
		"/subprocessors/":    {"/feeds/subprocessors.atom", "/feeds/subprocessors.json", "/feed.atom", "/feed.json"},
		"/dpa/versions/":     {"/feeds/dpa.atom", "/feeds/dpa.json", "/feed.atom", "/feed.json"},
		"/cookies/versions/": {"/feeds/cookies.atom", "/feeds/cookies.json", "/feed.atom", "/feed.json"},
	} {
		html := readFile(t, filepath.Join(r.Dir, "public", filepath.FromSlash(page), "index.html"))
		found := block.FindAllString(html, -1)
		if len(found) != 1 {
			t.Errorf("%s: %d Stay informed blocks", page, len(found))
			continue
		}
		var got []string
		for _, m := range feedLink.FindAllStringSubmatch(found[0], -1) {
			got = append(got, m[1])
			if !strings.HasSuffix(m[1], map[string]string{"application/atom+xml": ".atom", "application/feed+json": ".json"}[m[2]]) || !strings.Contains(m[3], map[bool]string{true: "Änderungen", false: "changes"}[strings.HasPrefix(page, "/de/")]) {
				t.Errorf("%s: feed link %q type %q title %q", page, m[1], m[2], m[3])
			}
			if _, err := os.Stat(filepath.Join(r.Dir, "public", filepath.FromSlash(m[1]))); err != nil {
				t.Errorf("%s: feed link %s leads nowhere: %v", page, m[1], err)
			}
		}
		if strings.Join(got, " ") != strings.Join(feeds, " ") {
			t.Errorf("%s: feeds %v, want %v", page, got, feeds)
		}
		signUp := "Sign up for notices by email or webhook"
		if page == "/de/cookies/" {
			// The German cookie policy's chrome is in German.
			signUp = "Mitteilungen per E-Mail oder Webhook abonnieren"
		}
		for _, want := range []string{
			`<a href="https://northwind-ledger.example/legal-updates">` + signUp + `</a>`,
			`<a href="mailto:dpo@northwind-ledger.example">dpo@northwind-ledger.example</a>`,
			"Customers&#39; DPOs get an email on every material change.",
		} {
			if !strings.Contains(found[0], want) {
				t.Errorf("%s: no %s in\n%s", page, want, found[0])
			}
		}
	}
	// On the sub-processor page it comes before the register, not after
	// the full text at the bottom.
	subs := readFile(t, filepath.Join(r.Dir, "public", "subprocessors", "index.html"))
	if strings.Index(subs, `class="stay-informed"`) > strings.Index(subs, `<section class="register"`) {
		t.Error("sub-processors: Stay informed is below the register")
	}
	// Without [subscribe] and without history there is nothing to say.
	bare := gittest.New(t)
	bare.Write("content/terms.md", "# Terms\n\nText.\n")
	mustBuild(t, bare.Dir, Options{NoGit: true})
	if html := readFile(t, filepath.Join(bare.Dir, "public", "terms", "index.html")); strings.Contains(html, "stay-informed") {
		t.Errorf("a portal without feeds or [subscribe] shows a Stay informed block")
	}
}

// TestRegisterGroupsShowTheirNameOnce: a register in sections (the example
// portal's infrastructure providers and affiliates) is one table with a
// heading row per group, not a Group column repeated on every row.
func TestRegisterGroupsShowTheirNameOnce(t *testing.T) {
	r := exampleRepo(t)
	mustBuild(t, r.Dir, Options{})
	html := readFile(t, filepath.Join(r.Dir, "public", "subprocessors", "index.html"))
	if strings.Contains(html, `>Group</th>`) {
		t.Error("the register has a Group column")
	}
	groups := regexp.MustCompile(`<tbody>\s*<tr class="group-row"><th scope="rowgroup" colspan="(\d)">([^<]+)</th></tr>`).FindAllStringSubmatch(html, -1)
	if len(groups) != 2 || groups[0][2] != "Infrastructure and service providers" || groups[1][2] != "Affiliates" {
		t.Fatalf("group headings: %q", groups)
	}
	cols := strings.Count(html[strings.Index(html, "<thead>"):strings.Index(html, "</thead>")], "<th ")
	if groups[0][1] != strconv.Itoa(cols) {
		t.Errorf("group heading spans %s columns of %d", groups[0][1], cols)
	}
}

// TestAttentionNamesTheMaterialChange: the index's attention list names an
// upcoming update by the material change that takes effect, as the
// document's banner does, not by the minor fix published after it.
func TestAttentionNamesTheMaterialChange(t *testing.T) {
	r := gittest.New(t)
	r.Write("content/dpa.md", "# DPA\n\nBreaches are notified within 72 hours.\n")
	r.Commit("2026-01-10T10:00:00Z", "Publish the DPA")
	r.Write("content/dpa.md", "---\neffective: 2099-01-01\n---\n# DPA\n\nBreaches are notified within 48 hours.\n")
	r.Commit("2026-02-10T10:00:00Z", "DPA: 48-hour breach notice")
	r.Write("content/dpa.md", "---\neffective: 2099-01-01\n---\n# DPA\n\nBreaches are notified within 48 hours!\n")
	r.Commit("2026-02-11T10:00:00Z", "Fix punctuation\n\nChange-Type: minor")
	mustBuild(t, r.Dir, Options{})
	index := readFile(t, filepath.Join(r.Dir, "public", "index.html"))
	i := strings.Index(index, `<section class="attention"`)
	if i < 0 {
		t.Fatal("no attention list")
	}
	section := strings.Join(strings.Fields(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(index[i:i+strings.Index(index[i:], "</section>")], "")), " ")
	want := "Takes effect 1 January 2099 DPA: DPA: 48-hour breach notice. Published 10 February 2026. Minor changes since: Fix punctuation."
	if !strings.Contains(section, want) {
		t.Errorf("attention list:\n%s\nwant %q", section, want)
	}
}
