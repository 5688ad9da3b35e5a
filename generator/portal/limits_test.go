package portal

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clause-portal/clause/generator/api"
	"github.com/clause-portal/clause/generator/document"
	"github.com/clause-portal/clause/generator/markdown"
	"github.com/clause-portal/clause/internal/gittest"
)

// deepText is a document nested far beyond markdown.MaxNesting, which
// goldmark would take minutes to parse.
func deepText(title string) string {
	return "# " + title + "\n\n" + strings.Repeat(">", 200_000) + " nested too deep\n"
}

// TestVersionBeyondLimits commits a version of the DPA and of the
// sub-processor list nested 200,000 levels deep between two ordinary ones:
// the build succeeds without parsing it, the version's page says why its
// text is not shown, and the sub-processor list does not see every row
// removed and added again. The same text in the content folder is an
// error at its file line.
func TestVersionBeyondLimits(t *testing.T) {
	r := gittest.New(t)
	sp := func(rows ...string) string { return spHeader + strings.Join(rows, "\n") + "\n" }
	cumulus := "| Cumulus Hosting GmbH | Hosting | Germany | Not applicable (EEA) | https://cumulus.example |"
	ledgerly := "| Ledgerly AB | Bank feeds | Sweden | Not applicable (EEA) | https://ledgerly.example |"
	r.Write("content/dpa.md", "# DPA\n\nThe processor shall keep records.\n")
	r.Write("content/subprocessors.md", sp(cumulus))
	r.Commit("2026-01-10T10:00:00Z", "Publish")
	r.Write("content/dpa.md", deepText("DPA"))
	r.Write("content/subprocessors.md", deepText("Sub-processors"))
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
	deep := dpa.Versions[1]
	page := readFile(t, filepath.Join(r.Dir, "public", "dpa", "versions", deep.ID, "index.html"))
	if !strings.Contains(page, "The text of this version is not shown") || !strings.Contains(page, "nested 200000 levels deep") ||
		!strings.Contains(page, "content/dpa.md:3") || !strings.Contains(page, deep.SHA256) || strings.Contains(page, "nested too deep") {
		t.Error("the version's page does not say why its text is missing, or shows it")
	}
	var subs api.Subprocessors
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(r.Dir, "public", "api", "subprocessors.json"))), &subs); err != nil {
		t.Fatal(err)
	}
	h := subs.Lists[0].History
	if len(h) != 3 || len(h[1].Added)+len(h[1].Removed) != 0 || len(h[0].Added) != 1 || len(h[0].Removed) != 0 {
		t.Errorf("register history around the refused version: %+v", h)
	}

	// In the content folder, the text is an error at its line.
	r.Write("content/dpa.md", "---\ntitle: DPA\n---\n"+deepText("DPA"))
	_, err := Load(t.Context(), LoadOptions{Repo: r.Dir, Now: now})
	var de *document.Error
	if !errors.As(err, &de) || !errors.Is(err, markdown.ErrLimit) || de.Path != "content/dpa.md" || de.Line != 6 {
		t.Errorf("Load with the text in the content folder: %v", err)
	}
}
