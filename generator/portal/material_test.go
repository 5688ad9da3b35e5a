package portal

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clause-portal/clause/internal/gittest"
)

// rewrapRepo publishes a privacy policy, re-wraps it twice (once marked
// Change-Type: material), changes its words, then its effective date
// only.
func rewrapRepo(t *testing.T) *gittest.Repo {
	r := gittest.New(t)
	r.Write("content/privacy.md", "---\ntitle: Privacy Policy\n---\n## 1. Data\n\nWe keep your data for one year and then delete it.\n")
	r.Commit("2026-01-10T09:00:00Z", "Publish privacy policy")
	r.Write("content/privacy.md", "---\ntitle: Privacy Policy\n---\n## 1. Data\n\nWe keep your data\nfor one year and then\ndelete it.\n")
	r.Commit("2026-02-01T09:00:00Z", "Rewrap privacy policy")
	r.Write("content/privacy.md", "---\ntitle: Privacy Policy\n---\n## 1. Data\n\nWe keep *your* data for one year\nand then delete it.\n")
	r.Commit("2026-03-01T09:00:00Z", "Rewrap, reviewed by counsel\n\nChange-Type: material")
	r.Write("content/privacy.md", "---\ntitle: Privacy Policy\n---\n## 1. Data\n\nWe keep *your* data for six months\nand then delete it.\n")
	r.Commit("2026-04-01T09:00:00Z", "Privacy: shorter retention")
	r.Write("content/privacy.md", "---\ntitle: Privacy Policy\neffective: 2026-05-01\n---\n## 1. Data\n\nWe keep *your* data for six months\nand then delete it.\n")
	r.Commit("2026-05-01T09:00:00Z", "Privacy: state the effective date")
	return r
}

