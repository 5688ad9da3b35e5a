package portal

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/clause-portal/clause/generator/diff"
	"github.com/clause-portal/clause/generator/redline/wasm"
	"github.com/clause-portal/clause/internal/browsertest"
	"github.com/clause-portal/clause/internal/gittest"
)

// compareRepo is redlineRepo's history of the DPA (a reflow, one word, an
// inserted clause, a changed table cell), then a clause moved with its
// words edited and a new effective date, then a text equal to the first
// version's: every kind of change, and two versions that share a text.
func compareRepo(t *testing.T) (*gittest.Repo, []string) {
	t.Helper()
	v3 := strings.Replace(strings.Replace(dpaV1, "72 hours", "48 hours", 1), "## 3. Sub-processors", "## 2a. Audits\n\nThe controller may audit the processor once a year.\n\n## 3. Sub-processors", 1)
	v4 := strings.Replace(v3, "| Email | United States |", "| Email | Ireland |", 1)
	v5 := strings.Replace(strings.Replace(v4, "## 2a. Audits\n\nThe controller may audit the processor once a year.\n\n", "", 1), "## 1. Scope\n", "## 1. Scope\n\nThe controller may audit the processor twice a year.\n", 1)
	v5 = strings.Replace(v5, "title: DPA\n", "title: DPA\neffective: 2026-09-01\n", 1)
	r := gittest.New(t)
	for i, s := range []struct{ text, msg string }{
		{dpaV1, "Publish"},
		{strings.Replace(dpaV1, "personal data\nby the processor", "personal data by\nthe processor", 1), "Rewrap\n\nChange-Type: minor"},
		{strings.Replace(dpaV1, "72 hours", "48 hours", 1), "48 hours"},
		{v3, "Add audits"},
		{v4, "Mailbird moves to Ireland"},
		{v5, "Audits twice a year, under scope"},
		{dpaV1, "Back to the first text"},
	} {
		r.Write("content/dpa.md", s.text)
		r.Commit(fmt.Sprintf("2026-0%d-01T10:00:00Z", i+1), s.msg)
	}
	mustBuild(t, r.Dir, Options{})
	var ids []string // oldest first
	for _, d := range loadAPI(t, r.Dir).Documents {
		for i := len(d.Versions) - 1; i >= 0; i-- {
			ids = append(ids, d.Versions[i].ID)
		}
	}
	if len(ids) != 7 {
		t.Fatalf("versions %v", ids)
	}
	return r, ids
}

