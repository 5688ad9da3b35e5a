package portal

import (
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

func TestRedlinePages(t *testing.T) {
	r, ids := redlineRepo(t)
	page := func(from, to int) string {
		return readFile(t, filepath.Join(r.Dir, "public", "dpa", "compare", ids[from], ids[to], "index.html"))
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
	if !strings.Contains(ins, `<h2 id="clause-2a" class="rl-inserted"><ins>2a. Audits</ins></h2>`) {
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
				u := "/dpa/compare/" + d.Versions[i+1].ID + "/" + v.ID + "/"
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
// form and follows it to the redline.
func TestCompareControlInChromium(t *testing.T) {
	r, ids := redlineRepo(t)
	base := browsertest.Serve(t, filepath.Join(r.Dir, "public"), browsertest.NetlifyHeaders(t, filepath.Join("..", "..", "netlify.toml")))
	b := browsertest.New(t)
	p := b.Open(t, base+"/dpa/versions/")
	p.WaitVisible("form.compare-control") // filled from versions.json
	// Options are newest first: pick the oldest as "from", the newest as "to".
	browsertest.Eval[bool](p, `(() => { const f = document.querySelector("form.compare-control"); f.elements.from.value = "`+ids[0]+`"; f.elements.to.value = "`+ids[4]+`"; return true })()`)
	p.Click(`form.compare-control button[type=submit]`)
	p.WaitPath("/dpa/compare/" + ids[0] + "/" + ids[4] + "/")
	if h1 := p.Text("h1"); h1 != "Changes to DPA" {
		t.Errorf("h1 %q", h1)
	}
	summary := p.Text(".compare-summary")
	if !strings.Contains(summary, "2 clauses changed, 2 added") {
		t.Errorf("summary %q", summary)
	}
	// A comparison of any two versions names the unchanged passages and
	// links to the full text...
	if link := browsertest.Eval[string](p, `document.querySelector(".rl-omitted a").getAttribute("href")`); link != "/dpa/versions/"+ids[4]+"/" {
		t.Errorf("omitted passage links to %q", link)
	}
	// ...the redline against the predecessor folds them, and they open.
	p.Do(chromedp.Navigate(base + "/dpa/compare/" + ids[3] + "/" + ids[4] + "/"))
	p.Click(".rl-unchanged > summary")
	if open := browsertest.Eval[bool](p, `document.querySelector(".rl-unchanged").open`); !open {
		t.Error("unchanged passage did not open")
	}
	// Reversed choice works too (older is always "from").
	p2 := b.Open(t, base+"/dpa/versions/")
	p2.WaitVisible("form.compare-control")
	browsertest.Eval[bool](p2, `(() => { const f = document.querySelector("form.compare-control"); f.elements.from.value = "`+ids[3]+`"; f.elements.to.value = "`+ids[1]+`"; return true })()`)
	p2.Click(`form.compare-control button[type=submit]`)
	p2.WaitPath("/dpa/compare/" + ids[1] + "/" + ids[3] + "/")
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
	e := &Entry{Versions: make([]*Version, 6)}
	pairs := comparePairs(e)
	p := &pager{}
	if got := p.nextUse(e, 0); got != 0 {
		t.Errorf("nextUse before any comparison = %d, want 0", got)
	}
	p.comparing(e, pairs[0][0], pairs[0][1])
	for i := range e.Versions {
		want := len(pairs)
		for k, pr := range pairs {
			if pr[0] == i || pr[1] == i {
				want = k
				break
			}
		}
		if got := p.nextUse(e, i); got != want {
			t.Errorf("nextUse(%d) at the first comparison = %d, want %d", i, got, want)
		}
	}
	last := pairs[len(pairs)-1]
	p.comparing(e, last[0], last[1])
	if got := p.nextUse(e, 0); got != len(pairs) {
		t.Errorf("nextUse(0) at the last comparison %v = %d, want %d (none)", last, got, len(pairs))
	}
	if got := p.nextUse(e, last[0]); got != len(pairs)-1 {
		t.Errorf("nextUse(%d) at the last comparison = %d, want %d", last[0], got, len(pairs)-1)
	}
}
