package portal

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clause-portal/clause/internal/gittest"
)

// diffTrees lists the files that differ between two output trees.
func diffTrees(a, b map[string]string) []string {
	var out []string
	for name, x := range a {
		if y, ok := b[name]; !ok {
			out = append(out, "only in the first: "+name)
		} else if x != y {
			out = append(out, "differs: "+name)
		}
	}
	for name := range b {
		if _, ok := a[name]; !ok {
			out = append(out, "only in the second: "+name)
		}
	}
	return out
}

// TestPageCacheBuildEqualsColdBuild: with the page cache, a rebuild copies
// the archived pages that did not change and renders the others, and its
// output is byte for byte a cold build's (--no-cache, no page cache) of
// the same commit: after nothing changed, after a commit that changes one
// document, after a change of the user's layouts, and with a damaged
// cache entry. Building one commit twice at different times of the same
// day writes the same files.
func TestPageCacheBuildEqualsColdBuild(t *testing.T) {
	r := gittest.New(t)
	r.Write("layouts/_partials/hooks/footer.html", "<p>Contact: legal@example.com</p>\n")
	for i := 0; i < 6; i++ {
		r.Write("content/dpa.md", fmt.Sprintf("# DPA\n\n## 1. Scope\n\nVersion %d of the agreement.\n\n## 2. Sub-processors\n\nText %d.\n", i, i*i))
		r.Write(fmt.Sprintf("content/policy-%d.md", i%3), fmt.Sprintf("# Policy %d\n\nRevision %d of the policy.\n", i%3, i))
		r.Commit(fmt.Sprintf("2026-01-%02dT10:00:00Z", i+1), fmt.Sprintf("Revision %d", i))
	}
	cacheDir := t.TempDir()
	cached := func(name string) (*Result, map[string]string) {
		t.Helper()
		out := filepath.Join(t.TempDir(), name)
		res := mustBuild(t, r.Dir, Options{Out: out, HistoryOptions: HistoryOptions{CacheDir: cacheDir}, BatchSize: 4})
		return res, tree(t, out)
	}
	cold := func(name string) map[string]string {
		t.Helper()
		out := filepath.Join(t.TempDir(), name)
		mustBuild(t, r.Dir, Options{Out: out, HistoryOptions: HistoryOptions{NoCache: true}, Now: now.Add(-3 * 60 * 60 * 1e9)})
		return tree(t, out)
	}
	same := func(what string, a, b map[string]string) {
		t.Helper()
		if d := diffTrees(a, b); len(d) > 0 {
			t.Errorf("%s: %d files differ from a cold build's:\n%s", what, len(d), strings.Join(d, "\n"))
		}
	}
	// The pages of the batches, which the page cache keeps: all but the
	// index, the 404 page and the changelogs.
	archived := func(tr map[string]string) int {
		n := 0
		for name := range tr {
			if strings.HasSuffix(name, "/index.html") && name != "/index.html" && !strings.HasPrefix(name, "/changelog/") {
				n++
			}
		}
		return n
	}

	// The versions among them and their redlines, whose texts the memo
	// keeps.
	versioned := func(tr map[string]string) int {
		n := 0
		for name, html := range tr {
			if strings.Contains(name, "/versions/") && strings.HasSuffix(name, "/index.html") && strings.Count(name, "/") > 3 {
				n += 1 + strings.Count(html, `<section class="view view-redline"`)
			}
		}
		return n
	}
	// The site's resources Hugo publishes for the pages of the batches
	// (see site.cacheRun): the page cache keeps them too. (The 404 page's
	// script is published by the build of the index.)
	resources := func(tr map[string]string) int {
		n := 0
		for name := range tr {
			if strings.Contains(name, ".min.") && !strings.HasPrefix(name, "/js/moved.min.") {
				n++
			}
		}
		return n
	}

	first, tree1 := cached("first")
	same("first build", tree1, cold("cold1"))
	if first.PagesReused != 0 || first.PagesRendered == 0 || first.PagesRendered != archived(tree1) {
		var names []string
		for n := range tree1 {
			names = append(names, n)
		}
		t.Fatalf("first build: %d reused, %d rendered; %d archived pages in the output:\n%s", first.PagesReused, first.PagesRendered, archived(tree1), strings.Join(names, "\n"))
	}
	again, tree2 := cached("again")
	same("second build", tree2, tree1)
	// The pages come from the page cache by their body's SHA-256, and the
	// packs of texts the compare page loads by their members': no body nor
	// text is read, only the documents' feeds the new output folder needs.
	texts, feeds := 0, 0
	for name := range tree2 {
		if strings.Contains(name, "/versions/blocks/") {
			texts++
		}
		if strings.HasPrefix(name, "/feeds/") {
			feeds++
		}
	}
	if again.BodiesRead != feeds || texts == 0 || feeds == 0 {
		t.Errorf("nothing changed: %d bodies read, want %d (the feeds; %d texts from the page cache)", again.BodiesRead, feeds, texts)
	}
	if again.PagesReused != first.PagesRendered || again.PagesRendered != 0 {
		t.Errorf("nothing changed: %d reused, %d rendered, want %d and 0", again.PagesReused, again.PagesRendered, first.PagesRendered)
	}
	// Nor are the archived pages' texts and redlines computed again.
	if v := versioned(tree1); first.TextsReused != 0 || first.TextsComputed != v || again.TextsComputed != 0 || again.TextsReused != v {
		t.Errorf("texts computed: first build %d reused, %d computed; second %d reused, %d computed; want 0, %d, %d, 0",
			first.TextsReused, first.TextsComputed, again.TextsReused, again.TextsComputed, v, v)
	}

	// One commit changes one document: only its archived pages render.
	r.Write("content/policy-1.md", "# Policy 1\n\nRevision 6 of the policy, with a new clause.\n")
	r.Commit("2026-01-08T10:00:00Z", "Policy 1: a new clause")
	incr, tree3 := cached("incremental")
	same("after a commit", tree3, cold("cold3"))
	if incr.PagesRendered == 0 || incr.PagesReused == 0 || incr.PagesReused+incr.PagesRendered != archived(tree3) {
		t.Errorf("after a commit: %d reused, %d rendered, %d archived pages", incr.PagesReused, incr.PagesRendered, archived(tree3))
	}
	if incr.TextsComputed == 0 || incr.TextsComputed >= incr.TextsReused {
		t.Errorf("after a commit to one of four documents: %d texts reused, %d computed", incr.TextsReused, incr.TextsComputed)
	}
	for name := range tree3 {
		if strings.HasPrefix(name, "/dpa/versions/") && strings.Count(name, "/") > 3 && tree3[name] != tree1[name] {
			t.Errorf("%s changed although the commit did not touch the DPA", name)
		}
	}

	// A cached file changed in place (as an edit of the published output
	// it is linked to would) is not used: the page is rendered again.
	var entries []string
	filepath.WalkDir(filepath.Join(cacheDir, PageCacheFolder, "files"), func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			entries = append(entries, p)
		}
		return nil
	})
	texts3 := 0
	for name := range tree3 {
		if strings.Contains(name, "/versions/blocks/") {
			texts3++
		}
	}
	if len(entries) != archived(tree3)+resources(tree3)+texts3 || resources(tree3) == 0 || texts3 == 0 {
		t.Errorf("%d cached files for %d pages, %d resources and %d texts: the others were not removed", len(entries), archived(tree3), resources(tree3), texts3)
	}
	var b []byte
	var at int
	var entry string
	for _, entry = range entries {
		var err error
		if b, err = os.ReadFile(entry); err != nil {
			t.Fatal(err)
		}
		if at = strings.Index(string(b), "</main>"); at >= 0 {
			break
		}
	}
	if at < 0 {
		t.Fatal("no page in the page cache's files")
	}
	b[at+2] = 'n'
	os.WriteFile(entry, b, 0o600)
	// And a pack of texts the compare page loads, changed in place (its
	// size kept): it is not linked into the output but written anew.
	for _, e := range entries {
		if b, err := os.ReadFile(e); err == nil && bytes.HasPrefix(b, []byte("{")) {
			os.WriteFile(e, bytes.Replace(b, []byte(`"`), []byte(`'`), 1), 0o600)
			break
		}
	}
	damaged, tree4 := cached("damaged")
	same("with a damaged entry", tree4, tree3)
	if damaged.PagesRendered != 1 {
		t.Errorf("with a damaged entry: %d rendered, want 1", damaged.PagesRendered)
	}

	// The user's layouts are part of every page's key.
	r.Write("layouts/_partials/hooks/footer.html", "<p>Contact: privacy@example.com</p>\n")
	r.Commit("2026-01-09T10:00:00Z", "Footer: contact line")
	relaid, tree5 := cached("layouts")
	same("after a layout change", tree5, cold("cold5"))
	for name, html := range tree5 {
		if strings.HasSuffix(name, "/index.html") && !strings.Contains(html, "privacy@example.com") && strings.Contains(html, "<footer") {
			t.Errorf("%s: the page lacks the new footer", name)
		}
	}
	if relaid.PagesReused != 0 {
		t.Errorf("after a layout change: %d pages reused", relaid.PagesReused)
	}

	// A cache folder others may write to is refused, with a warning.
	os.Chmod(cacheDir, 0o777)
	var log strings.Builder
	out := filepath.Join(t.TempDir(), "shared")
	res := mustBuild(t, r.Dir, Options{Out: out, Log: &log, HistoryOptions: HistoryOptions{CacheDir: cacheDir}})
	if res.PagesReused != 0 || !strings.Contains(log.String(), "page cache not used") || !strings.Contains(log.String(), "may be written by others") {
		t.Errorf("a world-writable cache folder: %d reused; log:\n%s", res.PagesReused, log.String())
	}
	same("without the cache", tree(t, out), tree5)
}

