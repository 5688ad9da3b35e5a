package portal

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clause-portal/clause/generator/markdown"
	"github.com/clause-portal/clause/internal/gittest"
)

// largeRegisterRepo commits versions versions of a register of more than
// RedlineRegisterRows rows, each editing, removing and adding rows; with
// link, its text links to a DPA. It returns the size of the largest
// version.
func largeRegisterRepo(t *testing.T, versions int, link bool) (*gittest.Repo, int) {
	r := gittest.New(t)
	largest := 0
	for v := 1; v <= versions; v++ {
		var s strings.Builder
		s.WriteString("---\ntitle: Sub-processors\nkind: subprocessors\n---\n\n")
		if link {
			r.Write("content/dpa.md", fmt.Sprintf("# DPA\n\n## 1. Scope\n\nVersion %d.\n", v))
			s.WriteString("Under [the DPA](dpa.md#1-scope), we engage:\n\n")
		}
		s.WriteString("| Sub-processor | Purpose | Location of processing |\n|---|---|---|\n")
		for i := range RedlineRegisterRows + 500 - v*100 {
			p := "Hosting"
			if i%97 == v {
				p = fmt.Sprintf("Hosting v%d", v)
			}
			fmt.Fprintf(&s, "| S%06d | %s | DE |\n", i, p)
		}
		for i := range v * 100 {
			fmt.Fprintf(&s, "| N%d-%05d | Mail | FR |\n", v, i)
		}
		largest = max(largest, s.Len())
		r.Write("content/subprocessors.md", s.String())
		r.Commit(fmt.Sprintf("2026-01-%02dT10:00:00Z", v), fmt.Sprintf("Register version %d", v))
	}
	return r, largest
}

// TestLargeRegisterParsedOncePerVersion: a build parses each version of a
// large register once, for its register and its page, and the text as it
// stands once more (for its links): n versions, n+1 parses. It parsed
// them twice, 2n+2 times.
func TestLargeRegisterParsedOncePerVersion(t *testing.T) {
	const versions = 3
	r, size := largeRegisterRepo(t, versions, false)
	n0, b0 := markdown.Parses()
	mustBuild(t, r.Dir, Options{Out: filepath.Join(t.TempDir(), "public"), HistoryOptions: HistoryOptions{NoCache: true}, prerenderBody: 1000})
	n1, b1 := markdown.Parses()
	t.Logf("%d parses, %d bytes, for %d versions of about %d bytes", n1-n0, b1-b0, versions, size)
	// The other parses are small: the text around the rows, for redlines.
	if limit := int64((versions+1)*size + size/2); b1-b0 > limit {
		t.Errorf("%d bytes parsed for %d versions of at most %d bytes: more than %d versions + 1 parses", b1-b0, versions, size, versions)
	}
}

// TestRegisterRenderedAheadSameSite: the pages of a large register
// rendered from the trees its register was read from, and the document
// page that shares its newest version's when it has no link, are those
// rendered on their own, byte for byte: with a link in the register's
// text and without.
func TestRegisterRenderedAheadSameSite(t *testing.T) {
	for _, link := range []bool{false, true} {
		r, _ := largeRegisterRepo(t, 3, link)
		build := func(prerender int) map[string]string {
			out := filepath.Join(t.TempDir(), "public")
			mustBuild(t, r.Dir, Options{Out: out, HistoryOptions: HistoryOptions{NoCache: true}, prerenderBody: prerender})
			return tree(t, out)
		}
		ahead, alone := build(1000), build(1<<30)
		if d := diffTrees(ahead, alone); len(d) > 0 {
			t.Errorf("link %v: %d files differ when pages are rendered ahead:\n%s", link, len(d), strings.Join(d, "\n"))
		}
		if page := ahead["/subprocessors/index.html"]; !strings.Contains(page, "<td>S010199</td>") || link && !strings.Contains(page, `href="/dpa/#clause-1"`) {
			t.Errorf("link %v: the document page lacks its rows or its link:\n%.3000s", link, page)
		}
	}
}
