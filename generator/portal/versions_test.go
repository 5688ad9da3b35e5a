package portal

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"html"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/clause-portal/clause/generator/api"
	"github.com/clause-portal/clause/generator/history"
	"github.com/clause-portal/clause/internal/gittest"
)

// historyRepo builds a repository with the situations the version archive
// must handle: a merged pull request, a minor change, a rename, a deleted
// document, and an upcoming effective date.
func historyRepo(t *testing.T) *gittest.Repo {
	r := gittest.New(t)
	r.Write("content/dpa.md", "---\ntitle: DPA\neffective: 2026-01-01\n---\n## 1. Breach\n\nWithin 72 hours. ALPHA\n")
	r.Write("content/security-old.md", "# Security\n\nEncryption at rest. SIGMA\n")
	r.Write("content/beta-terms.md", "# Beta terms\n\nBeta programme. OMEGA\n")
	r.Commit("2026-01-05T10:00:00+01:00", "Publish")

	r.Git("checkout", "-q", "-b", "pr")
	r.Write("content/dpa.md", "---\ntitle: DPA\neffective: 2026-06-01\n---\n## 1. Breach\n\nWithin 48 hours. BRAVO\n")
	r.Commit("2026-03-01T10:00:00+00:00", "wip")
	r.Write("content/dpa.md", "---\ntitle: DPA\neffective: 2026-06-01\n---\n## 1. Breach\n\nWithin 48 hours. CHARLIE\n")
	r.Commit("2026-03-02T10:00:00+00:00", "wip 2")
	r.Git("checkout", "-q", "main")
	r.Merge("2026-03-10T12:00:00+00:00", "pr", "Merge pull request #3 from acme/pr\n\nShorter breach notice")

	r.Git("mv", "content/security-old.md", "content/security.md")
	r.Commit("2026-04-01T10:00:00+00:00", "Rename security page")
	r.Write("content/security.md", "# Security\n\nEncryption at rest and in transit. TAU\n")
	r.Commit("2026-04-02T10:00:00+00:00", "Security: transit\n\nChange-Type: minor")

	r.Remove("content/beta-terms.md")
	r.Commit("2026-05-01T10:00:00+00:00", "Retire beta terms")

	r.Write("content/dpa.md", "---\ntitle: DPA\neffective: 2027-01-01\n---\n## 1. Breach\n\nWithin 24 hours. DELTA\n")
	r.Commit("2026-11-01T10:00:00+00:00", "DPA 2027")
	return r
}

func loadAPI(t *testing.T, dir string) api.Documents {
	t.Helper()
	var docs api.Documents
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(dir, "public", "api", "documents.json"))), &docs); err != nil {
		t.Fatal(err)
	}
	return docs
}

