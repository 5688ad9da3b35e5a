package portal

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/clause-portal/clause/internal/gittest"
	"github.com/clause-portal/clause/internal/readcap"
)

// apiDocuments reads the built /api/documents.json.
func apiDocuments(t *testing.T, dir string) map[string]map[string]any {
	t.Helper()
	var doc struct {
		Documents []map[string]any `json:"documents"`
	}
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(dir, "public", "api", "documents.json"))), &doc); err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]any{}
	for _, d := range doc.Documents {
		out[d["id"].(string)] = d
	}
	return out
}

var hrefRE = regexp.MustCompile(`href="([^"]*)"`)

// hrefs returns the href attributes of a page.
func hrefs(html string) []string {
	var out []string
	for _, m := range hrefRE.FindAllStringSubmatch(html, -1) {
		out = append(out, m[1])
	}
	return out
}

// TestHomePageFromIndex: the content root's index.md is the portal's home
// page (title, description, text), not an error and not a document.
func TestHomePageFromIndex(t *testing.T) {
	r := gittest.New(t)
	r.Write("content/index.md", "---\ntitle: Acme Legal Center\ndescription: Our agreements and policies.\n---\n\n# Acme Legal Center\n\nWelcome. Start with the [DPA](dpa.md).\n")
	r.Write("content/dpa.md", "# DPA\n\nText.\n")
	r.Write("content/README.md", "# How to edit\n")
	r.Write("content/LICENSE.md", "MIT\n")
	r.Commit("2026-01-01T10:00:00Z", "Docs")
	var log bytes.Buffer
	res := mustBuild(t, r.Dir, Options{Log: &log})
	if res.Documents != 1 {
		t.Errorf("documents = %d, want 1 (dpa)", res.Documents)
	}
	index := readFile(t, filepath.Join(r.Dir, "public", "index.html"))
	for _, want := range []string{"<title>Acme Legal Center</title>", "Our agreements and policies.", `Welcome. Start with the <a href="/dpa/">DPA</a>.`} {
		if !strings.Contains(index, want) {
			t.Errorf("index lacks %q", want)
		}
	}
	if strings.Count(index, "<h1") != 1 {
		t.Errorf("index has %d h1 headings, want 1", strings.Count(index, "<h1"))
	}
	if !strings.Contains(log.String(), "warning: no base URL: the sitemap, robots.txt and feeds link relative paths") {
		t.Errorf("a build without a base URL does not say so:\n%s", log.String())
	}
	if !strings.Contains(log.String(), "Left out 2 file(s) that are not legal documents: content/LICENSE.md, content/README.md") {
		t.Errorf("left-out files not reported on one line:\n%s", log.String())
	}
	for _, id := range []string{"index", "readme", "license"} {
		if _, ok := apiDocuments(t, r.Dir)[id]; ok {
			t.Errorf("%s published as a document", id)
		}
	}
}

// linkRepo is a repository whose documents link each other the way they do
// on GitHub, with a history: security v1 → v2, and a DPA version before and
// after it.
func linkRepo(t *testing.T) *gittest.Repo {
	r := gittest.New(t)
	r.Write("content/security/index.md", "# Security\n\n## 2. Encryption\n\nAES-128.\n")
	r.Write("content/terms.md", "# Terms\n\n## 5.2 Liability\n\nCapped, see [liability](#52-liability).\n")
	r.Write("content/annex.pdf", "%PDF-1.4 fake")
	r.Write("content/deploy-key.pem", "SECRET-KEY")
	r.Write("notes/internal.md", "# Internal\n")
	r.Write("content/dpa.md", strings.Join([]string{
		"# DPA",
		"",
		"See the [security annex](security/index.md#2-encryption), the [terms](./terms.md#52-liability),",
		"the [terms again](/content/terms.md), [security folder](security/), [root-relative](/terms.md),",
		"the [annex PDF](annex.pdf), our [notes](../notes/internal.md) and [a site](https://example.com/x.md).",
		"A hostile [key](deploy-key.pem).",
		"",
	}, "\n"))
	r.Commit("2026-01-01T10:00:00Z", "First")
	r.Write("content/security/index.md", "# Security\n\n## 2. Encryption\n\nAES-256.\n")
	r.Commit("2026-03-01T10:00:00Z", "Stronger encryption")
	r.Write("content/dpa.md", readRepoFile(t, r, "content/dpa.md")+"\nA new sentence.\n")
	r.Commit("2026-04-01T10:00:00Z", "DPA v2")
	return r
}

