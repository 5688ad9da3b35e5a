package portal

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/clause-portal/clause/internal/browsertest"
	"github.com/clause-portal/clause/internal/gittest"
)

const dpaV1 = `---
title: DPA
---
## 1. Scope

This agreement applies to all processing of personal data
by the processor on behalf of the controller.

## 2. Breach

The processor notifies the controller within 72 hours.

## 3. Sub-processors

| Name | Purpose | Location |
|---|---|---|
| Cumulus | Hosting | Germany |
| Mailbird | Email | United States |
`

// redlineRepo has one kind of change per version: a reflow, one word, an
// inserted clause, a changed table cell.
func redlineRepo(t *testing.T) (*gittest.Repo, []string) {
	r := gittest.New(t)
	steps := []struct{ text, msg string }{
		{dpaV1, "Publish"},
		{strings.Replace(dpaV1, "personal data\nby the processor", "personal data by\nthe processor", 1), "Rewrap\n\nChange-Type: minor"},
		{strings.Replace(dpaV1, "72 hours", "48 hours", 1), "48 hours"},
		{strings.Replace(strings.Replace(dpaV1, "72 hours", "48 hours", 1), "## 3. Sub-processors", "## 2a. Audits\n\nThe controller may audit the processor once a year.\n\n## 3. Sub-processors", 1), "Add audits"},
		{strings.Replace(strings.Replace(strings.Replace(dpaV1, "72 hours", "48 hours", 1), "## 3. Sub-processors", "## 2a. Audits\n\nThe controller may audit the processor once a year.\n\n## 3. Sub-processors", 1), "| Email | United States |", "| Email | Ireland |", 1), "Mailbird moves to Ireland"},
	}
	for i, s := range steps {
		r.Write("content/dpa.md", s.text)
		r.Commit("2026-0"+string(rune('1'+i))+"-01T10:00:00Z", s.msg)
	}
	mustBuild(t, r.Dir, Options{})
	var ids []string // oldest first
	for _, d := range loadAPI(t, r.Dir).Documents {
		for i := len(d.Versions) - 1; i >= 0; i-- {
			ids = append(ids, d.Versions[i].ID)
		}
	}
	return r, ids
}

var (
	insRe = regexp.MustCompile(`<ins>(.*?)</ins>`)
	delRe = regexp.MustCompile(`<del>(.*?)</del>`)
)

func redlineBody(t *testing.T, html string) string {
	t.Helper()
	i := strings.Index(html, `<div class="redline">`)
	if i < 0 {
		return ""
	}
	return html[i:]
}

// viewOf returns the view of a version's page whose id is given (its
// section, up to the next view or the end of the views): "version_text",
// ChangesAnchor or SinceAnchor; "" when the page lacks it.
func viewOf(page, id string) string {
	i := strings.Index(page, ` id="`+id+`"`)
	if i < 0 {
		return ""
	}
	i = strings.LastIndex(page[:i], "<section")
	if i < 0 {
		return ""
	}
	rest := page[i+1:]
	end := len(rest)
	if j := strings.Index(rest, `<section class="view `); j >= 0 {
		end = j
	}
	if j := strings.Index(rest, "</article>"); j >= 0 && j < end {
		end = j
	}
	return page[i : i+1+end]
}

// changesView is the redline of a version against its predecessor, and
// sinceView its redline against the current text, as the version's page
// in the built portal below dir shows them.
func changesView(t *testing.T, dir, doc, version string) string {
	t.Helper()
	return viewOf(readFile(t, filepath.Join(dir, "public", filepath.FromSlash(doc), "versions", version, "index.html")), ChangesAnchor)
}

func sinceView(t *testing.T, dir, doc, version string) string {
	t.Helper()
	return viewOf(readFile(t, filepath.Join(dir, "public", filepath.FromSlash(doc), "versions", version, "index.html")), SinceAnchor)
}

