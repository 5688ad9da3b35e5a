package portal

import (
	"bytes"
	"context"
	"encoding/json"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // TestMarkSharedDaysAsFormatted's zone on any machine
	"unicode"
	"unicode/utf8"

	"github.com/clause-portal/clause/generator/config"
	"github.com/clause-portal/clause/generator/history"
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

// lettersOf is the sequence of letter bytes lettersPrint hashes, found
// the way the first lettersPrint found them (one byte at a time, FNV-1a
// over each), for TestLettersPrintHashesTheLetters.
func lettersOf(body []byte) []byte {
	var out []byte
	skipTo := func(i int, end string) int {
		if j := bytes.Index(body[i:], []byte(end)); j >= 0 {
			return i + j + len(end)
		}
		return len(body)
	}
	for i := 0; i < len(body); {
		j := i
		for j < len(body) && (body[j] == ' ' || body[j] == '\t') {
			j++
		}
		if j < len(body) && body[j] == '[' {
			end := len(body)
			if k := bytes.IndexByte(body[j:], '\n'); k >= 0 {
				end = j + k
			}
			if bytes.Contains(body[j:end], []byte("]:")) {
				i = end
				continue
			}
		}
		for i < len(body) {
			c := body[i]
			next := byte(0)
			if i+1 < len(body) {
				next = body[i+1]
			}
			if c == '\n' {
				i++
				break
			}
			switch {
			case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
				out = append(out, c)
				i++
			case c == '<' && bytes.HasPrefix(body[i:], []byte("<!--")):
				i = skipTo(i, "-->")
			case c == '<' && (next == '/' || next < utf8.RuneSelf && unicode.IsLetter(rune(next))):
				i = skipTo(i, ">")
			case c == '&' && entity.Match(body[i:min(len(body), i+34)]):
				i += len(entity.Find(body[i:min(len(body), i+34)]))
			case c == ']' && next == '(':
				i = skipTo(i, ")")
			case c == ']' && next == '[':
				i = skipTo(i+1, "]")
			case c < utf8.RuneSelf:
				i++
			default:
				r, size := utf8.DecodeRune(body[i:])
				if unicode.IsLetter(r) {
					out = utf8.AppendRune(out, r)
				}
				i += size
			}
		}
	}
	return out
}

// TestLettersPrintHashesTheLetters: the print is the hash of the letters a
// byte-by-byte reading finds, whatever the text's length (buffers filled
// and flushed at any place of the text), and texts with other letters get
// other prints.
func TestLettersPrintHashesTheLetters(t *testing.T) {
	pieces := []string{"The ", "Processor", " shall ", "*not*", " [engage](dpa.md)", "[x][ref]", "\n[ref]: ./a.md\n",
		"<!-- note -->", "<br>", "&amp;", "&#38;", "& ", "Änderungen ", "日本語", "\xff", "1.2.", "\n\n", "\t", "a < b ", "]", "<", "x"}
	rng := rand.New(rand.NewPCG(1, 2))
	seen := map[string]string{}
	for n := range 3000 {
		var b strings.Builder
		for range rng.IntN(40 * (1 + n%20)) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		body := []byte(b.String())
		letters := lettersOf(body)
		var want letterHash
		want.add(letters)
		got := lettersPrint(body)
		if got != want.sum() {
			t.Fatalf("print of %q is %s, the hash of its letters %s", body, got, want.sum())
		}
		if other, ok := seen[got]; ok && other != string(letters) {
			t.Fatalf("letters %q and %q have the same print %s", other, letters, got)
		}
		seen[got] = string(letters)
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

// TestMarkSharedDaysAsFormatted checks markSharedDays, which compares days
// and minutes as numbers, against days and minutes formatted in the
// portal's time zone, on random times around a change of daylight saving
// time and a change of year.
func TestMarkSharedDaysAsFormatted(t *testing.T) {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err) // time/tzdata is linked in
	}
	rng := rand.New(rand.NewPCG(3, 4))
	c := &Catalog{Config: &config.Config{Location: loc}}
	for _, around := range []time.Time{
		time.Date(2026, 10, 25, 2, 30, 0, 0, loc), // clocks go back: 02:30 twice
		time.Date(2026, 12, 31, 23, 59, 0, 0, loc),
		time.Date(2028, 2, 29, 12, 0, 0, 0, loc),
	} {
		for range 200 {
			e := &Entry{}
			for range 1 + rng.IntN(6) {
				d := time.Duration(rng.IntN(4*3600)-2*3600) * time.Second
				e.Versions = append(e.Versions, &Version{Version: history.Version{Date: around.Add(d).In(time.UTC)}})
			}
			c.markSharedDays(e)
			count := map[string]int{}
			for _, v := range e.Versions {
				count[v.Date.In(loc).Format("2006-01-02")]++
				count[v.Date.In(loc).Format("2006-01-02T15:04")]++
			}
			for _, v := range e.Versions {
				day, minute := count[v.Date.In(loc).Format("2006-01-02")] > 1, count[v.Date.In(loc).Format("2006-01-02T15:04")] > 1
				if v.SharesDay != day || v.sharesMinute != minute {
					t.Fatalf("%v among %d versions: shares day %v, minute %v; want %v, %v", v.Date.In(loc), len(e.Versions), v.SharesDay, v.sharesMinute, day, minute)
				}
			}
		}
	}
}