// oracle is what the build renders for the comparison of two versions:
// generator/diff's redline of the blocks the build reads, written by
// diff.WriteHTML with the compare pages' link base, unchanged text folded;
// with opts (their LinkBase set the same), as a version's page writes it.
func oracle(t *testing.T, dir string) func(from, to string, opts ...diff.HTMLOptions) (html, summary string, identical bool) {
	t.Helper()
	c, err := Load(t.Context(), LoadOptions{Repo: dir, HistoryOptions: HistoryOptions{NoCache: true}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	e, err := c.Find("dpa")
	if err != nil {
		t.Fatal(err)
	}
	side := func(id string) Side {
		for _, v := range e.Versions {
			if v.ID == id {
				s, err := c.VersionSide(e, v)
				if err != nil {
					t.Fatal(err)
				}
				return s
			}
		}
		t.Fatalf("no version %s", id)
		return Side{}
	}
	return func(from, to string, opts ...diff.HTMLOptions) (string, string, bool) {
		cmp := Compare(side(from), side(to))
		var b bytes.Buffer
		o := diff.HTMLOptions{}
		if len(opts) > 0 {
			o = opts[0]
		}
		o.LinkBase = VersionURL("dpa", to)
		if err := diff.WriteHTML(&b, cmp.Redline, o); err != nil {
			t.Fatal(err)
		}
		return b.String(), cmp.Redline.Summary(), cmp.Identical()
	}
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestCompareAnyTwoVersionsInChromium opens the compare page for every
// pair of versions, served with netlify.toml's headers for each path (the
// compare page's policy allows WebAssembly, no other page's does), and
// checks that the redline the engine computes in the browser is the
// build's: the same HTML, byte for byte, as diff.WriteHTML writes for the
// pair (the oracle), and as the precomputed page of a version against its
// predecessor holds.
func TestCompareAnyTwoVersionsInChromium(t *testing.T) {
	r, ids := compareRepo(t)
	want := oracle(t, r.Dir)
	pub := filepath.Join(r.Dir, "public")
	base := browsertest.ServeRules(t, pub, browsertest.NetlifyRules(t, filepath.Join("..", "..", "netlify.toml")))
	b := browsertest.New(t)

	// The first and the last version have the same text: one member of
	// the document's one pack.
	packs, err := os.ReadDir(filepath.Join(pub, "dpa", "versions", "blocks"))
	if err != nil {
		t.Fatal(err)
	}
	if len(packs) != 1 {
		t.Fatalf("%d packs for %d versions, want 1", len(packs), len(ids))
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(pub, "dpa", "versions", "blocks", packs[0].Name()))), &members); err != nil {
		t.Fatal(err)
	}
	if len(members) != len(ids)-1 {
		t.Errorf("%d texts in the pack for %d versions, two of them equal", len(members), len(ids))
	}

	// Byte for byte: the engine, called in the page, on every ordered pair.
	p := b.Open(t, base+"/dpa/compare/")
	p.WaitVisible(".redline-body")
	got := browsertest.Run(p, chromedp.Evaluate[map[string]string](`(async () => {
		const versions = await (await fetch("/dpa/versions/versions.json")).json();
		const text = async (v) => JSON.stringify((await (await fetch("/dpa/versions/blocks/" + v.pack)).json())[v.text]);
		const out = {};
		for (const a of versions) for (const b of versions) {
			if (a === b) continue;
			const r = clauseRedline(await text(a), await text(b), JSON.stringify({link_base: "/dpa/versions/" + b.id + "/", omit: false}));
			out[a.id + " " + b.id] = typeof r === "string" ? JSON.parse(r).html : "error: " + r.error;
		}
		return out;
	})()`, chromedp.EvalAwaitPromise))
	if len(got) != len(ids)*(len(ids)-1) {
		t.Errorf("%d pairs compared in the browser, want %d", len(got), len(ids)*(len(ids)-1))
	}
	for _, from := range ids {
		for _, to := range ids {
			if from == to {
				continue
			}
			if html, _, _ := want(from, to); got[from+" "+to] != html {
				t.Errorf("%s → %s: the browser's redline\n%s\nthe build's\n%s", from, to, got[from+" "+to], html)
			}
		}
	}
	for _, problem := range p.Problems() {
		t.Error(problem)
	}

	// The page: every pair, older to newer and one newer to older, opened
	// by its URL, shows that redline and its summary.
	type pair struct{ from, to int }
	pairs := []pair{{6, 0}}
	for i := range ids {
		for j := i + 1; j < len(ids); j++ {
			pairs = append(pairs, pair{i, j})
		}
	}
	for _, pr := range pairs {
		from, to := ids[pr.from], ids[pr.to]
		html, summary, identical := want(from, to)
		p := b.Open(t, base+"/dpa/compare/?from="+from+"&to="+to)
		p.WaitVisible(".live-redline[data-compared]")
		if got := browsertest.Eval[string](p, `document.querySelector(".live-redline").dataset.compared`); got != from+" "+to {
			t.Errorf("%s → %s: compared %q: %s", from, to, got, p.Text(".compare-summary"))
			continue
		}
		if got := p.Text(".compare-summary strong"); got != summary+"." {
			t.Errorf("%s → %s: summary %q, want %q", from, to, got, summary+".")
		}
		// The page holds the engine's HTML as the browser parses the
		// oracle's; none when the words are the same, as on the
		// precomputed pages.
		same := browsertest.Eval[bool](p, `(() => { const t = document.createElement("template"); t.innerHTML = `+jsString(html)+`; const b = document.querySelector(".redline-body"); return `+fmt.Sprint(identical)+` ? b.hidden && b.innerHTML === "" : !b.hidden && t.innerHTML === b.innerHTML; })()`)
		if !same {
			t.Errorf("%s → %s: the page's redline is not the build's:\n%s", from, to, browsertest.Eval[string](p, `document.querySelector(".redline-body").innerHTML`))
		}
		// The form shows the pair compared.
		p.WaitVisible("form.compare-control")
		if f := browsertest.Eval[string](p, `(() => { const f = document.querySelector("form.compare-control"); return f.elements.from.value + " " + f.elements.to.value; })()`); f != from+" "+to {
			t.Errorf("%s → %s: the form shows %q", from, to, f)
		}
		if pr.to == pr.from+1 {
			// The precomputed redline against the predecessor, on the
			// version's page, is the same but for its ids, apart from the
			// text's, and its headings, under the view's.
			static := redlineBody(t, changesView(t, r.Dir, "dpa", to))
			if html, _, _ := want(from, to, diff.HTMLOptions{IDPrefix: "changes_", Level: 2}); static != "" && !strings.HasPrefix(static, html) {
				t.Errorf("%s → %s: the version page's redline differs from the oracle's:\n%s\nwant\n%s", from, to, static, html)
			}
		}
		for _, problem := range p.Problems() {
			t.Error(problem)
		}
	}
	// With no query, the newest version against its predecessor.
	if got := p.Text(".compare-metadata"); got != "Effective date: 1 September 2026 → none" {
		t.Errorf("metadata of the newest against its predecessor: %q", got)
	}
	p = b.Open(t, base+"/dpa/compare/?from="+ids[4]+"&to="+ids[5])
	p.WaitVisible(".compare-metadata")
	if got := p.Text(".compare-metadata"); got != "Effective date: none → 1 September 2026" {
		t.Errorf("metadata %q", got)
	}
}

// TestCompareNeedsWasmPolicy serves the portal with the policy of every
// page but the compare page's (no 'wasm-unsafe-eval'): the browser refuses
// the engine, and the page says that it could not compare rather than
// showing anything wrong. The compare page's own policy is what makes it
// work.
func TestCompareNeedsWasmPolicy(t *testing.T) {
	r, ids := redlineRepo(t)
	base := browsertest.Serve(t, filepath.Join(r.Dir, "public"), browsertest.NetlifyHeaders(t, filepath.Join("..", "..", "netlify.toml")))
	b := browsertest.New(t)
	p := b.Open(t, base+"/dpa/compare/?from="+ids[0]+"&to="+ids[2])
	p.WaitVisible(".live-redline[data-compared]")
	if got := browsertest.Eval[string](p, `document.querySelector(".live-redline").dataset.compared`); got != "error" {
		t.Errorf("compared %q under a policy without wasm-unsafe-eval", got)
	}
	if body := browsertest.Eval[string](p, `document.querySelector(".redline-body").innerHTML`); body != "" {
		t.Errorf("redline shown: %s", body)
	}
}

// TestFormerCompareURLs checks where the comparisons of pairs no longer
// built go: one _redirects rule per document, and, on hosts without
// rules, the 404 page's script, to the compare page with the pair.
func TestFormerCompareURLs(t *testing.T) {
	r, ids := redlineRepo(t)
	pub := filepath.Join(r.Dir, "public")
	if got := readFile(t, filepath.Join(pub, "_redirects")); !strings.Contains(got, "\n/dpa/compare/:from/:to/ /dpa/compare/?from=:from&to=:to 301\n") {
		t.Errorf("_redirects:\n%s", got)
	}
	// No comparison is a page of its own (the precomputed redlines are on
	// the version pages): every pair, those published by earlier releases
	// included, goes to the compare page.
	if m, _ := filepath.Glob(filepath.Join(pub, "dpa", "compare", "*", "*", "index.html")); len(m) != 0 {
		t.Errorf("comparisons built as pages: %v", m)
	}
	if m, _ := filepath.Glob(filepath.Join(pub, "dpa", "compare", "*")); len(m) != 1 || filepath.Base(m[0]) != "index.html" {
		t.Errorf("/dpa/compare/ holds %v, want the compare page alone", m)
	}
	base := browsertest.ServeRules(t, pub, browsertest.NetlifyRules(t, filepath.Join("..", "..", "netlify.toml")))
	b := browsertest.New(t)
	p := b.Open(t, base+"/dpa/compare/"+ids[0]+"/"+ids[2]+"/")
	p.WaitPath("/dpa/compare/")
	if got := browsertest.Eval[string](p, "location.search"); got != "?from="+ids[0]+"&to="+ids[2] {
		t.Errorf("forwarded to %q", got)
	}
	p.WaitVisible(".live-redline[data-compared]")
	if got := p.Text(".compare-summary strong"); got != "1 clause changed." {
		t.Errorf("summary %q", got)
	}
	// A redline against the current text that the previous release
	// published as a page, /dpa/compare/V/current/: "current" is the newest
	// version, in the comparison and the form.
	newest := ids[len(ids)-1]
	p = b.Open(t, base+"/dpa/compare/"+ids[0]+"/current/")
	p.WaitPath("/dpa/compare/")
	p.WaitVisible(".live-redline[data-compared]")
	if got := browsertest.Eval[string](p, `document.querySelector(".live-redline").dataset.compared`); got != ids[0]+" "+newest {
		t.Errorf("?to=current compared %q, want %q", got, ids[0]+" "+newest)
	}
	p.WaitVisible(".compare-control")
	if got := browsertest.Eval[string](p, `document.querySelector(".compare-control select[name=to]").value`); got != newest {
		t.Errorf("?to=current: the form's second version is %q, want %q", got, newest)
	}
}

// TestEngineWrittenWhereTheOutputReusedLacksIt: the redline engine is
// named from the sums generated with it and decompressed only when the
// output a build reuses lacks it; an output that lost it gets it back, the
// engine's bytes.
func TestEngineWrittenWhereTheOutputReusedLacksIt(t *testing.T) {
	r := gittest.New(t)
	for i := range 2 {
		r.Write("content/dpa.md", fmt.Sprintf("# DPA\n\nRevision %d.\n", i))
		r.Commit(fmt.Sprintf("2026-01-%02dT10:00:00Z", i+1), fmt.Sprintf("Revision %d", i))
	}
	out := filepath.Join(t.TempDir(), "public")
	opts := Options{Out: out, HistoryOptions: HistoryOptions{CacheDir: t.TempDir()}}
	want, err := wasm.Engine()
	if err != nil {
		t.Fatal(err)
	}
	engine := func(what string) string {
		t.Helper()
		m, _ := filepath.Glob(filepath.Join(out, "js", "redline.*.wasm"))
		if len(m) != 1 {
			t.Fatalf("%s: engine files %v", what, m)
		}
		if got, err := os.ReadFile(m[0]); err != nil || !bytes.Equal(got, want) {
			t.Fatalf("%s: %s is not the engine (%d bytes, %v)", what, m[0], len(got), err)
		}
		return m[0]
	}
	mustBuild(t, r.Dir, opts)
	engine("first build")
	mustBuild(t, r.Dir, opts)
	os.Remove(engine("second build"))
	mustBuild(t, r.Dir, opts) // reuses the second build's output, which lost it
	engine("after the engine was deleted from the output")
}