func TestRedlinePages(t *testing.T) {
	r, ids := redlineRepo(t)
	// The redline of a version against its predecessor, on its page.
	page := func(from, to int) string {
		if from != to-1 {
			t.Fatalf("no redline of %d against %d on a page", to, from)
		}
		v := changesView(t, r.Dir, "dpa", ids[to])
		if v == "" {
			t.Fatalf("the page of version %s has no redline against its predecessor", ids[to])
		}
		return v
	}
	if v := changesView(t, r.Dir, "dpa", ids[0]); v != "" {
		t.Errorf("the first version's page has a redline against a predecessor:\n%s", v)
	}

	// Reflow only: no textual change, and the page says so.
	reflow := page(0, 1)
	if !strings.Contains(reflow, "<strong>No textual change.</strong>") || !strings.Contains(reflow, "only the layout") || redlineBody(t, reflow) != "" {
		t.Errorf("reflow page:\n%s", reflow)
	}

	// One word: exactly that word deleted and its replacement inserted.
	word := redlineBody(t, page(1, 2))
	if got := insRe.FindAllStringSubmatch(word, -1); len(got) != 1 || got[0][1] != "48" {
		t.Errorf("insertions %v", got)
	}
	if got := delRe.FindAllStringSubmatch(word, -1); len(got) != 1 || got[0][1] != "72" {
		t.Errorf("deletions %v", got)
	}
	if strings.Count(word, "rl-changed") != 1 {
		t.Errorf("more than one changed block:\n%s", word)
	}

	// Inserted clause: only its heading and paragraph inserted.
	ins := redlineBody(t, page(2, 3))
	if strings.Count(ins, `class="rl-inserted"`) != 2 || strings.Contains(ins, "rl-changed") || strings.Contains(ins, "<del>") {
		t.Errorf("inserted clause:\n%s", ins)
	}
	if !strings.Contains(ins, `<h3 id="changes_clause-2a" class="rl-inserted"><ins>2a. Audits</ins></h3>`) {
		t.Errorf("inserted heading lacks its anchor:\n%s", ins)
	}

	// Table: the changed cell, and only it, is marked inside its row.
	cell := redlineBody(t, page(3, 4))
	if !strings.Contains(cell, `<tr class="rl-changed"><td>Mailbird</td><td>Email</td><td><del>United States</del><ins>Ireland</ins></td></tr>`) {
		t.Errorf("table cell change:\n%s", cell)
	}

	// The API links each version to its redline against the previous one.
	for _, d := range loadAPI(t, r.Dir).Documents {
		for i, v := range d.Versions {
			var want *string
			if i+1 < len(d.Versions) {
				u := "/dpa/versions/" + v.ID + "/#" + ChangesAnchor
				want = &u
			}
			if (want == nil) != (v.DiffURL == nil) || want != nil && *want != *v.DiffURL {
				t.Errorf("version %s diff_url %v", v.ID, v.DiffURL)
			}
		}
	}
	// The changelog and feeds carry the summaries.
	changelog := readFile(t, filepath.Join(r.Dir, "public", "dpa", "versions", "index.html"))
	for _, want := range []string{"1 clause changed", "2 clauses added", "No textual change (layout only)"} {
		if !strings.Contains(changelog, want) {
			t.Errorf("changelog lacks summary %q", want)
		}
	}
}