// TestMemoFollowsLinks: the texts and redlines of archived versions are
// kept from one build to the next, but a link in them reads as the
// document it points to stands in each build: when that document is
// renamed, or gets the heading a fragment names, the archived pages that
// link it are computed again and equal a cold build's; the others are not.
func TestMemoFollowsLinks(t *testing.T) {
	r := gittest.New(t)
	r.Write("content/security.md", "# Security\n\n## Encryption\n\nAt rest.\n")
	for i := 0; i < 4; i++ {
		r.Write("content/dpa.md", fmt.Sprintf("# DPA\n\n## 1. Security\n\nSee [the measures](security.md#encryption) and [logging](security.md#logging). Revision %d.\n", i))
		r.Write("content/cookies.md", fmt.Sprintf("# Cookies\n\nRevision %d, no links.\n", i))
		r.Commit(fmt.Sprintf("2026-02-%02dT10:00:00Z", i+1), fmt.Sprintf("Revision %d", i))
	}
	cacheDir := t.TempDir()
	build := func(name string, opts Options) (*Result, map[string]string) {
		t.Helper()
		opts.Out = filepath.Join(t.TempDir(), name)
		res := mustBuild(t, r.Dir, opts)
		return res, tree(t, opts.Out)
	}
	cached := Options{HistoryOptions: HistoryOptions{CacheDir: cacheDir}}
	cold := Options{HistoryOptions: HistoryOptions{NoCache: true}}
	check := func(what string, wantComputedDPA bool) {
		t.Helper()
		res, got := build(what, cached)
		_, want := build(what+"-cold", cold)
		if d := diffTrees(got, want); len(d) > 0 {
			t.Errorf("%s: %d files differ from a cold build's:\n%s", what, len(d), strings.Join(d, "\n"))
		}
		if res.TextsReused == 0 {
			t.Errorf("%s: no text reused (%d computed)", what, res.TextsComputed)
		}
		if wantComputedDPA && res.TextsComputed == 0 {
			t.Errorf("%s: the DPA's links changed but nothing was computed again", what)
		}
	}
	build("first", cached)

	// The heading the second link names appears: only the pages that link
	// it (the DPA's) read differently.
	r.Write("content/security.md", "# Security\n\n## Encryption\n\nAt rest.\n\n## Logging\n\nKept 30 days.\n")
	r.Commit("2026-03-01T10:00:00Z", "Security: logging")
	check("heading added", true)

	// The linked document is renamed: its URL changes.
	r.Git("mv", "content/security.md", "content/security-measures.md")
	r.Commit("2026-03-02T10:00:00Z", "Rename the security page")
	check("renamed", true)
	_, out := build("renamed-again", cached)
	found := false
	for name, html := range out {
		if strings.HasPrefix(name, "/dpa/versions/") && strings.Contains(html, "/security-measures/") {
			found = true
		}
		if strings.HasPrefix(name, "/dpa/") && strings.Contains(html, `href="/security/`) {
			t.Errorf("%s still links the old URL of the renamed document", name)
		}
	}
	if !found {
		t.Error("no archived page of the DPA links the renamed document's new URL")
	}
}

