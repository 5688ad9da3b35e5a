package portal

import (
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestCorpusBuildsAsItIs builds each real repository of ../shared/corpora
// as a new user would, with no configuration and no flags, and follows
// every link of every page: no link to a .md file, no internal link to a
// page or file that is not there.
func TestCorpusBuildsAsItIs(t *testing.T) {
	for _, tc := range []struct {
		corpus   string
		minDocs  int
		homeText string // text of the repository's home page (index.md or README)
		notDocs  []string
	}{
		{corpus: "retool-legal", minDocs: 20, notDocs: []string{"index", "pages/agreements"}},
		{corpus: "bento-legal", minDocs: 12, homeText: "This directory is for Bento", notDocs: []string{"readme"}},
	} {
		t.Run(tc.corpus, func(t *testing.T) {
			dir := cloneCorpus(t, tc.corpus)
			var log strings.Builder
			res := mustBuild(t, dir, Options{Log: &log, BaseURL: "https://legal.example/"})
			if res.Documents < tc.minDocs {
				t.Errorf("%d documents, want at least %d", res.Documents, tc.minDocs)
			}
			out := filepath.Join(dir, "public")
			if tc.homeText != "" && !strings.Contains(readFile(t, filepath.Join(out, "index.html")), tc.homeText) {
				t.Errorf("the home page text is not on the index page")
			}
			api := apiDocuments(t, dir)
			for _, id := range tc.notDocs {
				if api[id] != nil {
					t.Errorf("%s is published as a legal document", id)
				}
			}
			pages, links, broken := 0, 0, 0
			err := filepath.Walk(out, func(p string, fi os.FileInfo, err error) error {
				if err != nil || fi.IsDir() || !strings.HasSuffix(p, ".html") {
					return err
				}
				pages++
				for _, h := range hrefs(readFile(t, p)) {
					u, err := url.Parse(h)
					if err != nil {
						// As its author wrote it in some past version
						// (".\https://…"): not a link Clause made.
						t.Logf("%s: the source's own malformed link %q", rel(out, p), h)
						continue
					}
					local := u.Host == "" && u.Scheme == "" || u.Host == "legal.example"
					if !local {
						continue
					}
					if strings.HasSuffix(u.Path, ".md") {
						t.Errorf("%s links a markdown file: %s", rel(out, p), h)
					}
					target := u.Path
					if target == "" { // a fragment of the page itself
						continue
					}
					if !strings.HasPrefix(target, "/") {
						target = filepath.ToSlash(filepath.Join("/", rel(out, filepath.Dir(p)), target))
					}
					links++
					f := filepath.Join(out, filepath.FromSlash(target))
					if strings.HasSuffix(target, "/") {
						f = filepath.Join(f, "index.html")
					}
					if _, err := os.Stat(f); err != nil && looksLikeHost.MatchString(h) {
						// "retool.com/x" written without https://: the
						// author's link to another site; check warns.
						t.Logf("%s: %s is a web address without https://", rel(out, p), h)
					} else if err != nil {
						broken++
						if broken <= 10 {
							t.Errorf("%s: broken link %s", rel(out, p), h)
						}
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if broken > 0 {
				t.Errorf("%d broken internal links of %d on %d pages", broken, links, pages)
			}
			t.Logf("%s: %d documents, %d pages, %d internal links checked", tc.corpus, res.Documents, pages, links)
		})
	}
}

var looksLikeHost = regexp.MustCompile(`^(?:www\.)?(?:[a-z0-9-]+\.)+(?:com|org|net|io|eu|de|co|uk|fr|ai|dev|app)(?:/|$)`)