// TestCompareControlInChromium picks two versions in the "compare any two"
// form and follows it to the compare page, which compares them in the
// browser.
func TestCompareControlInChromium(t *testing.T) {
	r, ids := redlineRepo(t)
	base := browsertest.ServeRules(t, filepath.Join(r.Dir, "public"), browsertest.NetlifyRules(t, filepath.Join("..", "..", "netlify.toml")))
	b := browsertest.New(t)
	p := b.Open(t, base+"/dpa/versions/")
	p.WaitVisible("form.compare-control") // filled from versions.json
	// Options are newest first: pick the oldest as "from", the newest as "to".
	browsertest.Eval[bool](p, `(() => { const f = document.querySelector("form.compare-control"); f.elements.from.value = "`+ids[0]+`"; f.elements.to.value = "`+ids[4]+`"; return true })()`)
	p.Click(`form.compare-control button[type=submit]`)
	p.WaitPath("/dpa/compare/")
	if got := browsertest.Eval[string](p, "location.search"); got != "?from="+ids[0]+"&to="+ids[4] {
		t.Errorf("compare page for %q", got)
	}
	if h1 := p.Text("h1"); h1 != "Changes to DPA" {
		t.Errorf("h1 %q", h1)
	}
	p.WaitVisible(".redline-body")
	summary := p.Text(".compare-summary")
	if !strings.Contains(summary, "2 clauses changed, 2 added") {
		t.Errorf("summary %q", summary)
	}
	// Unchanged passages are folded, and they open.
	p.Click(".rl-unchanged > summary")
	if open := browsertest.Eval[bool](p, `document.querySelector(".rl-unchanged").open`); !open {
		t.Error("unchanged passage did not open")
	}
	// A version's page shows its text; its redlines are views of the
	// page, shown by their anchors, without JavaScript. The redline
	// against the newest names the unchanged passages and links to the
	// full text.
	shown := func(p *browsertest.Page) string {
		return browsertest.Eval[string](p, `[...document.querySelectorAll(".views > .view")].filter(v => getComputedStyle(v).display !== "none").map(v => v.id).join(" ")`)
	}
	p.Do(chromedp.Navigate(base + "/dpa/versions/" + ids[1] + "/"))
	if got := shown(p); got != "version_text" {
		t.Errorf("a version's page shows %q, want its text alone", got)
	}
	p.Click(`.version-views a[href="#` + SinceAnchor + `"]`)
	if got := shown(p); got != SinceAnchor {
		t.Errorf("after its link, the page shows %q, want the redline against the current text alone", got)
	}
	if link := browsertest.Eval[string](p, `document.querySelector("#`+SinceAnchor+` .rl-omitted a").getAttribute("href")`); link != "/dpa/versions/"+ids[4]+"/" {
		t.Errorf("omitted passage links to %q", link)
	}
	p.Click(`#` + SinceAnchor + ` .view-back a`)
	if got := shown(p); got != "version_text" {
		t.Errorf("back to the text: the page shows %q", got)
	}
	// An address naming a clause of a redline shows that redline.
	p.Do(chromedp.Navigate(base + "/dpa/versions/" + ids[3] + "/#changes_clause-2a"))
	if got := shown(p); got != ChangesAnchor {
		t.Errorf("at a clause of the redline against the predecessor, the page shows %q", got)
	}
	// Reversed choice works too (older is always "from"), and the form on
	// the compare page goes to another pair.
	p2 := b.Open(t, base+"/dpa/versions/")
	p2.WaitVisible("form.compare-control")
	browsertest.Eval[bool](p2, `(() => { const f = document.querySelector("form.compare-control"); f.elements.from.value = "`+ids[3]+`"; f.elements.to.value = "`+ids[1]+`"; return true })()`)
	p2.Click(`form.compare-control button[type=submit]`)
	p2.WaitPath("/dpa/compare/")
	p2.WaitVisible(".live-redline[data-compared]")
	if got := browsertest.Eval[string](p2, `document.querySelector(".live-redline").dataset.compared`); got != ids[1]+" "+ids[3] {
		t.Errorf("compared %q, want %s %s", got, ids[1], ids[3])
	}
	for _, pg := range []*browsertest.Page{p, p2} {
		for _, problem := range pg.Problems() {
			t.Error(problem)
		}
	}
}

// TestNextUse checks the look-ahead by which the pager drops parsed
// versions: the next comparison, in the order of comparePairs, that reads
// a version.
func TestNextUse(t *testing.T) {
	e := entryOfSizes(100, 100, 100, 100, 100, 100)
	pairs := comparePairs(e)
	p := &pager{}
	if got := p.nextUse(e, 0); got != 0 {
		t.Errorf("nextUse before any comparison = %d, want 0", got)
	}
	p.comparing(e, pairs[0].from, pairs[0].to)
	for i := range e.Versions {
		want := len(pairs)
		for k, pr := range pairs {
			if pr.from == i || pr.to == i {
				want = k
				break
			}
		}
		if got := p.nextUse(e, i); got != want {
			t.Errorf("nextUse(%d) at the first comparison = %d, want %d", i, got, want)
		}
	}
	last := pairs[len(pairs)-1]
	p.comparing(e, last.from, last.to)
	if got := p.nextUse(e, 1); got != len(pairs) {
		t.Errorf("nextUse(1) at the last comparison %v = %d, want %d (none)", last, got, len(pairs))
	}
	if got := p.nextUse(e, last.from); got != len(pairs)-1 {
		t.Errorf("nextUse(%d) at the last comparison = %d, want %d", last.from, got, len(pairs)-1)
	}
}

