package portal

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/clause-portal/clause/generator/document"
	"github.com/clause-portal/clause/generator/history"
	"github.com/clause-portal/clause/internal/gittest"
)

var now = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func build(t *testing.T, dir string, opts Options) (*Result, error) {
	t.Helper()
	opts.Repo = dir
	if opts.Now.IsZero() {
		opts.Now = now
	}
	return Build(context.Background(), opts)
}

func mustBuild(t *testing.T, dir string, opts Options) *Result {
	t.Helper()
	res, err := build(t, dir, opts)
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	return res
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var lastUpdated = regexp.MustCompile(`(?s)<div class="last-updated">.*?<time datetime="([^"]+)">([^<]+)</time>\s*<code class="commit" title="Commit ([0-9a-f]{40})">([0-9a-f]{7})</code>`)

// pageStamp returns the last-updated datetime, display text and commit of a
// built page.
func pageStamp(t *testing.T, html string) (datetime, display, commit string) {
	t.Helper()
	m := lastUpdated.FindStringSubmatch(html)
	if m == nil {
		t.Fatalf("no last-updated stamp in page:\n%s", html)
	}
	if !strings.HasPrefix(m[3], m[4]) {
		t.Errorf("short hash %s is not a prefix of %s", m[4], m[3])
	}
	return m[1], m[2], m[3]
}

// gitLastUpdated is the oracle: git's own answer for a file's last change
// on the first-parent history.
func gitLastUpdated(t *testing.T, r *gittest.Repo, path string) (time.Time, string) {
	t.Helper()
	out := strings.Fields(r.Git("log", "-1", "--first-parent", "--format=%cI %H", "--", path))
	if len(out) != 2 {
		t.Fatalf("git log for %s: %q", path, out)
	}
	tm, err := time.Parse(time.RFC3339, out[0])
	if err != nil {
		t.Fatal(err)
	}
	return tm, out[1]
}

// TestLastUpdatedMatchesGit builds a repository whose history has commits
// with time zone offsets, out-of-order dates and a merged pull request
// whose branch commits are older than the merge, and checks every page's
// "Last updated" against git log --first-parent.
func TestLastUpdatedMatchesGit(t *testing.T) {
	r := gittest.New(t)
	r.Write("content/dpa.md", "---\ntitle: Data Processing Agreement\neffective: 2026-03-01\n---\n## 1. Definitions\n\nText.\n")
	r.Write("content/privacy-policy.md", "# Privacy Policy\n\nWe process data.\n")
	r.Write("content/legal/cookies.md", "---\ntitle: Cookies\n---\nCookie text.\n")
	r.Write("README.md", "not a document\n")
	r.Commit("2026-01-10T09:00:00+01:00", "Publish first documents")

	r.Write("content/privacy-policy.md", "# Privacy Policy\n\nWe process less data.\n")
	r.Commit("2026-02-01T23:30:00-05:00", "Privacy: data minimisation") // 2026-02-02 in UTC

	// A pull request: branch commits dated before the merge.
	r.Git("checkout", "-q", "-b", "feature")
	r.Write("content/dpa.md", "---\ntitle: Data Processing Agreement\neffective: 2026-04-01\n---\n## 1. Definitions\n\nNew text.\n")
	r.Commit("2026-02-15T10:00:00+00:00", "DPA: new definitions")
	r.Git("checkout", "-q", "main")
	r.Write("content/legal/cookies.md", "---\ntitle: Cookies\n---\nCookie text, revised.\n")
	r.Commit("2026-03-05T08:00:00+02:00", "Cookies revised")
	r.Merge("2026-03-20T16:45:00+01:00", "feature", "Merge pull request #7 from acme/feature\n\nDPA: new definitions")

	// A commit with an older date than its parent, touching only README.
	r.Write("README.md", "still not a document\n")
	r.Commit("2025-12-31T10:00:00+00:00", "Docs")

	mustBuild(t, r.Dir, Options{})
	for _, tc := range []struct{ path, url string }{
		{"content/dpa.md", "dpa"}, {"content/privacy-policy.md", "privacy-policy"}, {"content/legal/cookies.md", "legal/cookies"},
	} {
		html := readFile(t, filepath.Join(r.Dir, "public", tc.url, "index.html"))
		datetime, display, commit := pageStamp(t, html)
		wantTime, wantCommit := gitLastUpdated(t, r, tc.path)
		if datetime != wantTime.UTC().Format(time.RFC3339) {
			t.Errorf("%s: datetime %s, git says %s", tc.path, datetime, wantTime.Format(time.RFC3339))
		}
		if display != wantTime.UTC().Format("2 January 2006") {
			t.Errorf("%s: display %q", tc.path, display)
		}
		if commit != wantCommit {
			t.Errorf("%s: commit %s, git says %s", tc.path, commit, wantCommit)
		}
	}
	dpa := readFile(t, filepath.Join(r.Dir, "public", "dpa", "index.html"))
	if !strings.Contains(dpa, `<time datetime="2026-04-01">1 April 2026</time>`) {
		t.Error("effective date missing from DPA page")
	}
	if !strings.Contains(dpa, `<time datetime="2026-03-20T15:45:00Z">20 March 2026</time>`) {
		t.Error("DPA last updated is not the merge commit's date")
	}
	priv := readFile(t, filepath.Join(r.Dir, "public", "privacy-policy", "index.html"))
	if !strings.Contains(priv, `datetime="2026-02-02T04:30:00Z">2 February 2026<`) {
		t.Error("privacy policy date not converted to UTC")
	}
	if strings.Count(priv, "<h1") != 1 {
		t.Error("title heading shown twice")
	}
	index := readFile(t, filepath.Join(r.Dir, "public", "index.html"))
	for _, want := range []string{`href="/dpa/"`, `href="/privacy-policy/"`, `href="/legal/cookies/"`, "Data processing agreements", "Privacy", "Cookies"} {
		if !strings.Contains(index, want) {
			t.Errorf("index lacks %q", want)
		}
	}
	if _, err := os.Stat(filepath.Join(r.Dir, "public", "readme")); err == nil {
		t.Error("README.md outside content/ was published")
	}
}

func TestSiteTimeZoneFromConfig(t *testing.T) {
	r := gittest.New(t)
	r.Write("clause.toml", "title = \"Acme Legal\"\ntime_zone = \"America/New_York\"\nrepo_url = \"https://github.com/acme/legal\"\n")
	r.Write("content/terms.md", "# Terms\n")
	hash := r.Commit("2026-07-01T02:00:00+00:00", "Terms")
	mustBuild(t, r.Dir, Options{})
	html := readFile(t, filepath.Join(r.Dir, "public", "terms", "index.html"))
	if !strings.Contains(html, `<time datetime="2026-06-30T22:00:00-04:00">30 June 2026</time>`) {
		t.Errorf("date not shown in the configured zone:\n%s", html)
	}
	if !strings.Contains(html, `href="https://github.com/acme/legal/commit/`+hash+`"`) {
		t.Error("no link to the commit on the repository host")
	}
	if !strings.Contains(html, "<title>Terms · Acme Legal</title>") {
		t.Error("configured title not used")
	}
}

func TestThemeOverrideByUserLayouts(t *testing.T) {
	r := gittest.New(t)
	r.Write("content/dpa.md", "# DPA\n\nText.\n")
	r.Write("layouts/page.html", `{{ define "main" }}<p id="custom">custom {{ .Title }} {{ .Params.clause.updated.display }}</p>{{ end }}`)
	r.Write("layouts/_partials/hooks/footer.html", `<p id="hook">imprint</p>`)
	r.Write("static/logo.txt", "logo")
	r.Write("static/favicon.svg", "<svg/>")
	r.Commit("2026-05-05T10:00:00Z", "DPA")
	mustBuild(t, r.Dir, Options{})
	dpa := readFile(t, filepath.Join(r.Dir, "public", "dpa", "index.html"))
	if !strings.Contains(dpa, `<p id="custom">custom DPA 5 May 2026</p>`) {
		t.Errorf("user layout did not override the theme's page.html:\n%s", dpa)
	}
	if strings.Contains(dpa, `class="toc"`) || !strings.Contains(dpa, `class="site-header"`) {
		t.Error("override should replace only page.html; the theme's baseof stays")
	}
	index := readFile(t, filepath.Join(r.Dir, "public", "index.html"))
	if !strings.Contains(index, `<p id="hook">imprint</p>`) {
		t.Error("footer hook partial not overridden")
	}
	if readFile(t, filepath.Join(r.Dir, "public", "logo.txt")) != "logo" || readFile(t, filepath.Join(r.Dir, "public", "favicon.svg")) != "<svg/>" {
		t.Error("static/ not copied over the theme's static files")
	}
}

func TestBadFrontMatterLeavesPreviousOutput(t *testing.T) {
	r := gittest.New(t)
	r.Write("content/dpa.md", "---\ntitle: DPA\n---\nText.\n")
	r.Commit("2026-05-05T10:00:00Z", "DPA")
	mustBuild(t, r.Dir, Options{})
	before := readFile(t, filepath.Join(r.Dir, "public", "dpa", "index.html"))

	r.Write("content/dpa.md", "---\ntitle: DPA\neffective: 2026-02-30\n---\nChanged.\n")
	r.Write("content/privacy.md", "---\ntitle: [unclosed\n---\n")
	_, err := build(t, r.Dir, Options{})
	if err == nil {
		t.Fatal("build succeeded with broken front matter")
	}
	if !errors.Is(err, document.ErrContent) {
		t.Errorf("error is not a content error: %v", err)
	}
	for _, want := range []string{"content/dpa.md:3: effective: invalid date \"2026-02-30\"", "content/privacy.md:2: invalid YAML front matter"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if after := readFile(t, filepath.Join(r.Dir, "public", "dpa", "index.html")); after != before {
		t.Error("failed build changed the published output")
	}
	entries, _ := os.ReadDir(r.Dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), "clause-build") {
			t.Errorf("staging folder %s left behind", e.Name())
		}
	}
}