// TestLayoutOnlyVersionIsMinorEverywhere: a re-wrap is archived and listed
// as minor ("No textual change (layout only)") in the API, the feeds, the
// changelog and the notices, unless its commit says Change-Type: material;
// a change of words or of the effective date stays material.
func TestLayoutOnlyVersionIsMinorEverywhere(t *testing.T) {
	r := rewrapRepo(t)
	mustBuild(t, r.Dir, Options{BaseURL: "https://legal.example.com/"})
	pub := filepath.Join(r.Dir, "public")

	docs := loadAPI(t, r.Dir)
	vs := docs.Documents[0].Versions
	if len(vs) != 5 {
		t.Fatalf("%d versions", len(vs))
	}
	// Newest first: effective date, words, marked re-wrap, re-wrap, first.
	for i, want := range []struct{ material, layout bool }{{true, false}, {true, false}, {true, true}, {false, true}, {true, false}} {
		if vs[i].Material != want.material || vs[i].LayoutOnly != want.layout {
			t.Errorf("version %d (%s): material %v layout_only %v, want %v %v", i, vs[i].Subject, vs[i].Material, vs[i].LayoutOnly, want.material, want.layout)
		}
	}

	var jf struct {
		Items []struct {
			ID      string         `json:"id"`
			Summary string         `json:"summary"`
			Tags    []string       `json:"tags"`
			Clause  map[string]any `json:"_clause"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(pub, "feeds", "privacy.json"))), &jf); err != nil {
		t.Fatal(err)
	}
	rewrap := jf.Items[3]
	if rewrap.ID != "urn:clause:privacy:"+vs[3].ID || rewrap.Clause["material"] != false || rewrap.Tags[0] != "minor" ||
		!strings.HasPrefix(rewrap.Summary, "Minor change to Privacy Policy: Rewrap privacy policy. No textual change (layout only).") {
		t.Errorf("feed entry of the re-wrap: %+v", rewrap)
	}
	if marked := jf.Items[2]; marked.Clause["material"] != true || !strings.HasPrefix(marked.Summary, "Material change") {
		t.Errorf("feed entry of the re-wrap marked material: %+v", marked)
	}
	atom := readFile(t, filepath.Join(pub, "feeds", "privacy.atom"))
	if strings.Count(atom, `<category term="minor"`) != 1 || strings.Count(atom, `<category term="material"`) != 4 {
		t.Errorf("atom categories: %d minor, %d material", strings.Count(atom, `<category term="minor"`), strings.Count(atom, `<category term="material"`))
	}

	for _, page := range []string{filepath.Join(pub, "changelog", "index.html"), filepath.Join(pub, "privacy", "versions", "index.html")} {
		html := readFile(t, page)
		row := html[strings.Index(html, "Rewrap privacy policy"):]
		row = row[:strings.Index(row, "</tr>")]
		if !strings.Contains(row, `<span class="minor">minor</span>`) || !strings.Contains(row, "No textual change (layout only)") {
			t.Errorf("%s: the re-wrap is not listed as a minor, layout-only change:\n%s", page, row)
		}
		if strings.Count(html, `class="minor-change"`) != 1 {
			t.Errorf("%s: %d rows marked minor, want 1", page, strings.Count(html, `class="minor-change"`))
		}
		if !strings.Contains(html, "No change to the text; effective date: none → 1 May 2026") {
			t.Errorf("%s: the change of effective date is not summarised", page)
		}
	}

	c, err := Load(context.Background(), LoadOptions{Repo: r.Dir, Now: now, HistoryOptions: HistoryOptions{NoCache: true}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	notices, err := c.Notices("https://legal.example.com/")
	if err != nil {
		t.Fatal(err)
	}
	var subjects []string
	for _, n := range notices {
		subjects = append(subjects, n.Subject)
	}
	if got := strings.Join(subjects, "|"); got != "Publish privacy policy|Rewrap, reviewed by counsel|Privacy: shorter retention|Privacy: state the effective date" {
		t.Errorf("notices: %s", got)
	}
	if n := notices[1]; n.Summary != "No textual change (layout only)" || !n.Material {
		t.Errorf("the re-wrap marked material: summary %q material %v", n.Summary, n.Material)
	}
}

// TestChangedRegisterInFrontMatterIsNotLayout: a sub-processor list kept
// in front matter changes no word of its body when a row is added; that
// is a change, not layout.
func TestChangedRegisterInFrontMatterIsNotLayout(t *testing.T) {
	r := gittest.New(t)
	head := "---\ntitle: Sub-processors\nkind: subprocessors\nsubprocessors:\n  - name: Cumulus Hosting GmbH\n    purpose: Hosting\n    location: Germany\n    website: https://cumulus.example\n"
	r.Write("content/subprocessors.md", head+"---\nThe list is kept in front matter.\n")
	r.Commit("2026-01-10T09:00:00Z", "Publish")
	r.Write("content/subprocessors.md", head+"  - name: Ledgerly AB\n    purpose: Bank feeds\n    location: Sweden\n    website: https://ledgerly.example\n---\nThe list is kept in front matter.\n")
	r.Commit("2026-02-10T09:00:00Z", "Add Ledgerly")
	r.Write("content/subprocessors.md", head+"  - name: Ledgerly AB\n    purpose: Bank feeds\n    location: Sweden\n    website: https://ledgerly.example\n---\nThe list is kept\nin front matter.\n")
	r.Commit("2026-03-10T09:00:00Z", "Rewrap")
	c, err := Load(context.Background(), LoadOptions{Repo: r.Dir, Now: now, HistoryOptions: HistoryOptions{NoCache: true}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	vs := c.Entries[0].Versions
	if !vs[1].Material || vs[1].LayoutOnly {
		t.Errorf("adding a sub-processor in front matter: material %v layout %v", vs[1].Material, vs[1].LayoutOnly)
	}
	if vs[0].Material || !vs[0].LayoutOnly {
		t.Errorf("re-wrapping its text: material %v layout %v", vs[0].Material, vs[0].LayoutOnly)
	}
}

// TestLettersPrint: the print read with the history is the same for texts
// that differ only in layout (so that layoutOnly compares them), and
// differs for a change of words (so that it does not parse them).
func TestLettersPrint(t *testing.T) {
	base := "## 1. Data\n\nWe keep *your* data, see [the DPA](dpa.md) & <https://x.example>.\n"
	for _, same := range []string{
		"1. Data\n=======\n\nWe keep _your_\ndata, see [the DPA][dpa] &amp; <https://x.example>.\n\n[dpa]: ./dpa.md\n",
		"## 2. Data\n\nWe   keep your data, see [the DPA](terms.md) &#38; <!-- note -->.\n",
		"## 1. Data\n\n- We keep your data, see [the DPA](dpa.md) <br> &\n",
	} {
		if lettersPrint([]byte(base)) != lettersPrint([]byte(same)) {
			t.Errorf("print differs for a change of layout:\n%s", same)
		}
	}
	for _, other := range []string{
		"## 1. Data\n\nWe keep *our* data, see [the DPA](dpa.md).\n",
		"## 1. Data\n\nWe keep *your* data, see [the annex](dpa.md).\n",
		"## 1. Data\n\nYour data we keep, see [the DPA](dpa.md).\n",
	} {
		if lettersPrint([]byte(base)) == lettersPrint([]byte(other)) {
			t.Errorf("print is the same for a change of words:\n%s", other)
		}
	}
}

func BenchmarkLettersPrint(b *testing.B) {
	text := []byte(strings.Repeat("## 4.2 Sub-processors\n\nThe Processor shall *not* engage [another processor](dpa.md) without prior written authorisation &amp; notice of 30 days. Änderungen.\n\n", 500))
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		lettersPrint(text)
	}
}

// TestReparagraphedVersionIsMinor: a paragraph split in two, no word
// changed, is layout only (minor, never notified), as a re-wrap is; a
// renumbered clause is not.
func TestReparagraphedVersionIsMinor(t *testing.T) {
	r := gittest.New(t)
	body := "We keep your data for one year and then delete it. Backups are kept for thirty days and then overwritten."
	r.Write("content/privacy.md", "---\ntitle: Privacy Policy\n---\n## 1. Data\n\n"+body+"\n")
	r.Commit("2026-01-10T09:00:00Z", "Publish privacy policy")
	r.Write("content/privacy.md", "---\ntitle: Privacy Policy\n---\n## 1. Data\n\n"+strings.Replace(body, " Backups", "\n\nBackups", 1)+"\n")
	r.Commit("2026-02-01T09:00:00Z", "Split the retention paragraph")
	r.Write("content/privacy.md", "---\ntitle: Privacy Policy\n---\n## 2. Data\n\n"+strings.Replace(body, " Backups", "\n\nBackups", 1)+"\n")
	r.Commit("2026-03-01T09:00:00Z", "Renumber the data clause")
	c, err := Load(context.Background(), LoadOptions{Repo: r.Dir, Now: mustTime(t, "2026-06-01T00:00:00Z")})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	e := c.Entries[0]
	if len(e.Versions) != 3 {
		t.Fatalf("%d versions", len(e.Versions))
	}
	if v := e.Versions[1]; v.Material || !v.LayoutOnly {
		t.Errorf("split paragraph: material %v, layout only %v; want a minor, layout-only version", v.Material, v.LayoutOnly)
	}
	if v := e.Versions[0]; !v.Material || v.LayoutOnly {
		t.Errorf("renumbered clause: material %v, layout only %v; want material", v.Material, v.LayoutOnly)
	}
	notices, err := c.Notices("https://legal.example.com/")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range notices {
		if n.VersionID == e.Versions[1].ID {
			t.Errorf("the re-paragraphed version is notified: %+v", n)
		}
	}
}