// folders lists the folders below dir, as tree lists its files.
func folders(t *testing.T, dir string) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.IsDir() && p != dir {
			out[strings.TrimPrefix(p, dir)] = true
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestReusedOutputEqualsColdBuild: builds into one output folder make the
// output before the last one into theirs (site.Reuse) and still write
// exactly a cold build's files and folders: after a commit, after a
// document is deleted and another made a draft, with files and a symbolic
// link planted in the folder set aside (they must go), and
// after the published output was edited in place (its files are links to
// the page cache's).
func TestReusedOutputEqualsColdBuild(t *testing.T) {
	r := gittest.New(t)
	for i := 0; i < 5; i++ {
		r.Write("content/dpa.md", fmt.Sprintf("# DPA\n\n## 1. Scope\n\nVersion %d of the agreement.\n", i))
		r.Write(fmt.Sprintf("content/policy-%d.md", i%3), fmt.Sprintf("# Policy %d\n\nRevision %d of the policy.\n", i%3, i))
		r.Commit(fmt.Sprintf("2026-01-%02dT10:00:00Z", i+1), fmt.Sprintf("Revision %d", i))
	}
	out := filepath.Join(t.TempDir(), "public")
	cacheDir := t.TempDir()
	step := 0
	var res *Result
	check := func(what string) map[string]string {
		t.Helper()
		step++
		res = mustBuild(t, r.Dir, Options{Out: out, HistoryOptions: HistoryOptions{CacheDir: cacheDir}, BatchSize: 3})
		coldOut := filepath.Join(t.TempDir(), fmt.Sprintf("cold%d", step))
		mustBuild(t, r.Dir, Options{Out: coldOut, HistoryOptions: HistoryOptions{NoCache: true}})
		got, want := tree(t, out), tree(t, coldOut)
		if d := diffTrees(got, want); len(d) > 0 {
			t.Errorf("%s: %d files differ from a cold build's:\n%s", what, len(d), strings.Join(d, "\n"))
		}
		gotDirs, wantDirs := folders(t, out), folders(t, coldOut)
		for d := range gotDirs {
			if !wantDirs[d] {
				t.Errorf("%s: folder %s is not in a cold build's output", what, d)
			}
		}
		for d := range wantDirs {
			if !gotDirs[d] {
				t.Errorf("%s: folder %s of a cold build's output is missing", what, d)
			}
		}
		return got
	}
	set := func() string {
		t.Helper()
		m, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".public.clause-previous-*", "*", OutputMarker))
		if len(m) != 1 {
			t.Fatalf("want one site set aside, found %v", m)
		}
		return filepath.Dir(m[0])
	}

	check("first build")
	check("second build") // sets the first aside
	if res.FilesUnchanged != 0 {
		t.Errorf("second build: %d files unchanged, but there was no output to reuse", res.FilesUnchanged)
	}
	r.Write("content/policy-1.md", "# Policy 1\n\nRevision 6, with a new clause.\n")
	r.Commit("2026-01-08T10:00:00Z", "Policy 1: a new clause")
	check("after a commit") // made from the first build's output
	// The archived pages and the texts of the DPA and two policies at
	// least stayed as they were.
	if res.FilesUnchanged < res.PagesReused/2 {
		t.Errorf("after a commit: %d files of the old output unchanged, %d archived pages from the cache", res.FilesUnchanged, res.PagesReused)
	}

	r.Remove("content/policy-2.md")
	r.Write("content/policy-0.md", "---\ndraft: true\n---\n# Policy 0\n\nWithdrawn for review.\n")
	r.Commit("2026-01-09T10:00:00Z", "Policy 2 deleted, policy 0 back to draft")
	check("after a deletion")
	tr := check("again")

	// Planted in the site set aside: gone from the next build's output,
	// and nothing written through the link.
	aside := set()
	victim := filepath.Join(t.TempDir(), "victim")
	if err := os.Mkdir(victim, 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(aside, "planted.html"), []byte("<p>not ours</p>"), 0o644)
	os.MkdirAll(filepath.Join(aside, "dpa", "planted"), 0o755)
	os.WriteFile(filepath.Join(aside, "dpa", "planted", "index.html"), []byte("<p>not ours</p>"), 0o644)
	os.RemoveAll(filepath.Join(aside, "dpa", "versions"))
	if err := os.Symlink(victim, filepath.Join(aside, "dpa", "versions")); err != nil {
		t.Fatal(err)
	}
	check("with files planted")
	if ents, _ := os.ReadDir(victim); len(ents) > 0 {
		t.Errorf("the build wrote through a symbolic link into %s: %v", victim, ents)
	}

	// The published output edited in place: its archived pages are links
	// to the page cache's files, which are found changed and dropped.
	var edited string
	for name := range tr {
		if strings.HasPrefix(name, "/dpa/versions/") && strings.Count(name, "/") == 4 {
			edited = filepath.Join(out, filepath.FromSlash(name))
			break
		}
	}
	if edited == "" {
		t.Fatal("no archived DPA version in the output")
	}
	f, err := os.OpenFile(edited, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("<!-- edited in place -->")
	f.Close()
	check("after an edit in place")
	check("once more")
	// Nothing changed since the output reused: no body nor text is read.
	check("unchanged")
	if res.BodiesRead != 0 || res.FilesUnchanged == 0 || res.PagesRendered != 0 {
		t.Errorf("nothing changed: %d bodies read, %d files unchanged, %d pages rendered; want 0, most, 0", res.BodiesRead, res.FilesUnchanged, res.PagesRendered)
	}
}