func TestTemplateErrorLeavesPreviousOutput(t *testing.T) {
	r := gittest.New(t)
	r.Write("content/dpa.md", "# DPA\n")
	r.Commit("2026-05-05T10:00:00Z", "DPA")
	mustBuild(t, r.Dir, Options{})
	before := readFile(t, filepath.Join(r.Dir, "public", "index.html"))
	r.Write("layouts/home.html", `{{ define "main" }}{{ .Nope.Broken }}{{ end }}`)
	_, err := build(t, r.Dir, Options{Now: now.Add(time.Hour)})
	if err == nil || !strings.Contains(err.Error(), "home.html") {
		t.Fatalf("want a template error naming home.html, got %v", err)
	}
	if after := readFile(t, filepath.Join(r.Dir, "public", "index.html")); after != before {
		t.Error("failed build changed the published output")
	}
}

func TestShallowCloneRefused(t *testing.T) {
	r := gittest.New(t)
	r.Write("content/dpa.md", "# DPA\n\nv1\n")
	r.Commit("2026-01-01T10:00:00Z", "v1")
	r.Write("content/dpa.md", "# DPA\n\nv2\n")
	r.Commit("2026-02-01T10:00:00Z", "v2")
	r.Write("content/other.md", "# Other\n")
	r.Commit("2026-03-01T10:00:00Z", "other")

	clone := filepath.Join(t.TempDir(), "clone")
	cmd := exec.Command("git", "clone", "-q", "--depth", "1", "file://"+r.Dir, clone)
	cmd.Env = gittest.Env()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("clone: %v\n%s", err, out)
	}
	_, err := build(t, clone, Options{})
	if !errors.Is(err, history.ErrShallow) {
		t.Fatalf("want ErrShallow, got %v", err)
	}
	for _, want := range []string{"git fetch --unshallow", "--allow-shallow"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks the fix %q: %v", want, err)
		}
	}
	if _, err := os.Stat(filepath.Join(clone, "public")); err == nil {
		t.Error("refused build published output")
	}

	res := mustBuild(t, clone, Options{AllowShallow: true})
	if !res.DatesFromFiles {
		t.Error("shallow build should take dates from files")
	}
	html := readFile(t, filepath.Join(clone, "public", "dpa", "index.html"))
	if !strings.Contains(html, "shallow git clone") {
		t.Error("page does not say where its dates come from")
	}
}