func readRepoFile(t *testing.T, r *gittest.Repo, p string) string {
	return readFile(t, filepath.Join(r.Dir, filepath.FromSlash(p)))
}

// TestLinksBetweenDocuments: links to source files become portal URLs on
// every page; on a past version, to the version of the target in force on
// its date; fragments map to clause anchors; linked PDFs are published;
// links to markdown files that are not documents lose their target.
func TestLinksBetweenDocuments(t *testing.T) {
	r := linkRepo(t)
	var log bytes.Buffer
	mustBuild(t, r.Dir, Options{Log: &log})
	page := readFile(t, filepath.Join(r.Dir, "public", "dpa", "index.html"))
	for _, want := range []string{
		`<a href="/security/#clause-2">security annex</a>`,
		`<a href="/terms/#clause-5-2">terms</a>`,
		`<a href="/terms/">terms again</a>`,
		`<a href="/security/">security folder</a>`,
		`<a href="/terms/">root-relative</a>`,
		`<a href="/annex.pdf">annex PDF</a>`,
		`our notes and`,
		`<a href="https://example.com/x.md">a site</a>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("current DPA page lacks %s", want)
		}
	}
	if _, err := os.Stat(filepath.Join(r.Dir, "public", "deploy-key.pem")); !os.IsNotExist(err) || !strings.Contains(page, "A hostile key.") {
		t.Errorf("a linked file that is not an annex or an image was published (%v), or its link kept", err)
	}
	if !strings.Contains(log.String(), "links to deploy-key.pem, which the portal does not publish") {
		t.Errorf("no warning for the link to a file the portal does not publish:\n%s", log.String())
	}
	if terms := readFile(t, filepath.Join(r.Dir, "public", "terms", "index.html")); !strings.Contains(terms, `<a href="#clause-5-2">liability</a>`) {
		t.Error("a link within a document, to a GitHub heading id, is not mapped to its clause anchor")
	}
	if b, err := os.ReadFile(filepath.Join(r.Dir, "public", "annex.pdf")); err != nil || string(b) != "%PDF-1.4 fake" {
		t.Errorf("annex.pdf not published beside the documents: %v", err)
	}
	// Every page: no href to a .md file.
	filepath.Walk(filepath.Join(r.Dir, "public"), func(p string, fi os.FileInfo, err error) error {
		if err == nil && strings.HasSuffix(p, ".html") {
			for _, h := range hrefs(readFile(t, p)) {
				if strings.HasSuffix(strings.SplitN(h, "#", 2)[0], ".md") && !strings.HasPrefix(h, "https://") {
					t.Errorf("%s links %s", p, h)
				}
			}
		}
		return nil
	})
	// The first DPA version was in force with security v1: its page links
	// that version, permanently.
	api := apiDocuments(t, r.Dir)
	secVersions := api["security"]["versions"].([]any)
	secV1 := secVersions[len(secVersions)-1].(map[string]any)["url"].(string)
	secV2 := secVersions[0].(map[string]any)["url"].(string)
	dpaVersions := api["dpa"]["versions"].([]any)
	dpaV1 := dpaVersions[1].(map[string]any)["url"].(string)
	dpaV2 := dpaVersions[0].(map[string]any)["url"].(string)
	old := readFile(t, filepath.Join(r.Dir, "public", filepath.FromSlash(strings.Trim(dpaV1, "/")), "index.html"))
	if !strings.Contains(old, `<a href="`+secV1+`#clause-2">security annex</a>`) {
		t.Errorf("DPA v1 does not link security v1 (%s):\n%s", secV1, old)
	}
	cur := readFile(t, filepath.Join(r.Dir, "public", filepath.FromSlash(strings.Trim(dpaV2, "/")), "index.html"))
	if !strings.Contains(cur, `<a href="`+secV2+`#clause-2">security annex</a>`) {
		t.Errorf("DPA v2 does not link security v2 (%s)", secV2)
	}
	// The redline does not show link targets as changed.
	var compare string
	filepath.Walk(filepath.Join(r.Dir, "public", "dpa", "compare"), func(p string, fi os.FileInfo, err error) error {
		if err == nil && strings.HasSuffix(p, "index.html") && compare == "" {
			compare = readFile(t, p)
		}
		return nil
	})
	if strings.Contains(compare, ".md") && strings.Contains(compare, "security/index.md") {
		t.Errorf("redline shows source paths of links")
	}
	// The unpublished markdown file is a warning at its file line.
	if !strings.Contains(log.String(), "content/dpa.md:5: warning: links to ../notes/internal.md, which is not a document of the portal") {
		t.Errorf("no warning at file:line for the link to a file that is not a document:\n%s", log.String())
	}
}

// TestCheckWarnsAboutLinks: clause check (no history) reports links to
// missing files and to markdown files that are not documents, at file:line.
func TestCheckWarnsAboutLinks(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, map[string]string{
		filepath.Join(dir, "content", "dpa.md"):    "---\ntitle: DPA\n---\n\nSee [gone](missing.pdf).\n\nAnd [readme](README.md).\n\nAnd [notes](notes.md).\n",
		filepath.Join(dir, "content", "notes.md"):  "---\ndraft: true\n---\n# Notes\n",
		filepath.Join(dir, "content", "README.md"): "# Readme\n",
		filepath.Join(dir, "content", "x.md"):      "# X\n",
	})
	c, err := Load(context.Background(), LoadOptions{Repo: dir, NoGit: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	problems, err := c.Problems()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range problems {
		got = append(got, p.Error())
	}
	joined := strings.Join(got, "\n")
	// README.md is the home page: a link to it is fine.
	want := []string{
		"content/dpa.md:5: warning: links to missing.pdf, which does not exist in the repository",
		"content/dpa.md:9: warning: links to notes.md, which is not a document of the portal",
	}
	for _, w := range want {
		if !strings.Contains(joined, w) {
			t.Errorf("problems:\n%s\nlack %q", joined, w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("got %d problems, want %d:\n%s", len(got), len(want), joined)
	}
}

// TestScriptsInFileNames: file names in other scripts keep their letters;
// links, sitemap and API percent-encode them; two files on one URL fail.
func TestScriptsInFileNames(t *testing.T) {
	r := gittest.New(t)
	r.Write("content/JA-利用規約.md", "# 利用規約\n\nテキスト\n")
	r.Write("content/ZH-CN-服务条款.md", "# 服务条款\n\n文本\n")
	r.Write("content/DE-Geschäftsbedingungen.md", "# AGB\n\nSiehe [Nutzungsbedingungen](JA-利用規約.md).\n")
	r.Commit("2026-01-01T10:00:00Z", "Docs")
	mustBuild(t, r.Dir, Options{BaseURL: "https://legal.example/"})
	for _, p := range []string{"ja-利用規約", "zh-cn-服务条款", "de-geschäftsbedingungen"} {
		if _, err := os.Stat(filepath.Join(r.Dir, "public", p, "index.html")); err != nil {
			t.Errorf("no page at /%s/: %v", p, err)
		}
	}
	de := readFile(t, filepath.Join(r.Dir, "public", "de-geschäftsbedingungen", "index.html"))
	if !strings.Contains(de, `<a href="/ja-%E5%88%A9%E7%94%A8%E8%A6%8F%E7%B4%84/">Nutzungsbedingungen</a>`) {
		t.Error("link to the Japanese document not percent-encoded")
	}
	sitemap := readFile(t, filepath.Join(r.Dir, "public", "sitemap.xml"))
	if !strings.Contains(sitemap, "<loc>https://legal.example/ja-%E5%88%A9%E7%94%A8%E8%A6%8F%E7%B4%84/</loc>") || strings.Contains(sitemap, "利用規約") {
		t.Error("sitemap URLs not percent-encoded")
	}
	if api := apiDocuments(t, r.Dir); api["ja-利用規約"]["url"] != "/ja-%E5%88%A9%E7%94%A8%E8%A6%8F%E7%B4%84/" {
		t.Errorf("API url = %v", api["ja-利用規約"]["url"])
	}

	// The same name decomposed (as macOS writes it) and in capitals: one URL.
	r.Write("content/de-gesch\u0061\u0308ftsbedingungen.md", "# AGB 2\n")
	_, err := build(t, r.Dir, Options{})
	if err == nil || !strings.Contains(err.Error(), "has the same URL") || !strings.Contains(err.Error(), "DE-Geschäftsbedingungen.md") {
		t.Errorf("two files on one URL: %v", err)
	}
}

// TestNothingHiddenOrDraftIsPublished: files and folders starting with "."
// or "_", and documents marked draft: true, are never published: not as
// documents, not once deleted (retired), not in the API.
func TestNothingHiddenOrDraftIsPublished(t *testing.T) {
	r := gittest.New(t)
	r.Write("content/dpa.md", "# DPA\n\nPublic.\n")
	r.Write("content/_draft.md", "# Secret draft\n\nSECRET-1\n")
	r.Write("content/.hidden.md", "# Hidden\n\nSECRET-2\n")
	r.Write("content/_internal/notes.md", "# Notes\n\nSECRET-3\n")
	r.Write("content/new-terms.md", "---\ndraft: true\n---\n# New terms\n\nSECRET-4\n")
	r.Write("content/privacy.md", "# Privacy\n\nPublished text.\n")
	r.Commit("2026-01-01T10:00:00Z", "Docs")
	r.Write("content/privacy.md", "---\ndraft: true\n---\n# Privacy\n\nSECRET-5 rewrite in progress.\n")
	r.Commit("2026-01-02T10:00:00Z", "Privacy rewrite, not ready")
	r.Remove("content/_draft.md")
	r.Remove("content/.hidden.md")
	r.Remove("content/_internal/notes.md")
	r.Commit("2026-01-03T10:00:00Z", "Clean up")
	var log bytes.Buffer
	mustBuild(t, r.Dir, Options{Log: &log})
	api := apiDocuments(t, r.Dir)
	if len(api) != 2 || api["dpa"] == nil || api["privacy"] == nil {
		t.Errorf("documents = %v, want dpa and privacy", keys(api))
	}
	if p := api["privacy"]; p != nil && len(p["versions"].([]any)) != 1 {
		t.Errorf("privacy has %d versions, want 1 (the draft is not one)", len(p["versions"].([]any)))
	}
	filepath.Walk(filepath.Join(r.Dir, "public"), func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			b, _ := os.ReadFile(p)
			if bytes.Contains(b, []byte("SECRET-")) {
				t.Errorf("%s publishes a draft or hidden text", p)
			}
		}
		return nil
	})
	if !strings.Contains(readFile(t, filepath.Join(r.Dir, "public", "privacy", "index.html")), "Published text.") {
		t.Error("privacy's published text is not shown while its next version is a draft")
	}
	if !strings.Contains(log.String(), "Not published, draft: true: content/new-terms.md, content/privacy.md") {
		t.Errorf("drafts not reported:\n%s", log.String())
	}
	// clause serve --drafts shows them, marked; hidden files stay hidden.
	preview := filepath.Join(t.TempDir(), "preview")
	mustBuild(t, r.Dir, Options{Out: preview, Drafts: true})
	page := readFile(t, filepath.Join(preview, "new-terms", "index.html"))
	if !strings.Contains(page, "SECRET-4") || !strings.Contains(page, "<strong>Draft.</strong>") {
		t.Error("the draft is not previewed, or not marked as a draft")
	}
	if _, err := os.Stat(filepath.Join(preview, "_draft")); !os.IsNotExist(err) {
		t.Errorf("a hidden file is previewed (%v)", err)
	}
}

func keys(m map[string]map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestReservedNameInHistory: a document with a reserved name that existed
// once (added, then deleted) does not make the repository unbuildable; it
// stays online, retired, under a name that cannot clash.
func TestReservedNameInHistory(t *testing.T) {
	r := gittest.New(t)
	r.Write("content/dpa.md", "# DPA\n")
	r.Write("content/favicon.svg.md", "# Oops\n")
	r.Write("content/dpa/versions.md", "# Hidden behind the changelog\n")
	r.Commit("2026-01-01T10:00:00Z", "Mistake")
	r.Remove("content/favicon.svg.md")
	r.Remove("content/dpa/versions.md")
	r.Commit("2026-01-02T10:00:00Z", "Fix")
	var log bytes.Buffer
	mustBuild(t, r.Dir, Options{Log: &log, Now: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)})
	if fi, err := os.Stat(filepath.Join(r.Dir, "public", "favicon.svg")); err != nil || fi.IsDir() {
		t.Errorf("favicon.svg is not the theme's icon: %v", err)
	}
	api := apiDocuments(t, r.Dir)
	if api["retired/favicon-svg"] == nil || api["retired/dpa-versions"] == nil {
		t.Errorf("retired documents with reserved names not renamed: %v", keys(api))
	}
	if !strings.Contains(log.String(), "warning: content/favicon.svg.md (retired at commit") {
		t.Errorf("no warning about the renamed retired document:\n%s", log.String())
	}
}

// TestIdentitySurvivesRenames: after `git mv` of a document with three
// versions, its feed entry ids, notice keys and API key are those it had,
// its former per-document feed is still published, and its former URLs
// redirect.
func TestIdentitySurvivesRenames(t *testing.T) {
	r := gittest.New(t)
	r.Write("content/dpa-a.md", "# DPA\n\nOne.\n")
	r.Commit("2026-01-01T10:00:00Z", "v1")
	r.Write("content/dpa-a.md", "# DPA\n\nOne. Two.\n")
	r.Commit("2026-02-01T10:00:00Z", "v2")
	r.Write("content/dpa-a.md", "# DPA\n\nOne. Two. Three.\n")
	r.Commit("2026-03-01T10:00:00Z", "v3")
	const base = "https://legal.example/"
	snapshot := func() (feedIDs []string, keys []string, apiKey any) {
		mustBuild(t, r.Dir, Options{BaseURL: base})
		atom := readFile(t, filepath.Join(r.Dir, "public", "feeds", "dpa-a.atom"))
		for _, m := range regexp.MustCompile(`<id>(urn:clause:[^<]*)</id>`).FindAllStringSubmatch(atom, -1) {
			feedIDs = append(feedIDs, m[1])
		}
		c, err := Load(context.Background(), LoadOptions{Repo: r.Dir})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		notices, err := c.Notices(base)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range notices {
			keys = append(keys, n.Key())
		}
		for id, d := range apiDocuments(t, r.Dir) {
			if strings.HasPrefix(id, "dpa") {
				apiKey = d["key"]
			}
		}
		return feedIDs, keys, apiKey
	}
	feedsBefore, keysBefore, keyBefore := snapshot()
	if len(feedsBefore) != 4 || len(keysBefore) != 3 {
		t.Fatalf("before: %d feed ids, %d notices", len(feedsBefore), len(keysBefore))
	}
	r.Git("mv", "content/dpa-a.md", "content/dpa-b.md")
	r.Commit("2026-04-01T10:00:00Z", "Rename")
	feedsAfter, keysAfter, keyAfter := snapshot()
	if strings.Join(feedsBefore, " ") != strings.Join(feedsAfter, " ") {
		t.Errorf("feed ids changed:\n%v\n%v", feedsBefore, feedsAfter)
	}
	if strings.Join(keysBefore, " ") != strings.Join(keysAfter, " ") {
		t.Errorf("notice keys changed (notify would send again):\n%v\n%v", keysBefore, keysAfter)
	}
	if keyBefore != "dpa-a" || keyAfter != "dpa-a" {
		t.Errorf("API key %v → %v, want dpa-a", keyBefore, keyAfter)
	}
	for _, p := range []string{"feeds/dpa-b.atom", "feeds/dpa-a.json", "dpa-b/index.html"} {
		if _, err := os.Stat(filepath.Join(r.Dir, "public", filepath.FromSlash(p))); err != nil {
			t.Errorf("%s missing: %v", p, err)
		}
	}
	if old := readFile(t, filepath.Join(r.Dir, "public", "dpa-a", "index.html")); !strings.Contains(old, "url=https://legal.example/dpa-b/") {
		t.Error("the former URL does not redirect")
	}
}

// TestSymlinksLeavingTheRepositoryRefused: a static/, layouts/ or
// clause.toml that is a symbolic link out of the repository, or into .git,
// is refused by name; nothing of it is published.
func TestSymlinksLeavingTheRepositoryRefused(t *testing.T) {
	outside := t.TempDir()
	writeTree(t, map[string]string{filepath.Join(outside, "secret.txt"): "SECRET"})
	for _, tc := range []struct{ name, link, target, want string }{
		{"static to .git", "static", ".git", "static: symlink into .git"},
		{"static outside", "static", outside, "static: symlink to outside the repository"},
		{"file in layouts", "layouts/x.html", filepath.Join(outside, "secret.txt"), "layouts/x.html: symlink to outside the repository"},
		{"clause.toml", "clause.toml", filepath.Join(outside, "secret.txt"), "clause.toml: symlink to outside the repository"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := gittest.New(t)
			r.Write("content/dpa.md", "# DPA\n")
			r.Commit("2026-01-01T10:00:00Z", "DPA")
			link := filepath.Join(r.Dir, filepath.FromSlash(tc.link))
			os.MkdirAll(filepath.Dir(link), 0o755)
			target := tc.target
			if !filepath.IsAbs(target) {
				target = filepath.Join(r.Dir, target)
			}
			if err := os.Symlink(target, link); err != nil {
				t.Fatal(err)
			}
			_, err := build(t, r.Dir, Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("want %q, got %v", tc.want, err)
			}
			if _, err := os.Stat(filepath.Join(r.Dir, "public")); !os.IsNotExist(err) {
				t.Errorf("something was published (%v)", err)
			}
		})
	}
}

// TestPlainTextDocumentChecked: a DPA pasted as plain text gets its title,
// clause anchors and table of contents, and clause check names each guess
// at its file line.
func TestPlainTextDocumentChecked(t *testing.T) {
	r := gittest.New(t)
	r.Write("content/dpa.md", "---\nkind: dpa\n---\nDATA PROCESSING AGREEMENT\n\n1. DEFINITIONS\n\n1.1. \"Personal Data\" means any information.\n\n2. Sub-processors\n\n2.1 The Processor shall not engage another processor.\n\n    (a) it shall inform the Controller;\n")
	r.Commit("2026-01-01T10:00:00Z", "DPA")
	mustBuild(t, r.Dir, Options{})
	page := readFile(t, filepath.Join(r.Dir, "public", "dpa", "index.html"))
	for _, want := range []string{"<h1>DATA PROCESSING AGREEMENT</h1>", `<h2 id="clause-1">1. DEFINITIONS</h2>`, `<p id="clause-1-1">`, `<a href="#clause-2">2. Sub-processors</a>`, `<p id="clause-2-1-a">(a) it shall inform`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if strings.Contains(page, "<pre>") {
		t.Error("indented clause published as code")
	}
	c, err := Load(context.Background(), LoadOptions{Repo: r.Dir, NoGit: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	problems, _ := c.Problems()
	var got []string
	for _, p := range problems {
		got = append(got, p.Error())
	}
	joined := strings.Join(got, "\n")
	for _, want := range []string{"content/dpa.md:4: warning: treated the all-caps line as a section heading", "content/dpa.md:14: warning: treated indented text as a paragraph, not as code"} {
		if !strings.Contains(joined, want) {
			t.Errorf("check lacks %q:\n%s", want, joined)
		}
	}
}

// TestLinkedFilesStayInsideTheRepository: a folder of the content that is a
// symbolic link out of the repository is refused, and no linked "annex"
// is read through it.
func TestLinkedFilesStayInsideTheRepository(t *testing.T) {
	outside := t.TempDir()
	writeTree(t, map[string]string{filepath.Join(outside, "passwd"): "SECRET"})
	r := gittest.New(t)
	r.Write("content/dpa.md", "# DPA\n\nSee the [annex](annex/passwd).\n")
	r.Commit("2026-01-01T10:00:00Z", "DPA")
	if err := os.Symlink(outside, filepath.Join(r.Dir, "content", "annex")); err != nil {
		t.Fatal(err)
	}
	_, err := build(t, r.Dir, Options{})
	if err == nil || !strings.Contains(err.Error(), "content/annex: symlink to outside the repository") {
		t.Fatalf("want the symlinked folder refused, got %v", err)
	}
	// The same with the content folder at the repository root.
	r2 := gittest.New(t)
	r2.Write("dpa.md", "# DPA\n\nSee the [annex](annex/passwd).\n")
	r2.Commit("2026-01-01T10:00:00Z", "DPA")
	if err := os.Symlink(outside, filepath.Join(r2.Dir, "annex")); err != nil {
		t.Fatal(err)
	}
	if _, err := build(t, r2.Dir, Options{}); err == nil || !strings.Contains(err.Error(), "annex: symlink to outside the repository") {
		t.Fatalf("content at the root: want the symlinked folder refused, got %v", err)
	}
}

// TestKeysStayUniqueWhenAPathIsReused: a document renamed away, and a new
// one created at its former path with the same text, have different keys:
// no notice of one counts for the other, and notify is not refused.
func TestKeysStayUniqueWhenAPathIsReused(t *testing.T) {
	r := gittest.New(t)
	r.Write("content/dpa.md", "# DPA\n\nSame text.\n")
	r.Commit("2026-01-01T10:00:00Z", "DPA")
	r.Git("mv", "content/dpa.md", "content/dpa-2025.md")
	r.Commit("2026-02-01T10:00:00Z", "Archive")
	r.Write("content/dpa.md", "# DPA\n\nSame text.\n")
	r.Commit("2026-03-01T10:00:00Z", "New DPA")
	c, err := Load(context.Background(), LoadOptions{Repo: r.Dir})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	keys := map[string]string{}
	for _, e := range c.Entries {
		if other, dup := keys[e.DocKey()]; dup {
			t.Errorf("%s and %s share key %q", e.ID, other, e.DocKey())
		}
		keys[e.DocKey()] = e.ID
	}
	if keys["dpa"] != "dpa-2025" {
		t.Errorf("the first published document does not keep its key: %v", keys)
	}
	notices, err := c.Notices("https://legal.example/")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, n := range notices {
		if seen[n.Key()] {
			t.Errorf("notice key %s given twice", n.Key())
		}
		seen[n.Key()] = true
	}
	if len(notices) != 2 {
		t.Errorf("%d notices, want 2 (one per document)", len(notices))
	}
}

// TestToolFoldersAtTheRootAreNoDocuments: with the documents at the
// repository root (detected), node_modules (after `npm install` in a
// Docusaurus repository), the output and Hugo's folders are not content.
func TestToolFoldersAtTheRootAreNoDocuments(t *testing.T) {
	r := gittest.New(t)
	r.Write("dpa.md", "# DPA\n")
	r.Write("layouts/notes.md", "# Theme notes\n")
	r.Commit("2026-01-01T10:00:00Z", "DPA")
	writeTree(t, map[string]string{
		filepath.Join(r.Dir, "node_modules", "pkg", "guide.md"):     "# Package guide\n",
		filepath.Join(r.Dir, "site", "node_modules", "x", "api.md"): "# X\n",
	})
	res := mustBuild(t, r.Dir, Options{})
	mustBuild(t, r.Dir, Options{}) // the output from the first build is not read either
	if res.Documents != 1 {
		t.Errorf("documents = %d, want 1: %v", res.Documents, keys(apiDocuments(t, r.Dir)))
	}
	if api := apiDocuments(t, r.Dir); len(api) != 1 || api["dpa"] == nil {
		t.Errorf("documents: %v", keys(api))
	}
}

// TestOversizedRepositoryFilesRefused: a file of layouts/, i18n/, static/
// or assets/, or a clause.toml, over its cap is refused by name before
// anything is read or published (sparse files: nothing is written to disk).
func TestOversizedRepositoryFilesRefused(t *testing.T) {
	for _, tc := range []struct {
		path string
		size int64
		want string
	}{
		{"layouts/_default/baseof.html", readcap.Template + 200<<10, "layouts/_default/baseof.html: file is 4.2 MiB; files in layouts/ are limited to 4 MiB"},
		{"i18n/en.toml", 5 << 20, "i18n/en.toml: file is 5 MiB; files in i18n/ are limited to 4 MiB"},
		{"static/annex.pdf", 200 << 20, "static/annex.pdf: file is 200 MiB; files in static/ are limited to 100 MiB"},
		{"clause.toml", 2 << 20, "clause.toml: file is 2 MiB; this file is limited to 1 MiB"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			r := gittest.New(t)
			r.Write("content/dpa.md", "# DPA\n")
			r.Commit("2026-01-01T10:00:00Z", "DPA")
			p := filepath.Join(r.Dir, filepath.FromSlash(tc.path))
			os.MkdirAll(filepath.Dir(p), 0o755)
			f, err := os.Create(p)
			if err != nil {
				t.Fatal(err)
			}
			if err := f.Truncate(tc.size); err != nil {
				t.Fatal(err)
			}
			f.Close()
			_, err = build(t, r.Dir, Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("want %q, got %v", tc.want, err)
			}
			if _, err := os.Stat(filepath.Join(r.Dir, "public")); !os.IsNotExist(err) {
				t.Errorf("something was published (%v)", err)
			}
		})
	}
}