// TestFailedBuildKeepsOutputBeforeLast: a build that fails after it took
// the output before the last one to make into its own (site.Reuse) sets it
// aside again, so that the next build still reuses it; and it leaves no
// build folder behind.
func TestFailedBuildKeepsOutputBeforeLast(t *testing.T) {
	r := gittest.New(t)
	for i := range 3 {
		r.Write("content/dpa.md", fmt.Sprintf("# DPA\n\nVersion %d of the agreement.\n", i))
		r.Commit(fmt.Sprintf("2026-01-%02dT10:00:00Z", i+1), fmt.Sprintf("Revision %d", i))
	}
	out := filepath.Join(t.TempDir(), "public")
	opts := Options{Out: out, HistoryOptions: HistoryOptions{CacheDir: t.TempDir()}}
	mustBuild(t, r.Dir, opts)
	mustBuild(t, r.Dir, opts) // sets the first build's output aside
	r.Write("content/privacy.md", "---\ntitle: [unclosed\n---\n")
	if _, err := build(t, r.Dir, opts); err == nil {
		t.Fatal("a build with broken front matter succeeded")
	}
	parent := filepath.Dir(out)
	if m, _ := filepath.Glob(filepath.Join(parent, ".public.clause-build-*")); len(m) != 0 {
		t.Errorf("the failed build left %v", m)
	}
	if m, _ := filepath.Glob(filepath.Join(parent, ".public.clause-previous-*", "*", OutputMarker)); len(m) == 0 {
		t.Fatal("the failed build did not set the output before last aside again")
	}
	r.Remove("content/privacy.md")
	r.Write("content/dpa.md", "# DPA\n\nVersion 3 of the agreement.\n")
	r.Commit("2026-01-04T10:00:00Z", "Revision 3")
	if res := mustBuild(t, r.Dir, opts); res.FilesUnchanged == 0 {
		t.Error("the build after the failed one reused nothing of the output before last")
	}
}