func TestNotARepository(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "content", "eu"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "content", "eu", "dpa.md"), []byte("---\ntitle: EU DPA\n---\nText\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mtime := time.Date(2026, 4, 2, 9, 30, 0, 0, time.UTC)
	if err := os.Chtimes(filepath.Join(dir, "content", "eu", "dpa.md"), mtime, mtime); err != nil {
		t.Fatal(err)
	}
	_, err := build(t, dir, Options{})
	if !errors.Is(err, history.ErrNotRepository) || !strings.Contains(err.Error(), "--no-git") {
		t.Fatalf("want ErrNotRepository naming --no-git, got %v", err)
	}
	mustBuild(t, dir, Options{NoGit: true})
	html := readFile(t, filepath.Join(dir, "public", "eu", "dpa", "index.html"))
	if !strings.Contains(html, `<time datetime="2026-04-02T09:30:00Z">2 April 2026</time>`) || !strings.Contains(html, "file modification times") {
		t.Errorf("no-git page lacks file date or note:\n%s", html)
	}
}

// TestPlainFolderOfPolicies is a repository as people have them: no
// configuration, only titles in front matter, nested folders, a README
// (the home page: its heading names the portal, its text is on the index).
func TestPlainFolderOfPolicies(t *testing.T) {
	r := gittest.New(t)
	r.Write("content/README.md", "# About these policies\n\nRead them [here](policies/Privacy%20Policy.md).\n")
	r.Write("content/policies/Privacy Policy.md", "---\ntitle: Privacy\n---\nText\n")
	r.Write("content/policies/eu/data-processing-agreement.md", "---\ntitle: DPA (EU)\n---\nText\n")
	r.Write("content/policies/us/terms.markdown", "---\ntitle: US Terms\n---\nText\n")
	r.Write("content/_drafts/secret.md", "# Not published\n")
	r.Commit("2026-06-01T10:00:00Z", "Policies")
	res := mustBuild(t, r.Dir, Options{})
	if res.Documents != 3 {
		t.Errorf("documents = %d, want 3", res.Documents)
	}
	for _, p := range []string{"policies/privacy-policy", "policies/eu/data-processing-agreement", "policies/us/terms"} {
		if _, err := os.Stat(filepath.Join(r.Dir, "public", p, "index.html")); err != nil {
			t.Errorf("missing page %s", p)
		}
	}
	if _, err := os.Stat(filepath.Join(r.Dir, "public", "readme")); !os.IsNotExist(err) {
		t.Errorf("README published as a document (%v)", err)
	}
	index := readFile(t, filepath.Join(r.Dir, "public", "index.html"))
	if !strings.Contains(index, "<title>About these policies</title>") {
		t.Error("the README's heading does not name the portal")
	}
	if !strings.Contains(index, `Read them <a href="/policies/privacy-policy/">here</a>.`) {
		t.Errorf("README text or its link to a document missing from the index:\n%s", index)
	}
	if !strings.Contains(index, `href="/policies/eu/data-processing-agreement/">DPA (EU)</a>`) {
		t.Error("index does not list the nested DPA")
	}
	if _, err := os.Stat(filepath.Join(r.Dir, "public", "_drafts")); err == nil {
		t.Error("_drafts folder was published")
	}
}