// TestDocumentsAPIMatchesGit compares every document's versions in
// /api/documents.json with git itself: commits (git log --first-parent
// --follow minus pure renames), dates, paths and SHA-256 of git show.
func TestDocumentsAPIMatchesGit(t *testing.T) {
	r := historyRepo(t)
	res := mustBuild(t, r.Dir, Options{})
	if res.Documents != 3 || res.Versions != 6 {
		t.Errorf("documents %d versions %d, want 3 and 6", res.Documents, res.Versions)
	}
	docs := loadAPI(t, r.Dir)
	// The API is dated by the published commit (git's own word for it),
	// not by the build, so that building one commit twice writes the same
	// file.
	head, err := time.Parse(time.RFC3339, strings.TrimSpace(r.Git("log", "-1", "--format=%cI")))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := time.Parse(time.RFC3339, docs.Generated); err != nil || !got.Equal(head) {
		t.Errorf("generated = %q, want the head commit's date %s", docs.Generated, head.Format(time.RFC3339))
	}
	byID := map[string]api.Document{}
	for _, d := range docs.Documents {
		byID[d.ID] = d
	}
	for id, path := range map[string]string{"dpa": "content/dpa.md", "security": "content/security.md"} {
		d, ok := byID[id]
		if !ok {
			t.Fatalf("no document %s in API", id)
		}
		out := r.Git("log", "--first-parent", "--follow", "--format=%x00%H %cI", "--name-status", "-M", "--", path)
		var want []string
		var dates []string
		for _, rec := range strings.Split(out, "\x00")[1:] {
			lines := strings.Fields(rec)
			if len(lines) < 3 || strings.HasPrefix(lines[2], "R100") {
				continue // pure rename: not a version
			}
			want = append(want, lines[0])
			dates = append(dates, lines[1])
		}
		if len(d.Versions) != len(want) {
			t.Fatalf("%s: %d versions, git log says %d", id, len(d.Versions), len(want))
		}
		for i, v := range d.Versions {
			if v.Commit != want[i] {
				t.Errorf("%s version %d: commit %s, git %s", id, i, v.Commit, want[i])
			}
			if wantDate, _ := time.Parse(time.RFC3339, dates[i]); v.Date != wantDate.Format(time.RFC3339) {
				t.Errorf("%s version %d: date %s, git %s", id, i, v.Date, dates[i])
			}
			blob := r.Git("show", v.Commit+":"+v.Path)
			sum := sha256.Sum256([]byte(blob + "\n"))
			if v.SHA256 != hex.EncodeToString(sum[:]) {
				t.Errorf("%s version %d: sha256 does not match git show %s:%s", id, i, v.Commit, v.Path)
			}
			if v.URL != "/"+id+"/versions/"+v.ID+"/" || v.ID != v.SHA256[:12] {
				t.Errorf("%s version %d: id %s url %s", id, i, v.ID, v.URL)
			}
			if last := i == len(d.Versions)-1; last != (v.DiffURL == nil) || !last && *v.DiffURL != "/"+id+"/versions/"+v.ID+"/#"+ChangesAnchor {
				t.Errorf("%s version %d: diff_url %v", id, i, v.DiffURL)
			}
		}
		if *d.LastUpdated != d.Versions[0].Date {
			t.Errorf("%s: last_updated %s", id, *d.LastUpdated)
		}
	}
	dpa := byID["dpa"]
	if dpa.Versions[1].Subject != "Shorter breach notice" || !dpa.Versions[1].Material {
		t.Errorf("merge version: %+v", dpa.Versions[1])
	}
	if *dpa.Effective != "2027-01-01" || *dpa.Versions[2].Effective != "2026-01-01" {
		t.Errorf("effective dates: %v %v", *dpa.Effective, *dpa.Versions[2].Effective)
	}
	sec := byID["security"]
	if sec.Versions[0].Material || sec.Versions[0].Path != "content/security.md" || sec.Versions[1].Path != "content/security-old.md" {
		t.Errorf("security versions: %+v", sec.Versions)
	}
	beta := byID["beta-terms"]
	if !beta.Retired || len(beta.Versions) != 1 || beta.Path != "content/beta-terms.md" {
		t.Errorf("retired document: %+v", beta)
	}
}

func TestVersionPages(t *testing.T) {
	r := historyRepo(t)
	mustBuild(t, r.Dir, Options{})
	docs := loadAPI(t, r.Dir)
	var dpa api.Document
	for _, d := range docs.Documents {
		if d.ID == "dpa" {
			dpa = d
		}
	}
	markers := []string{"DELTA", "CHARLIE", "ALPHA"}
	for i, v := range dpa.Versions {
		html := readFile(t, filepath.Join(r.Dir, "public", "dpa", "versions", v.ID, "index.html"))
		text := viewOf(html, "version_text")
		if !strings.Contains(text, markers[i]) {
			t.Errorf("version %s lacks its text %s", v.ID, markers[i])
		}
		for j, m := range markers {
			if j != i && strings.Contains(text, m) {
				t.Errorf("version %s shows text %s of another version", v.ID, m)
			}
		}
		// Its redlines: against its predecessor, and against the newest.
		if changes := viewOf(html, ChangesAnchor); (i+1 < len(markers)) != (changes != "") || changes != "" && (!strings.Contains(changes, markers[i]) || !strings.Contains(changes, markers[i+1])) {
			t.Errorf("version %s: redline against its predecessor:\n%s", v.ID, changes)
		}
		if since := viewOf(html, SinceAnchor); (i > 0) != (since != "") || since != "" && (!strings.Contains(since, markers[i]) || !strings.Contains(since, markers[0])) {
			t.Errorf("version %s: redline against the current text:\n%s", v.ID, since)
		}
		// In groups of 8 digits with line-break opportunities (<wbr>) between.
		if !strings.Contains(strings.ReplaceAll(html, "<wbr>", ""), `<code class="sha">`+v.SHA256+`</code>`) {
			t.Errorf("version %s does not show its SHA-256", v.ID)
		}
	}
	// The oldest version was superseded when the merged version took
	// effect (1 June 2026); that one applies until 1 January 2027.
	oldest := readFile(t, filepath.Join(r.Dir, "public", "dpa", "versions", dpa.Versions[2].ID, "index.html"))
	if !strings.Contains(oldest, `Superseded on <time datetime="2026-06-01">1 June 2026</time>`) || !strings.Contains(oldest, `href="/dpa/versions/`+dpa.Versions[1].ID+`/"`) {
		t.Errorf("oldest version lacks its superseded banner:\n%s", oldest)
	}
	inForce := readFile(t, filepath.Join(r.Dir, "public", "dpa", "versions", dpa.Versions[1].ID, "index.html"))
	if !strings.Contains(inForce, `applies until <time datetime="2027-01-01">1 January 2027</time>`) || !strings.Contains(inForce, "status-in-force") {
		t.Error("version in force does not say until when it applies")
	}
	upcoming := readFile(t, filepath.Join(r.Dir, "public", "dpa", "versions", dpa.Versions[0].ID, "index.html"))
	if !strings.Contains(upcoming, "This version takes effect on") {
		t.Error("upcoming version not marked")
	}

	// The current page shows the text in force and announces the upcoming one.
	current := readFile(t, filepath.Join(r.Dir, "public", "dpa", "index.html"))
	if !strings.Contains(current, "CHARLIE") || strings.Contains(current, "DELTA") {
		t.Error("current page does not show the text in force")
	}
	if !strings.Contains(current, `An updated version takes effect on <time datetime="2027-01-01">1 January 2027</time>`) || !strings.Contains(current, `href="/dpa/versions/`+dpa.Versions[0].ID+`/"`) {
		t.Error("upcoming version not announced on the current page")
	}

	changelog := readFile(t, filepath.Join(r.Dir, "public", "dpa", "versions", "index.html"))
	last := -1
	for _, v := range dpa.Versions {
		i := strings.Index(changelog, `href="/dpa/versions/`+v.ID+`/"`)
		if i < 0 || i < last {
			t.Errorf("changelog lacks version %s or lists it out of order", v.ID)
		}
		last = i
	}
	if !strings.Contains(changelog, "Shorter breach notice") {
		t.Error("changelog lacks the pull request title")
	}
	site := readFile(t, filepath.Join(r.Dir, "public", "changelog", "index.html"))
	if strings.Contains(site, "Retire beta terms") {
		t.Error("a deletion is not a version, yet the changelog lists it")
	}
	for _, s := range []string{"DPA 2027", "Shorter breach notice", "Security: transit", "Publish"} {
		if !strings.Contains(site, s) {
			t.Errorf("site changelog lacks %q", s)
		}
	}
}