// A version whose front matter is broken is shown without it, with a
// warning: a build from the memo warns as a build from scratch does (its
// text is parsed again: the memo keeps only what parsed cleanly).
func TestMemoBuildWarnsOfBrokenOldVersion(t *testing.T) {
	r := gittest.New(t)
	r.Write("content/terms.md", "---\ntitle: [unclosed\n---\n# Terms\n\nFirst text.\n")
	r.Commit("2026-01-01T10:00:00Z", "Terms, broken front matter")
	r.Write("content/terms.md", "---\ntitle: Terms\n---\n# Terms\n\nSecond text.\n")
	r.Commit("2026-01-02T10:00:00Z", "Terms, fixed")
	r.Write("content/privacy.md", "# Privacy\n\nText.\n")
	r.Commit("2026-01-03T10:00:00Z", "Privacy")
	cacheDir := t.TempDir()
	for _, name := range []string{"first", "second"} {
		var log bytes.Buffer
		out := filepath.Join(t.TempDir(), name)
		res := mustBuild(t, r.Dir, Options{Out: out, Log: &log, HistoryOptions: HistoryOptions{CacheDir: cacheDir}})
		if n := strings.Count(log.String(), "has errors; showing its text without front matter"); n != 1 {
			t.Errorf("%s build: the broken version is told %d times, want once:\n%s", name, n, log.String())
		}
		if name == "second" && res.TextsParsed != 1 {
			t.Errorf("second build: %d texts parsed, want 1 (the broken version)", res.TextsParsed)
		}
		if page := readFile(t, filepath.Join(out, "terms", "index.html")); !strings.Contains(page, "Second text.") {
			t.Errorf("%s build: the terms page lacks the current text", name)
		}
	}
}