func TestUncommittedChangesMarked(t *testing.T) {
	r := gittest.New(t)
	r.Write("content/dpa.md", "# DPA\n\nv1\n")
	r.Commit("2026-01-01T10:00:00Z", "v1")
	r.Write("content/dpa.md", "# DPA\n\nedited\n")
	r.Write("content/new.md", "# New\n")
	mustBuild(t, r.Dir, Options{})
	for _, p := range []string{"dpa", "new"} {
		if html := readFile(t, filepath.Join(r.Dir, "public", p, "index.html")); !strings.Contains(html, "not committed yet") {
			t.Errorf("%s: uncommitted changes not marked", p)
		}
	}
	r.Commit("2026-01-02T10:00:00Z", "v2")
	mustBuild(t, r.Dir, Options{})
	if html := readFile(t, filepath.Join(r.Dir, "public", "dpa", "index.html")); strings.Contains(html, "not committed yet") {
		t.Error("committed page still marked")
	}
}

func TestUnsafePathsRefused(t *testing.T) {
	r := gittest.New(t)
	r.Write("content/api.md", "# API\n")
	r.Write("content/DPA.md", "# DPA\n")
	r.Write("content/dpa.markdown", "# dpa\n")
	r.Write("content/index.md", "# Home\n")
	r.Write("content/.well-known/security.md", "# hidden\n")
	r.Commit("2026-01-01T10:00:00Z", "bad")
	_, err := build(t, r.Dir, Options{})
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		"content/api.md: would take the URL /api/, which the portal itself uses",
		"same URL /dpa/ as content/DPA.md",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	for _, out := range []string{".", "content", "..", ".git/x", "layouts"} {
		if _, err := build(t, r.Dir, Options{Out: out}); !errors.Is(err, ErrUnsafeOutput) {
			t.Errorf("--out %s: want ErrUnsafeOutput, got %v", out, err)
		}
	}
}