func TestRenamedAndRetiredDocuments(t *testing.T) {
	r := historyRepo(t)
	mustBuild(t, r.Dir, Options{})
	pub := filepath.Join(r.Dir, "public")
	redirect := readFile(t, filepath.Join(pub, "security-old", "index.html"))
	if !strings.Contains(redirect, `<meta http-equiv="refresh" content="0; url=/security/">`) {
		t.Errorf("old URL of renamed document does not redirect:\n%s", redirect)
	}
	// The pages below a former URL (versions, comparisons) redirect by one
	// rule per former name, not one page each.
	if got := readFile(t, filepath.Join(pub, "_redirects")); !strings.Contains(got, "\n/security-old/* /security/:splat 301\n") {
		t.Errorf("_redirects lacks the rule of the former name:\n%s", got)
	}
	if got := readFile(t, filepath.Join(pub, "api", "moved.json")); got != `{"moved":{"/security-old/":"/security/"}}`+"\n" {
		t.Errorf("api/moved.json: %s", got)
	}
	entries, err := os.ReadDir(filepath.Join(pub, "security-old"))
	if err != nil || len(entries) != 1 || entries[0].Name() != "index.html" {
		t.Errorf("security-old/ holds %v (%v), want only its redirect page", entries, err)
	}
	retired := readFile(t, filepath.Join(pub, "beta-terms", "index.html"))
	if !strings.Contains(retired, "<strong>Retired.</strong>") || !strings.Contains(retired, `<time datetime="2026-05-01T10:00:00Z">1 May 2026</time>`) || !strings.Contains(retired, "OMEGA") {
		t.Errorf("retired page:\n%s", retired)
	}
	index := readFile(t, filepath.Join(pub, "index.html"))
	// (The latest changes above the lists may name it too.)
	i := strings.Index(index, "Retired documents")
	if i < 0 || !strings.Contains(index[i:], `href="/beta-terms/"`) {
		t.Error("retired document not listed under Retired documents")
	}
}