// TestRedlineNamesFileLines checks that a move is marked at both ends of
// the compare page, with the lines of the file (front matter counted), as
// clause check reports them.
func TestRedlineNamesFileLines(t *testing.T) {
	r := gittest.New(t)
	v1 := "---\ntitle: DPA\n---\n## 1. Scope\n\nThis agreement applies to all processing.\n\nThe processor acts on instructions only.\n\n## 2. Breach\n\nThe processor notifies the controller within 72 hours.\n"
	v2 := "---\ntitle: DPA\n---\n## 1. Scope\n\nThis agreement applies to all processing.\n\n## 2. Breach\n\nThe processor notifies the controller within 72 hours.\n\nThe processor acts on instructions only.\n"
	r.Write("content/dpa.md", v1)
	r.Commit("2026-01-01T10:00:00Z", "Publish")
	r.Write("content/dpa.md", v2)
	r.Commit("2026-02-01T10:00:00Z", "Move the instructions clause")
	mustBuild(t, r.Dir, Options{})
	var ids []string
	for _, d := range loadAPI(t, r.Dir).Documents {
		for i := len(d.Versions) - 1; i >= 0; i-- {
			ids = append(ids, d.Versions[i].ID)
		}
	}
	if len(ids) != 2 {
		t.Fatalf("versions %v", ids)
	}
	page := redlineBody(t, changesView(t, r.Dir, "dpa", ids[1]))
	for _, want := range []string{
		`<p class="rl-departed" id="changes_rl-move-1-from"><a href="#changes_rl-move-1">Moved to §2, line 12</a></p>`,
		`<span class="rl-note" id="changes_rl-move-1">Moved from <a href="#changes_rl-move-1-from">§1, line 8</a></span>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("compare page lacks %s:\n%s", want, page)
		}
	}
}

// entryOfSizes is an entry whose versions, newest first, have texts of
// the sizes given.
func entryOfSizes(sizes ...int64) *Entry {
	e := &Entry{ID: "subprocessors"}
	for i, n := range sizes {
		v := &Version{}
		v.ID, v.Size = fmt.Sprintf("v%d", i), n
		e.Versions = append(e.Versions, v)
	}
	return e
}

// TestComparePairs checks which redlines are precomputed, on the version
// pages: each version against its predecessor and each but the newest
// against the newest (current: the predecessor of the newest too),
// whatever the sizes; every other pair is compared in the browser.
func TestComparePairs(t *testing.T) {
	e := entryOfSizes(100, 2<<20, 100, 100, 100, 100)
	want := "[{1 0 false} {2 1 false} {1 0 true} {3 2 false} {2 0 true} {4 3 false} {3 0 true} {5 4 false} {4 0 true} {5 0 true}]"
	if got := fmt.Sprint(comparePairs(e)); got != want {
		t.Errorf("comparePairs = %s, want %s", got, want)
	}
	if got := comparePairs(entryOfSizes(100)); len(got) != 0 {
		t.Errorf("one version: %v", got)
	}
}

// TestSidesDroppedWhenNoLongerRead checks that the pager drops a parsed
// version as soon as no comparison ahead reads it, within its budget.
func TestSidesDroppedWhenNoLongerRead(t *testing.T) {
	// Version 1 is read last by 2 → 1, and the order goes on 2 → 0,
	// 3 → 2, 3 → 0…
	e := entryOfSizes(100, 100, 100, 100, 100, 100)
	p := &pager{sidesOf: e, sides: []cachedSide{{i: 1}, {i: 2}, {i: 0}}}
	p.comparing(e, 2, 1)
	if len(p.sides) != 3 {
		t.Fatalf("at 2 → 1, kept %v, want versions 1, 2 and 0 (0 is read by 2 → 0, next)", p.sides)
	}
	p.comparing(e, 2, 0)
	var kept []int
	for _, cs := range p.sides {
		kept = append(kept, cs.i)
	}
	if fmt.Sprint(kept) != "[2 0]" {
		t.Errorf("at 2 → 0, kept versions %v, want [2 0]: version 1 is read by no comparison ahead", kept)
	}
	// A comparison outside the order (clause diff) drops nothing.
	p.comparing(e, 5, 2)
	if len(p.sides) != 2 {
		t.Errorf("a comparison outside the order dropped versions: %v", p.sides)
	}
}
