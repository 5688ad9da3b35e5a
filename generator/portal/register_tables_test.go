package portal

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/clause-portal/clause/generator/api"
	"github.com/clause-portal/clause/generator/document"
	"github.com/clause-portal/clause/internal/gittest"
)

func readSubprocessorsAPI(t *testing.T, out string) api.Subprocessors {
	t.Helper()
	var subs api.Subprocessors
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(out, "api", "subprocessors.json"))), &subs); err != nil {
		t.Fatal(err)
	}
	return subs
}

// TestPartlyEmptyDataCategoriesBuild: data categories given in some rows
// only (issue 11 item 13) used to stop Hugo with "can't iterate over
// <nil>"; empty cells are empty values.
func TestPartlyEmptyDataCategoriesBuild(t *testing.T) {
	r := gittest.New(t)
	r.Write("content/subprocessors.md", "---\ntitle: Sub-processors\n---\n"+
		"| Sub-processor | Purpose | Location | Data categories | Transfer mechanism |\n|---|---|---|---|---|\n"+
		"| Cumulus Hosting GmbH | Hosting | Germany | Contact data, usage data | Not applicable (EEA) |\n"+
		"| Helpful Ltd | Support tickets | Ireland | | |\n")
	r.Commit("2026-01-10T10:00:00Z", "Publish sub-processors")
	mustBuild(t, r.Dir, Options{})
	page := readFile(t, filepath.Join(r.Dir, "public", "subprocessors", "index.html"))
	for _, want := range []string{
		`<th scope="col" data-sort="text">Data categories</th>`,
		`<td>Contact data, usage data</td>`,
		"<td>Helpful Ltd</td>\n          <td>Support tickets</td>\n          <td>Ireland</td>\n          \n          <td></td>\n          <td></td>",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	subs := readSubprocessorsAPI(t, filepath.Join(r.Dir, "public"))
	if rows := subs.Lists[0].Register; len(rows) != 2 || rows[1].DataCategories == nil || len(rows[1].DataCategories) != 0 {
		t.Errorf("register: %+v", rows)
	}
}

const dpaText = `---
title: Data Processing Agreement
kind: dpa
---
# Data Processing Agreement

| Term | Definition |
|---|---|
| Personal Data | Any information relating to an identified person. |

## Annex 3 — Sub-processors

| Sub-processor | Nature of processing | Data centre location | Transfer mechanism |
|---|---|---|---|
| Cumulus Cloud GmbH | Hosting | Germany | Not applicable (EEA) |
`

// TestDPAAnnexIsARegister: a DPA whose annex is a table of sub-processors
// is in /api/subprocessors.json with the history of its rows, keeps the
// page of a DPA, and announces a new sub-processor on its version page; a
// privacy policy with a table of terms and one of companies is not a
// register.
func TestDPAAnnexIsARegister(t *testing.T) {
	r := gittest.New(t)
	r.Write("content/dpa.md", dpaText)
	r.Write("content/privacy.md", "---\ntitle: Privacy Policy\nkind: privacy\n---\n| Term | Definition |\n|---|---|\n| Controller | Us |\n\n"+
		"| Company | Country |\n|---|---|\n| Northwind Ledger Ltd | Ireland |\n")
	r.Commit("2026-01-10T10:00:00Z", "Publish DPA")
	r.Write("content/dpa.md", dpaText+"| Mailbird Inc. | Email delivery | United States | SCCs |\n")
	r.Commit("2026-11-10T10:00:00Z", "Add Mailbird to Annex 3")
	mustBuild(t, r.Dir, Options{})

	subs := readSubprocessorsAPI(t, filepath.Join(r.Dir, "public"))
	if len(subs.Lists) != 1 {
		t.Fatalf("%d lists, want only the DPA's", len(subs.Lists))
	}
	l := subs.Lists[0]
	if l.ID != "dpa" || len(l.Register) != 2 || len(l.History) != 2 {
		t.Fatalf("list %s: %d rows, %d versions", l.ID, len(l.Register), len(l.History))
	}
	if row := l.Register[1]; row.Name != "Mailbird Inc." || row.Purpose != "Email delivery" || row.Location != "United States" {
		t.Errorf("row %+v", row)
	}
	newest := l.History[0]
	if len(newest.Added) != 1 || newest.Added[0].Name != "Mailbird Inc." || newest.ObjectionDeadline == nil || *newest.ObjectionDeadline != "2026-12-10" {
		t.Errorf("newest version: %+v", newest)
	}

	page := readFile(t, filepath.Join(r.Dir, "public", "dpa", "index.html"))
	if strings.Contains(page, "register-table") || strings.Contains(page, `<details class="document-text"`) || !strings.Contains(page, "<td>Mailbird Inc.</td>") {
		t.Error("the DPA's page should be the DPA's text, not a register page")
	}
	newestPage := readFile(t, filepath.Join(r.Dir, "public", "dpa", "versions", *newest.Version, "index.html"))
	if !strings.Contains(newestPage, "Sub-processor changes in this version") || !strings.Contains(newestPage, "<ins>Added</ins> <strong>Mailbird Inc.</strong>") {
		t.Error("the DPA's newest version does not announce the new sub-processor")
	}
}

// TestColumnMappingInClauseToml: a table whose location column Clause does
// not recognise stops the build with one error at the table, naming the
// clause.toml lines to add; with them the build succeeds.
func TestColumnMappingInClauseToml(t *testing.T) {
	r := gittest.New(t)
	r.Write("content/subprocessors.md", "---\ntitle: Sub-processors\n---\nWe use:\n\n| Entity | Duty | Hosting Zone |\n|---|---|---|\n"+
		"| Cumulus Hosting GmbH | Hosting | Germany |\n| Helpful Ltd | Support tickets | Ireland |\n")
	r.Commit("2026-01-10T10:00:00Z", "Publish sub-processors")
	_, err := build(t, r.Dir, Options{})
	var errs document.Errors
	if !errors.As(err, &errs) || len(errs) != 1 || !errors.Is(err, document.ErrContent) {
		t.Fatalf("want one content error, got %v", err)
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "content/subprocessors.md:6: sub-processor table has no purpose or location column: its columns are \"Entity\", \"Duty\", \"Hosting Zone\"") {
		t.Errorf("error %q", msg)
	}
	toml := msg[strings.Index(msg, "[subprocessors.columns]"):]
	if toml != "[subprocessors.columns]\n\"Duty\" = \"purpose\"\n\"Hosting Zone\" = \"location\"" {
		t.Errorf("suggested clause.toml lines %q", toml)
	}
	r.Write("clause.toml", "title = \"Legal\"\n\n"+toml+"\n")
	r.Commit("2026-01-11T10:00:00Z", "Map the columns")
	mustBuild(t, r.Dir, Options{})
	subs := readSubprocessorsAPI(t, filepath.Join(r.Dir, "public"))
	if rows := subs.Lists[0].Register; len(rows) != 2 || rows[1].Purpose != "Support tickets" || rows[1].Location != "Ireland" {
		t.Errorf("register: %+v", rows)
	}
}

// cloneCorpus clones a repository of /work/shared/corpora (../shared/corpora
// beside the module) into a temporary folder.
func cloneCorpus(t *testing.T, name string) string {
	t.Helper()
	bundle, err := filepath.Abs(filepath.Join("..", "..", "..", "shared", "corpora", name+".bundle"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(bundle); err != nil {
		t.Fatalf("corpus %s: %v (the corpora are in ../shared/corpora beside the checkout)", name, err)
	}
	dir := filepath.Join(t.TempDir(), name)
	cmd := exec.Command("git", "clone", "-q", bundle, dir)
	cmd.Env = gittest.Env()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git clone %s: %v\n%s", bundle, err, out)
	}
	return dir
}

var tableSeparator = regexp.MustCompile(`^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$`)

// tableRowNames reads the first cell of every row of every table of a
// markdown file, by lines, independently of the extractor.
func tableRowNames(src string) []string {
	var names []string
	lines := strings.Split(src, "\n")
	for i := 1; i < len(lines); i++ {
		if !strings.HasPrefix(strings.TrimSpace(lines[i-1]), "|") || !tableSeparator.MatchString(strings.TrimSpace(lines[i])) {
			continue
		}
		for i++; i < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[i]), "|"); i++ {
			cells := strings.Split(strings.Trim(strings.TrimSpace(lines[i]), "|"), "|")
			if name := strings.TrimSpace(cells[0]); name != "" {
				names = append(names, name)
			}
		}
	}
	return names
}