func TestEmptyContentFolder(t *testing.T) {
	r := gittest.New(t)
	r.Write("content/notes.txt", "x")
	r.Commit("2026-01-01T10:00:00Z", "x")
	if _, err := build(t, r.Dir, Options{}); !errors.Is(err, ErrNoContent) {
		t.Errorf("want ErrNoContent, got %v", err)
	}
	if _, err := build(t, r.Dir, Options{Content: "docs"}); !errors.Is(err, ErrNoContent) || !strings.Contains(err.Error(), "--content") {
		t.Errorf("missing folder: %v", err)
	}
}

// TestUncommittedEditOfUpcomingVersionShown: an uncommitted edit of a
// document whose newest version is not in force yet appears, marked, on
// that upcoming version's page (the current page keeps the text in force
// and announces it); older versions' pages are not marked.
func TestUncommittedEditOfUpcomingVersionShown(t *testing.T) {
	r := gittest.New(t)
	r.Write("content/dpa.md", "# DPA\n\nIn force text.\n")
	r.Commit("2026-01-01T10:00:00Z", "v1")
	r.Write("content/dpa.md", "---\neffective: 2099-01-01\n---\n# DPA\n\nUpcoming text.\n")
	r.Commit("2026-01-02T10:00:00Z", "v2")
	r.Write("content/dpa.md", "---\neffective: 2099-01-01\n---\n# DPA\n\nUpcoming text, edited.\n")
	mustBuild(t, r.Dir, Options{})
	vs := loadAPI(t, r.Dir).Documents[0].Versions
	if len(vs) != 2 {
		t.Fatalf("%d versions", len(vs))
	}
	tags := regexp.MustCompile(`<[^>]*>`)
	current := tags.ReplaceAllString(readFile(t, filepath.Join(r.Dir, "public", "dpa", "index.html")), "")
	if !strings.Contains(current, "In force text.") || !strings.Contains(current, "takes effect on 1 January 2099") {
		t.Errorf("current page: want the text in force and the upcoming banner")
	}
	upcoming := tags.ReplaceAllString(readFile(t, filepath.Join(r.Dir, "public", "dpa", "versions", vs[0].ID, "index.html")), "")
	if !strings.Contains(upcoming, "Upcoming text, edited.") || !strings.Contains(upcoming, "not committed yet") {
		t.Errorf("upcoming version page lacks the uncommitted edit or its mark")
	}
	if old := readFile(t, filepath.Join(r.Dir, "public", "dpa", "versions", vs[1].ID, "index.html")); strings.Contains(old, "not committed yet") {
		t.Error("an older version's page is marked as uncommitted")
	}
}