// A build from the memo reads and parses only the texts of versions whose
// pages or redlines it computes: after a commit to one document, that
// document's (the new version, and those compared with it).
func TestMemoBuildParsesOnlyWhatChanged(t *testing.T) {
	r := gittest.New(t)
	words := []string{"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"}
	for i, w := range words[:6] {
		// Each version in other words: Load compares no two texts
		// (their letters differ), so what parses them is the pages.
		r.Write("content/dpa.md", fmt.Sprintf("# DPA\n\n## 1. Scope\n\nThe %s clause.\n", w))
		r.Write(fmt.Sprintf("content/policy-%d.md", i%2), fmt.Sprintf("# Policy %d\n\nThe %s policy.\n", i%2, w))
		r.Commit(fmt.Sprintf("2026-01-%02dT10:00:00Z", i+1), "Revision "+w)
	}
	cacheDir := t.TempDir()
	build := func(name string) *Result {
		t.Helper()
		return mustBuild(t, r.Dir, Options{Out: filepath.Join(t.TempDir(), name), HistoryOptions: HistoryOptions{CacheDir: cacheDir}})
	}
	if first := build("first"); first.TextsParsed == 0 {
		t.Fatal("first build: no text parsed for the pages")
	}
	if again := build("again"); again.TextsParsed != 0 {
		t.Errorf("nothing changed: %d texts parsed, want 0", again.TextsParsed)
	}
	r.Write("content/policy-1.md", "# Policy 1\n\nThe hotel policy, with a new clause.\n")
	r.Commit("2026-01-08T10:00:00Z", "Policy 1: a new clause")
	// Policy 1 has four versions: the new one, and the three compared
	// with it (the redlines against the current text).
	if incr := build("incremental"); incr.TextsParsed == 0 || incr.TextsParsed > 4 {
		t.Errorf("after a commit to policy 1: %d texts parsed, want 1 to 4 (of 16 versions)", incr.TextsParsed)
	}
}

// A build with the page cache of an earlier one grows the soft memory
// limit (GrowMemoryLimit) by what the index takes in memory; a damaged
// index is told, and the build renders every page as a cold build would.
func TestPageCacheIndexMemoryAndDamage(t *testing.T) {
	r := gittest.New(t)
	r.Write("content/terms.md", "# Terms\n\nFirst.\n")
	r.Commit("2026-01-01T10:00:00Z", "Terms")
	r.Write("content/terms.md", "# Terms\n\nSecond.\n")
	r.Commit("2026-01-02T10:00:00Z", "Terms again")
	var grown []int64
	GrowMemoryLimit = func(n int64) { grown = append(grown, n) }
	defer func() { GrowMemoryLimit = nil }()
	cacheDir := t.TempDir()
	build := func(name string) (*Result, string) {
		t.Helper()
		var log strings.Builder
		res := mustBuild(t, r.Dir, Options{Out: filepath.Join(t.TempDir(), name), Log: &log, HistoryOptions: HistoryOptions{CacheDir: cacheDir}})
		return res, log.String()
	}
	build("first")
	if len(grown) != 0 {
		t.Errorf("first build, no index yet: the limit grew by %v", grown)
	}
	index := filepath.Join(cacheDir, PageCacheFolder, "index")
	fi, err := os.Stat(index)
	if err != nil {
		t.Fatal(err)
	}
	if res, _ := build("second"); len(grown) != 1 || grown[0] != 3*fi.Size() || res.PagesRendered != 0 {
		t.Errorf("second build: the limit grew by %v, want [%d]; %d pages rendered", grown, 3*fi.Size(), res.PagesRendered)
	}
	b, _ := os.ReadFile(index)
	b[len(b)-1] ^= 1
	os.WriteFile(index, b, 0o600)
	res, log := build("damaged")
	if !strings.Contains(log, "page cache:") || !strings.Contains(log, "starts afresh") || res.PagesReused != 0 || res.PagesRendered == 0 {
		t.Errorf("a damaged index: %d reused, %d rendered; log:\n%s", res.PagesReused, res.PagesRendered, log)
	}
}