func TestDatesInConfiguredTimeZone(t *testing.T) {
	r := historyRepo(t)
	r.Write("clause.toml", "time_zone = \"Asia/Tokyo\"\n")
	r.Commit("2026-11-02T10:00:00Z", "config")
	mustBuild(t, r.Dir, Options{})
	// html/template writes "+" in attributes as "&#43;"; browsers decode it.
	changelog := html.UnescapeString(readFile(t, filepath.Join(r.Dir, "public", "dpa", "versions", "index.html")))
	// Merge at 2026-03-10T12:00Z is 21:00 in Tokyo; the first commit
	// (10:00+01:00) is 18:00 in Tokyo on the same day.
	for _, want := range []string{`<time datetime="2026-03-10T21:00:00+09:00">10 March 2026</time>`, `<time datetime="2026-01-05T18:00:00+09:00">5 January 2026</time>`} {
		if !strings.Contains(changelog, want) {
			t.Errorf("changelog lacks %s", want)
		}
	}
	docs := loadAPI(t, r.Dir)
	for _, d := range docs.Documents {
		if d.ID == "dpa" && d.Versions[2].Date != "2026-01-05T10:00:00+01:00" {
			t.Errorf("API date %s: must keep the commit's own offset", d.Versions[2].Date)
		}
	}
}

// TestBatchedRenderingIsIdentical renders archived versions one per Hugo
// build and checks the result equals the single-batch build byte for byte.
func TestBatchedRenderingIsIdentical(t *testing.T) {
	r := historyRepo(t)
	one := filepath.Join(t.TempDir(), "one")
	many := filepath.Join(t.TempDir(), "many")
	mustBuild(t, r.Dir, Options{Out: one})
	mustBuild(t, r.Dir, Options{Out: many, BatchSize: 1})
	a, b := tree(t, one), tree(t, many)
	if len(a) != len(b) {
		t.Fatalf("%d files vs %d files", len(a), len(b))
	}
	for name, content := range a {
		if b[name] != content {
			t.Errorf("%s differs between batch sizes", name)
		}
	}
	if len(a) < 15 {
		t.Errorf("only %d files", len(a))
	}
}

func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		files[strings.TrimPrefix(p, dir)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestSitemapListsArchive checks the sitemap lists every document, its
// changelog and every archived version, with absolute URLs.
func TestSitemapListsArchive(t *testing.T) {
	r := historyRepo(t)
	mustBuild(t, r.Dir, Options{BaseURL: "https://legal.example.com/"})
	var sm struct {
		URLs []struct {
			Loc     string `xml:"loc"`
			LastMod string `xml:"lastmod"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal([]byte(readFile(t, filepath.Join(r.Dir, "public", "sitemap.xml"))), &sm); err != nil {
		t.Fatal(err)
	}
	locs := map[string]string{}
	for _, u := range sm.URLs {
		locs[u.Loc] = u.LastMod
	}
	for _, d := range loadAPI(t, r.Dir).Documents {
		want := []string{d.URL, "/" + d.ID + "/versions/"}
		for _, v := range d.Versions {
			want = append(want, v.URL)
			if got, _ := time.Parse(time.RFC3339, locs["https://legal.example.com"+v.URL]); !got.Equal(mustTime(t, v.Date)) {
				t.Errorf("%s lastmod %v, want %s", v.URL, got, v.Date)
			}
		}
		for _, u := range want {
			if _, ok := locs["https://legal.example.com"+u]; !ok {
				t.Errorf("sitemap lacks %s", u)
			}
		}
	}
	if _, ok := locs["https://legal.example.com/changelog/"]; !ok {
		t.Error("sitemap lacks the changelog")
	}
	if robots := readFile(t, filepath.Join(r.Dir, "public", "robots.txt")); !strings.Contains(robots, "Sitemap: https://legal.example.com/sitemap.xml") {
		t.Errorf("robots.txt: %q", robots)
	}
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

// TestHistoryCacheRebuildIsIdentical builds without the history cache,
// then twice with it (filling it, then reading from it): the three sites
// are identical byte for byte, and only the cached builds leave a cache.
func TestHistoryCacheRebuildIsIdentical(t *testing.T) {
	r := historyRepo(t)
	cacheDir := filepath.Join(r.Dir, ".git", history.CacheFolder)
	plain := filepath.Join(t.TempDir(), "plain")
	mustBuild(t, r.Dir, Options{Out: plain, HistoryOptions: HistoryOptions{NoCache: true}})
	if _, err := os.Stat(cacheDir); !os.IsNotExist(err) {
		t.Fatalf("a build with NoCache left %s (%v)", cacheDir, err)
	}
	want := tree(t, plain)
	for _, run := range []string{"filling the cache", "from the cache"} {
		out := filepath.Join(t.TempDir(), "cached")
		mustBuild(t, r.Dir, Options{Out: out})
		got := tree(t, out)
		if len(got) != len(want) {
			t.Fatalf("%s: %d files, %d without the cache", run, len(got), len(want))
		}
		for name, content := range want {
			if got[name] != content {
				t.Errorf("%s: %s differs from the build without the cache", run, name)
			}
		}
	}
	if files, _ := filepath.Glob(filepath.Join(cacheDir, "history-*")); len(files) != 1 {
		t.Errorf("cache files %q, want one", files)
	}
}