// TestCorpusSubprocessorTablesAreRegistered builds the real repositories
// of the corpus and checks that every row of every table of their current
// sub-processor page is in the register, in order, with a name, a
// purpose and a location, and that the build reports no register errors.
func TestCorpusSubprocessorTablesAreRegistered(t *testing.T) {
	for _, tt := range []struct {
		corpus, content, file, id string
		rows                      int
	}{
		{"retool-legal", "pages", "pages/privacy-protection-security/subprocessors.md", "subprocessors", 13},
		{"bento-legal", ".", "subprocessors.md", "subprocessors", 19},
	} {
		t.Run(tt.corpus, func(t *testing.T) {
			dir := cloneCorpus(t, tt.corpus)
			want := tableRowNames(readFile(t, filepath.Join(dir, filepath.FromSlash(tt.file))))
			if len(want) != tt.rows {
				t.Fatalf("%s has %d table rows, want %d: has the corpus changed?", tt.file, len(want), tt.rows)
			}
			var log strings.Builder
			out := filepath.Join(t.TempDir(), "public")
			mustBuild(t, dir, Options{Content: tt.content, Out: out, Log: &log})
			var list *api.SubprocessorList
			subs := readSubprocessorsAPI(t, out)
			for i := range subs.Lists {
				if subs.Lists[i].ID == tt.id {
					list = &subs.Lists[i]
				} else {
					t.Errorf("%s is a register too", subs.Lists[i].ID)
				}
			}
			if list == nil {
				t.Fatalf("no register %s in %d lists", tt.id, len(subs.Lists))
			}
			var got []string
			for _, row := range list.Register {
				got = append(got, row.Name)
				if row.Purpose == "" || row.Location == "" {
					t.Errorf("row %q: purpose %q, location %q", row.Name, row.Purpose, row.Location)
				}
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("registered rows:\n%s\nwant the table rows:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if strings.Contains(log.String(), "no location") || strings.Contains(log.String(), "no purpose") {
				t.Errorf("log: %s", log.String())
			}
		})
	}
}