// TestCommitRendersOnlyTheArchivedPagesItChanges: after a commit that adds
// a version to a document, every archived page whose bytes stay the same
// comes from the page cache, not from rendering: the pages of the
// document's translation above all, whose source moved on (what the new
// version changes in them, the translation's lag, is shown on its current
// page only). The document's own version pages change, each with its
// redline against the current text; their redlines against their
// predecessors, which the memo keeps, are not computed again. A page
// taken from the cache is a hard link to the cache's file, so the file of
// an unchanged page is the same file in both outputs.
func TestCommitRendersOnlyTheArchivedPagesItChanges(t *testing.T) {
	r := gittest.New(t)
	doc := func(title, body string) string {
		return "---\ntitle: " + title + "\nkind: dpa\n---\n# " + title + "\n\n## 1. Scope\n\n" + body + "\n"
	}
	r.Write("clause.toml", "title = \"Legal\"\nlanguage = \"en\"\nbinding_language = \"en\"\n")
	for i := range 6 {
		r.Write("content/en/dpa.md", doc("Data Processing Agreement", fmt.Sprintf("The processor acts on instructions, revision %d.", i)))
		if i%2 == 0 {
			r.Write("content/de/dpa.md", doc("Auftragsverarbeitungsvertrag", fmt.Sprintf("Der Auftragsverarbeiter handelt auf Weisung, Fassung %d.", i)))
		}
		r.Commit(fmt.Sprintf("2026-01-%02dT10:00:00Z", i+1), fmt.Sprintf("Revision %d", i))
	}
	cacheDir := t.TempDir()
	build := func(name string) string {
		t.Helper()
		out := filepath.Join(t.TempDir(), name)
		mustBuild(t, r.Dir, Options{Out: out, HistoryOptions: HistoryOptions{CacheDir: cacheDir}})
		return out
	}
	before := build("before")
	r.Write("content/en/dpa.md", doc("Data Processing Agreement", "The processor acts on documented instructions only."))
	r.Commit("2026-01-10T10:00:00Z", "DPA: documented instructions")
	after := build("after")
	cold := filepath.Join(t.TempDir(), "cold")
	mustBuild(t, r.Dir, Options{Out: cold, HistoryOptions: HistoryOptions{NoCache: true}})
	a, b := tree(t, after), tree(t, before)
	if d := diffTrees(a, tree(t, cold)); len(d) > 0 {
		t.Errorf("%d files differ from a cold build's:\n%s", len(d), strings.Join(d, "\n"))
	}
	var same, rendered []string
	changes, german := 0, 0
	for name, text := range a {
		archived := strings.Contains(name, "/versions/") || strings.Contains(name, "/compare/")
		if !archived || !strings.HasSuffix(name, "/index.html") || strings.HasSuffix(name, "/versions/index.html") {
			continue
		}
		// A version's redline against its predecessor stays as it was,
		// but the one the new version supersedes.
		if old, ok := b[name]; ok && strings.HasPrefix(name, "/en/dpa/versions/") && viewOf(text, ChangesAnchor) != "" && viewOf(text, ChangesAnchor) == viewOf(old, ChangesAnchor) {
			changes++
		}
		if b[name] != text {
			continue
		}
		same = append(same, name)
		if strings.HasPrefix(name, "/de/dpa/") {
			german++
		}
		x, err := os.Stat(filepath.Join(before, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		y, err := os.Stat(filepath.Join(after, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		if !os.SameFile(x, y) {
			rendered = append(rendered, name)
		}
	}
	// The German DPA's 3 versions and its compare page; the English DPA's
	// redlines against their predecessors of the versions but the first
	// (none) and the newest before the commit (its status changed).
	if german < 4 || changes < 4 {
		t.Fatalf("%d German pages and %d English redlines against their predecessors unchanged by the commit, want 4 and 4 at least: %v", german, changes, same)
	}
	if len(rendered) > 0 {
		t.Errorf("%d of %d archived pages the commit did not change were rendered again:\n%s", len(rendered), len(same), strings.Join(rendered, "\n"))
	}
}
