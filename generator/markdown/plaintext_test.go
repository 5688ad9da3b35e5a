package markdown

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"
)

func render(t *testing.T, body string) *Rendered {
	t.Helper()
	r, err := Render([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// tocIDs lists the ids of a table of contents.
func tocIDs(hs []Heading) []string {
	var ids []string
	for _, h := range hs {
		ids = append(ids, h.ID)
	}
	return ids
}

// clauseBlocks describes the clause paragraphs of a body:
// "label number #anchor @line".
func clauseBlocks(body string) []string {
	var out []string
	for _, b := range Blocks([]byte(body)) {
		if b.Clause != "" {
			out = append(out, b.Clause+" "+b.Number+" #"+b.Anchor+" @"+itoa(b.Line))
		}
	}
	return out
}

func TestParagraphsOpeningWithAClauseNumberAreClauses(t *testing.T) {
	for _, c := range []struct {
		name, body string
		want       []string
	}{
		{"dotted", "1.1 The Processor shall act on instructions.\n\n1.2. The Controller shall give them.\n\n10.2.3 Deeper.\n",
			[]string{"1.1 1.1 #clause-1-1 @1", "1.2. 1.2 #clause-1-2 @3", "10.2.3 10.2.3 #clause-10-2-3 @5"}},
		{"dotted with lower-case text after a final dot", "1.1. the Processor shall act.\n",
			[]string{"1.1. 1.1 #clause-1-1 @1"}},
		{"lettered under a clause", "2.2 The Processor shall:\n\n(a) inform the Controller; and\n\n(b) give it time to object:\n\n(i) 30 days; or\n\n(ii) 10 days.\n\n(c) keep a list.\n",
			[]string{"2.2 2.2 #clause-2-2 @1", "(a) 2.2(a) #clause-2-2-a @3", "(b) 2.2(b) #clause-2-2-b @5",
				"(i) 2.2(b)(i) #clause-2-2-b-i @7", "(ii) 2.2(b)(ii) #clause-2-2-b-ii @9", "(c) 2.2(c) #clause-2-2-c @11"}},
		{"letter i after h is a letter", "3.1 Items:\n\n(h) eighth;\n\n(i) ninth.\n",
			[]string{"3.1 3.1 #clause-3-1 @1", "(h) 3.1(h) #clause-3-1-h @3", "(i) 3.1(i) #clause-3-1-i @5"}},
		{"lettered without a parent", "(a) first;\n\n(b) second;\n\n(a) again.\n",
			[]string{"(a) (a) #clause-a @1", "(b) (b) #clause-b @3", "(a) (a) #clause-a-2 @5"}},
		{"roman", "4.1 Terms:\n\n(iv) fourth term.\n", []string{"4.1 4.1 #clause-4-1 @1", "(iv) 4.1(iv) #clause-4-1-iv @3"}},
		{"keywords", "Clause 4.2 Confidentiality. Persons are bound.\n\nArticle 28 – Processor\n\nSection 3: Term.\n\n§ 5 Liability is limited.\n\n§5 Haftung.\n",
			[]string{"Clause 4.2 4.2 #clause-4-2 @1", "Article 28 28 #clause-28 @3", "Section 3 3 #clause-3 @5", "§ 5 5 #clause-5 @7", "§5 5 #clause-5-2 @9"}},
		{"lettered under a keyword clause", "Article 28 – Processor. The Processor shall act:\n\n(a) on documented instructions.\n",
			[]string{"Article 28 28 #clause-28 @1", "(a) 28(a) #clause-28-a @3"}},
		{"lettered under a numbered heading", "# DPA\n\n## 5.2 Sub-processors\n\n(a) Acme Ltd.\n",
			[]string{"(a) 5.2(a) #clause-5-2-a @5"}},
		{"not clause numbers", "1.5 million euros is the cap.\n\nArticle 28 GDPR requires a contract.\n\nArticle 28(3) lists the terms.\n\n2026 was a good year.\n\n30 days' notice applies.\n\nClause 4 applies to all.\n\n3.5% of turnover.\n",
			nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := clauseBlocks(c.body); !slices.Equal(got, c.want) {
				t.Errorf("got  %q\nwant %q", got, c.want)
			}
			html := string(render(t, c.body).HTML)
			for _, w := range c.want {
				id := strings.Fields(w)[len(strings.Fields(w))-2][1:]
				if !strings.Contains(html, `<p id="`+id+`">`) {
					t.Errorf("no paragraph with id %q in\n%s", id, html)
				}
			}
		})
	}
}

func TestSectionTitlesBecomeHeadings(t *testing.T) {
	for _, c := range []struct {
		name, body string
		want       []string // substrings of the HTML
		toc        []string
	}{
		{"lone numbered lines with clauses after them",
			"1. Definitions\n\n1.1 \"Agreement\" means the agreement.\n\n2. Engagement of Sub-processors\n\nThe Processor shall not engage another processor.\n",
			[]string{`<h2 id="clause-1">1. Definitions</h2>`, `<p id="clause-1-1">1.1 `, `<h2 id="clause-2">2. Engagement of Sub-processors</h2>`, "<p>The Processor shall not"},
			[]string{"clause-1", "clause-2"}},
		{"numbered lines with clauses on the next lines",
			"1. DEFINITIONS\n1.1 \"Agreement\" means the agreement.\n1.2 \"GDPR\" means the regulation.\n2. PROCESSING\n2.1 The Processor shall process on instructions.\n",
			[]string{`<h2 id="clause-1">1. DEFINITIONS</h2>`, `<p id="clause-1-2">1.2 &quot;GDPR&quot;`, `<h2 id="clause-2">2. PROCESSING</h2>`, `<p id="clause-2-1">`},
			[]string{"clause-1", "clause-2"}},
		{"bold lines", "**1. DEFINITIONS**\n\nText of the definitions.\n\n__Security measures__\n\nText of the measures.\n",
			[]string{`<h2 id="clause-1">1. DEFINITIONS</h2>`, `<h2 id="security-measures">Security measures</h2>`},
			[]string{"clause-1", "security-measures"}},
		{"all-caps lines, the first one the title",
			"DATA PROCESSING AGREEMENT\n\nThis agreement is made between the parties.\n\nDEFINITIONS AND INTERPRETATION\n\nWords have their meaning.\n\nANNEX II – SECURITY MEASURES\n\nThe measures.\n",
			[]string{`<h1 id="data-processing-agreement">DATA PROCESSING AGREEMENT</h1>`, `<h2 id="definitions-and-interpretation">`, `<h2 id="annex-ii">`},
			[]string{"data-processing-agreement", "definitions-and-interpretation", "annex-ii"}},
		{"numbered titles of sub-clauses and keyword titles",
			"1.1 Scope\n\nThis DPA applies to the Service.\n\nArticle 5 – Audits\n\nThe Processor allows audits.\n",
			[]string{`<h3 id="clause-1-1">1.1 Scope</h3>`, `<h2 id="clause-5">Article 5 – Audits</h2>`},
			[]string{"clause-1-1", "clause-5"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := render(t, c.body)
			for _, w := range c.want {
				if !strings.Contains(string(r.HTML), w) {
					t.Errorf("HTML lacks %q:\n%s", w, r.HTML)
				}
			}
			if strings.Contains(string(r.HTML), "<ol") || strings.Contains(string(r.HTML), "<strong>") {
				t.Errorf("list or bold left:\n%s", r.HTML)
			}
			if got := tocIDs(r.Headings); !slices.Equal(got, c.toc) {
				t.Errorf("TOC %q, want %q", got, c.toc)
			}
		})
	}
}

func TestListsAndTextThatAreNotSectionTitles(t *testing.T) {
	for _, c := range []struct {
		name, body string
		want       []string
	}{
		{"ordered list with sub-lists", "1. Access control\n   - Need-to-know basis.\n2. Encryption\n   - TLS 1.2 or higher.\n\nText.\n",
			[]string{"<ol>\n<li>Access control"}},
		{"list inside a clause", "3.2 The Processor shall:\n1. notify the Controller; and\n2. assist the Controller.\n\nText.\n",
			[]string{`<p id="clause-3-2">`, "<ol>\n<li>notify the Controller; and</li>"}},
		{"a contents list of titles", "1. Definitions\n2. Scope\n3. Term\n\nThis agreement is made between the parties.\n",
			[]string{"<ol>\n<li>Definitions</li>"}},
		{"a numbered line ending the document", "Text before.\n\n1. Definitions\n", []string{"<ol>\n<li>Definitions</li>"}},
		{"short numbered clauses in a row", "1.1 Names\n\n1.2 Email addresses\n\n1.3 Postal addresses\n",
			[]string{`<p id="clause-1-1">1.1 Names</p>`, `<p id="clause-1-2">`}},
		{"an all-caps sentence", "TO THE MAXIMUM EXTENT PERMITTED BY LAW, THE SERVICE IS PROVIDED AS IS WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED.\n\nText.\n",
			[]string{"<p>TO THE MAXIMUM"}},
		{"bold words in a sentence", "**Affiliate** means an entity that controls a party.\n\nText.\n", []string{"<p><strong>Affiliate</strong> means"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := render(t, c.body)
			for _, w := range c.want {
				if !strings.Contains(string(r.HTML), w) {
					t.Errorf("HTML lacks %q:\n%s", w, r.HTML)
				}
			}
			if strings.Contains(string(r.HTML), "<h") {
				t.Errorf("heading invented:\n%s", r.HTML)
			}
		})
	}
}

func TestBulletLinesAreListItems(t *testing.T) {
	body := "3.1 The Processor shall implement measures, including:\n• encryption in transit\nand at rest;\n• pseudonymisation;\n◦ reviewed every year;\n– access control.\n\n– with a blank line;\n\n– between items.\n\nNot a bullet – an en dash in a sentence.\n"
	r := render(t, body)
	want := `<p id="clause-3-1">3.1 The Processor shall implement measures, including:</p>
<ul>
<li>encryption in transit
and at rest;</li>
<li>pseudonymisation;
<ul>
<li>reviewed every year;</li>
</ul>
</li>
<li>access control.</li>
<li>with a blank line;</li>
<li>between items.</li>
</ul>
<p>Not a bullet – an en dash in a sentence.</p>
`
	if string(r.HTML) != want {
		t.Errorf("got\n%s\nwant\n%s", r.HTML, want)
	}
	got := describe(Blocks([]byte(body)))
	wantBlocks := []string{
		"paragraph/0 #clause-3-1 (3.1) @1: 3.1 The Processor shall implement measures, including:",
		"list_item/1 #clause-3-1 (3.1) @2: encryption in transit and at rest;",
		"list_item/1 #clause-3-1 (3.1) @4: pseudonymisation;",
		"list_item/2 #clause-3-1 (3.1) @5: reviewed every year;",
		"list_item/1 #clause-3-1 (3.1) @6: access control.",
		"list_item/1 #clause-3-1 (3.1) @8: with a blank line;",
		"list_item/1 #clause-3-1 (3.1) @10: between items.",
		"paragraph/0 #clause-3-1 (3.1) @12: Not a bullet – an en dash in a sentence.",
	}
	if !slices.Equal(got, wantBlocks) {
		t.Errorf("blocks\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantBlocks, "\n"))
	}
}

func TestIndentedTextIsNotCode(t *testing.T) {
	body := "2. Sub-processors\n\n    2.1 The Processor shall not engage another processor\n    without authorisation.\n\n\t2.2 The Processor shall inform the Controller.\n\n        (a) of additions; and\n\n```\nconfig: kept as code\n    indented: kept\n```\n"
	r := render(t, body)
	html := string(r.HTML)
	for _, w := range []string{
		`<h2 id="clause-2">2. Sub-processors</h2>`,
		"<p id=\"clause-2-1\">2.1 The Processor shall not engage another processor\nwithout authorisation.</p>",
		`<p id="clause-2-2">2.2 The Processor shall inform the Controller.</p>`,
		`<p id="clause-2-2-a">(a) of additions; and</p>`,
		"<pre><code>config: kept as code\n    indented: kept\n</code></pre>",
	} {
		if !strings.Contains(html, w) {
			t.Errorf("HTML lacks %q:\n%s", w, html)
		}
	}
	if n := strings.Count(html, "<pre"); n != 1 {
		t.Errorf("%d code blocks:\n%s", n, html)
	}
	blocks := Blocks([]byte(body))
	if b := blocks[1]; b.Kind != KindParagraph || b.Text != "2.1 The Processor shall not engage another processor without authorisation." || b.Line != 3 {
		t.Errorf("indented clause block %+v", b)
	}
	if b := blocks[len(blocks)-1]; b.Kind != KindCode {
		t.Errorf("fenced block %+v", b)
	}
}

// TestMarkdownDocumentsAreUnchanged checks that documents written in
// markdown render as goldmark renders them, but for anchors: the example
// portal's documents and a document with headings and numbered paragraphs,
// which get anchors but no invented headings.
func TestMarkdownDocumentsAreUnchanged(t *testing.T) {
	vanilla := goldmark.New(
		goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify, extension.TaskList),
		goldmark.WithRendererOptions(html.WithXHTML()),
	)
	ids := regexp.MustCompile(` id="[^"]*"`)
	// Tables are wrapped in their scroll container, long columns marked
	// (TestTablesScrollInANamedRegion).
	scroll := regexp.MustCompile(`<div class="table-scroll"[^>]*>\n(?s:(.*?))</table>\n</div>\n`)
	files, _ := filepath.Glob("../../content/*.md")
	if len(files) == 0 {
		t.Fatal("no example documents")
	}
	bodies := map[string]string{}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		parts := strings.SplitN(string(src), "---\n", 3)
		bodies[f] = parts[len(parts)-1]
	}
	headed := "# DPA\n\nDEFINITIONS\n\n## 1. Definitions\n\n1.1 \"Agreement\" means the agreement.\n\n2. Lone item\n\nText.\n\n**Bold line**\n\nText.\n"
	bodies["headed"] = headed
	for name, body := range bodies {
		var want bytes.Buffer
		if err := vanilla.Convert([]byte(body), &want); err != nil {
			t.Fatal(err)
		}
		r := render(t, body)
		got := scroll.ReplaceAllString(string(r.HTML), "$1</table>\n")
		got = ids.ReplaceAllString(strings.ReplaceAll(got, `<th class="long">`, "<th>"), "")
		if got != want.String() {
			t.Errorf("%s renders differently:\n%s\nwant\n%s", name, got, want.String())
		}
		for _, h := range r.Headings {
			if !strings.HasPrefix(body, "# ") && !strings.Contains(body, "\n#") {
				t.Errorf("%s: heading %+v in a document without headings", name, h)
			}
		}
		for _, n := range r.Notes {
			t.Errorf("%s: note %+v", name, n)
		}
	}
	r := render(t, headed)
	if got := tocIDs(r.Headings); !slices.Equal(got, []string{"dpa", "clause-1"}) {
		t.Errorf("TOC %q", got)
	}
	if !strings.Contains(string(r.HTML), `<p id="clause-1-1">1.1 `) {
		t.Errorf("numbered paragraph without anchor:\n%s", r.HTML)
	}
}

func TestTableOfContentsOfPlainText(t *testing.T) {
	flat := "1.1 The Processor shall act only on documented instructions from the Controller, including transfers.\n\n1.2 The Processor shall keep data confidential.\n\n(a) Staff are bound.\n\n2.1 The Processor shall implement measures.\n"
	r := render(t, flat)
	var got []string
	for _, h := range r.Headings {
		got = append(got, h.ID+" "+itoa(h.Level)+" "+h.Text)
	}
	want := []string{
		"clause-1-1 2 1.1 The Processor shall act only on documented instructions from …",
		"clause-1-2 2 1.2 The Processor shall keep data confidential.",
		"clause-2-1 2 2.1 The Processor shall implement measures.",
	}
	if !slices.Equal(got, want) {
		t.Errorf("TOC\n%q\nwant\n%q", got, want)
	}
	// With section titles, only they are listed.
	r = render(t, "1. Definitions\n\n1.1 Text.\n\n1.2 More text.\n\n2. Term\n\n2.1 Text.\n")
	if got := tocIDs(r.Headings); !slices.Equal(got, []string{"clause-1", "clause-2"}) {
		t.Errorf("TOC %q", got)
	}
	// With a title only, the clauses below it are listed.
	r = render(t, "# Data Processing Agreement\n\nClause 1 Scope. This applies.\n\nClause 2 Term. This ends.\n")
	if got := tocIDs(r.Headings); !slices.Equal(got, []string{"data-processing-agreement", "clause-1", "clause-2"}) {
		t.Errorf("TOC %q", got)
	} else if r.Headings[1].Text != "Clause 1 Scope." {
		t.Errorf("TOC text %q", r.Headings[1].Text)
	}
}

func TestBlocksOfPlainTextMatchRender(t *testing.T) {
	body, err := os.ReadFile("testdata/pasted-dpa.md")
	if err != nil {
		t.Fatal(err)
	}
	r, err := Render(body)
	if err != nil {
		t.Fatal(err)
	}
	var headingIDs []string
	seen := map[string]bool{}
	for _, b := range Blocks(body) {
		if b.Kind == KindHeading {
			headingIDs = append(headingIDs, b.Anchor)
		}
		if b.Anchor != "" && !seen[b.Anchor] {
			seen[b.Anchor] = true
			if !strings.Contains(string(r.HTML), `id="`+b.Anchor+`"`) {
				t.Errorf("block anchor %q not on the page", b.Anchor)
			}
		}
	}
	if want := tocIDs(r.Headings); !slices.Equal(headingIDs, want) {
		t.Errorf("heading blocks %q, TOC %q", headingIDs, want)
	}
	got := describe(Blocks(body))
	want := []string{
		"heading/1 #data-processing-agreement () @1: DATA PROCESSING AGREEMENT",
		"paragraph/0 #data-processing-agreement () @3: This Data Processing Agreement (\"DPA\") forms part of the agreement between the Customer and the Supplier.",
		"heading/2 #clause-1 (1) @5: 1. Definitions",
		"paragraph/0 #clause-1-1 (1.1) @7: 1.1. \"Agreement\" means the master services agreement between the parties.",
		"paragraph/0 #clause-1-2 (1.2) @9: 1.2. \"Personal Data\" has the meaning given in Article 4 GDPR.",
		"paragraph/0 #clause-1-3 (1.3) @10: 1.3. \"Sub-processor\" means any processor engaged by the Supplier.",
		"heading/2 #clause-2 (2) @12: 2. Engagement of Sub-processors",
	}
	if len(got) < len(want) || !slices.Equal(got[:len(want)], want) {
		t.Errorf("blocks\n%s\nwant (first)\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestLint(t *testing.T) {
	body, err := os.ReadFile("testdata/pasted-dpa.md")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, n := range Lint(body) {
		if !n.Guess || n.Count < 1 {
			t.Errorf("note %+v", n)
		}
		got = append(got, itoa(n.Line)+" "+itoa(n.Count)+" "+strings.SplitN(n.Message, " (", 2)[0])
	}
	want := []string{
		"1 1 treated the all-caps line as a section heading",
		"5 2 treated the numbered list item as a section heading, as text follows it",
		"10 8 started a new paragraph at a line that opens with a clause number or a bullet",
		"22 1 treated the bold line as a section heading",
		"24 1 treated indented text as a paragraph, not as code",
		"27 1 treated lines starting with a bullet character",
		"36 2 treated the short numbered line as a section heading",
	}
	if !slices.Equal(got, want) {
		t.Errorf("notes\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	r, err := Render(body)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Notes) != len(want) {
		t.Errorf("Render notes %+v", r.Notes)
	}

	// A long text without any structure gets one note, for the document.
	unstructured := strings.Repeat("The Processor processes personal data for the Controller.\n\n", 8)
	notes := Lint([]byte(unstructured))
	if len(notes) != 1 || notes[0].Guess || notes[0].Line != 0 || !strings.Contains(notes[0].Message, "no headings and no numbered clauses") {
		t.Errorf("unstructured: %+v", notes)
	}
	// So does one long bullet list.
	if notes := Lint([]byte(strings.Repeat("- The Processor processes personal data.\n", 8))); len(notes) != 1 || notes[0].Guess {
		t.Errorf("bullet list: %+v", notes)
	}
	// A short notice needs none, nor does a markdown document.
	for _, b := range []string{"A short notice.\n\nIt has two paragraphs.\n", "# Title\n\n## Scope\n\n" + unstructured} {
		if notes := Lint([]byte(b)); len(notes) != 0 {
			t.Errorf("%q: %+v", b[:20], notes)
		}
	}
	// Repeated guesses of a kind are one note, with their count.
	notes = Lint([]byte("## Intro\n\n    indented one\n\nText.\n\n    indented two\n\nText.\n\n    indented three\n"))
	if len(notes) != 1 || notes[0].Line != 3 || notes[0].Count != 3 || !strings.Contains(notes[0].Message, "3 places") {
		t.Errorf("indented: %+v", notes)
	}
}

func TestLooseNumberedListIsAListOfClauses(t *testing.T) {
	body := "1. Subject matter. The Processor processes personal data for the Controller.\n\n   1.1 It does so on instructions.\n\n2. Duration. This DPA lasts as long as the Agreement.\n\n3. Obligations. The Processor shall:\n\n   1. keep records; and\n   2. assist the Controller.\n"
	r := render(t, body)
	for _, w := range []string{`<li id="clause-1">`, `<p id="clause-1-1">1.1 It does so`, `<li id="clause-2">`, `<li id="clause-3">`, "<li>keep records; and</li>"} {
		if !strings.Contains(string(r.HTML), w) {
			t.Errorf("HTML lacks %q:\n%s", w, r.HTML)
		}
	}
	var got []string
	for _, h := range r.Headings {
		got = append(got, h.ID+" "+h.Text)
	}
	want := []string{"clause-1 1. Subject matter.", "clause-2 2. Duration.", "clause-3 3. Obligations."}
	if !slices.Equal(got, want) {
		t.Errorf("TOC %q, want %q", got, want)
	}
	blocks := describe(Blocks([]byte(body)))
	wantBlocks := []string{
		"list_item/1 #clause-1 (1) @1: 1. Subject matter. The Processor processes personal data for the Controller.",
		"paragraph/1 #clause-1-1 (1.1) @3: 1.1 It does so on instructions.",
		"list_item/1 #clause-2 (2) @5: 2. Duration. This DPA lasts as long as the Agreement.",
		"list_item/1 #clause-3 (3) @7: 3. Obligations. The Processor shall:",
		"list_item/2 #clause-3 (3) @9: 1. keep records; and",
		"list_item/2 #clause-3 (3) @10: 2. assist the Controller.",
	}
	if !slices.Equal(blocks, wantBlocks) {
		t.Errorf("blocks\n%s\nwant\n%s", strings.Join(blocks, "\n"), strings.Join(wantBlocks, "\n"))
	}
	// A list introduced by a clause is a list within it.
	r = render(t, "3.2 The Processor shall:\n\n1. keep records; and\n\n2. assist the Controller.\n")
	if strings.Contains(string(r.HTML), "<li id") {
		t.Errorf("list within a clause got anchors:\n%s", r.HTML)
	}
}
