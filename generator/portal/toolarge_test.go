package portal

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clause-portal/clause/generator/api"
	"github.com/clause-portal/clause/generator/document"
	"github.com/clause-portal/clause/internal/gittest"
)

// hugeText is a document over document.MaxSize.
func hugeText(title string) string {
	var b strings.Builder
	b.WriteString("# " + title + "\n\n")
	for i := 0; b.Len() <= document.MaxSize; i++ {
		b.WriteString("A clause that repeats itself to make this version too large to publish.\n\n")
	}
	return b.String()
}

// TestTooLargeVersion commits a version of the DPA and of the sub-processor
// list over the size limit between two ordinary ones: the build succeeds,
// the version stays in the history and the API with its SHA-256, its page
// says why its text is not shown, the comparisons with it say "not
// compared", and the sub-processor list does not see every row removed and
// added again.
func TestTooLargeVersion(t *testing.T) {
	r := gittest.New(t)
	sp := func(rows ...string) string { return spHeader + strings.Join(rows, "\n") + "\n" }
	cumulus := "| Cumulus Hosting GmbH | Hosting | Germany | Not applicable (EEA) | https://cumulus.example |"
	ledgerly := "| Ledgerly AB | Bank feeds | Sweden | Not applicable (EEA) | https://ledgerly.example |"
	r.Write("content/dpa.md", "# DPA\n\nThe processor shall keep records.\n")
	r.Write("content/subprocessors.md", sp(cumulus))
	r.Commit("2026-01-10T10:00:00Z", "Publish")
	r.Write("content/dpa.md", hugeText("DPA"))
	r.Write("content/subprocessors.md", hugeText("Sub-processors"))
	r.Commit("2026-02-10T10:00:00Z", "Paste the wrong file")
	r.Write("content/dpa.md", "# DPA\n\nThe processor shall keep full records.\n")
	r.Write("content/subprocessors.md", sp(cumulus, ledgerly))
	r.Commit("2026-03-10T10:00:00Z", "Fix the paste; add Ledgerly")
	mustBuild(t, r.Dir, Options{})

	docs := loadAPI(t, r.Dir)
	var dpa api.Document
	for _, d := range docs.Documents {
		if d.ID == "dpa" {
			dpa = d
		}
	}
	if len(dpa.Versions) != 3 {
		t.Fatalf("dpa versions: %+v", dpa.Versions)
	}
	huge := dpa.Versions[1]
	page := readFile(t, filepath.Join(r.Dir, "public", "dpa", "versions", huge.ID, "index.html"))
	if !strings.Contains(page, "The text of this version is not shown") || !strings.Contains(page, huge.SHA256) ||
		strings.Contains(page, "repeats itself") {
		t.Error("the too large version's page does not say why its text is missing, or shows it")
	}
	// Its redlines, on its page and the next version's, say it is not
	// compared.
	for _, cmp := range []string{changesView(t, r.Dir, "dpa", huge.ID), sinceView(t, r.Dir, "dpa", huge.ID), changesView(t, r.Dir, "dpa", dpa.Versions[0].ID)} {
		if !strings.Contains(cmp, "Not compared") || strings.Contains(cmp, "<del>") || strings.Contains(cmp, "repeats itself") {
			t.Errorf("a comparison with the too large version is not \"not compared\":\n%s", cmp)
		}
	}

	var subs api.Subprocessors
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(r.Dir, "public", "api", "subprocessors.json"))), &subs); err != nil {
		t.Fatal(err)
	}
	h := subs.Lists[0].History
	if len(h) != 3 || len(h[1].Added)+len(h[1].Removed) != 0 || len(h[0].Added) != 1 || len(h[0].Removed) != 0 {
		t.Errorf("register history around the too large version: %+v", h)
	}

	c, err := Load(t.Context(), LoadOptions{Repo: r.Dir, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	e, err := c.Find("dpa")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.VersionSide(e, e.Versions[1]); !errors.Is(err, ErrVersionTooLarge) {
		t.Errorf("VersionSide of the too large version: %v", err)
	}
}
