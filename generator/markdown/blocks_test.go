package markdown

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// describe renders blocks compactly for comparison:
// "kind/level[quote] #anchor (number) @line: text".
func describe(blocks []Block) []string {
	var out []string
	for _, b := range blocks {
		s := fmt.Sprintf("%s/%d", b.Kind, b.Level)
		if b.Quote > 0 {
			s += fmt.Sprintf(">%d", b.Quote)
		}
		s += fmt.Sprintf(" #%s (%s) @%d: %s", b.Anchor, b.Number, b.Line, b.Text)
		out = append(out, s)
	}
	return out
}

func TestBlocksOfADocument(t *testing.T) {
	body := `Preamble before any heading.

# Data Processing Agreement

## 5.2 Sub-*processors*

The Processor shall not engage another processor
without prior **written** authorisation.

1. Access control
   - Need-to-know basis.

     A second paragraph of the sub-item.
   - Quarterly review.
     - Reviewed by the DPO.
2. Encryption

> Quoted *text*
> on two lines.
>
> - quoted item

| Name | Location |
|------|----------|
| Acme | Ireland  |

` + "```yaml\ntls: \"1.3\"   \n\nretention: 30d\n\n```" + `

---

<div>raw HTML block</div>

Setext heading
--------------
`
	got := describe(Blocks([]byte(body)))
	want := []string{
		"paragraph/0 # () @1: Preamble before any heading.",
		"heading/1 #data-processing-agreement () @3: Data Processing Agreement",
		"heading/2 #clause-5-2 (5.2) @5: 5.2 Sub-processors",
		"paragraph/0 #clause-5-2 (5.2) @7: The Processor shall not engage another processor without prior written authorisation.",
		"list_item/1 #clause-5-2 (5.2) @10: 1. Access control",
		"list_item/2 #clause-5-2 (5.2) @11: Need-to-know basis.",
		"paragraph/2 #clause-5-2 (5.2) @13: A second paragraph of the sub-item.",
		"list_item/2 #clause-5-2 (5.2) @14: Quarterly review.",
		"list_item/3 #clause-5-2 (5.2) @15: Reviewed by the DPO.",
		"list_item/1 #clause-5-2 (5.2) @16: 2. Encryption",
		"paragraph/0>1 #clause-5-2 (5.2) @18: Quoted text on two lines.",
		"list_item/1>1 #clause-5-2 (5.2) @21: quoted item",
		"table_header/0 #clause-5-2 (5.2) @23: Name | Location",
		"table_row/0 #clause-5-2 (5.2) @25: Acme | Ireland",
		"code/0 #clause-5-2 (5.2) @27: tls: \"1.3\"\n\nretention: 30d",
		"heading/2 #setext-heading () @38: Setext heading",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	blocks := Blocks([]byte(body))
	if cells := blocks[13].Cells; !slices.Equal(cells, []string{"Acme", "Ireland"}) {
		t.Errorf("row cells %q", cells)
	}
}

func TestBlockAnchorsMatchRender(t *testing.T) {
	body := "# DPA\n\n## 1. Definitions\n\n### 1.1 Terms\n\n## Clause 12 Liability\n\n## Annex II – Security measures\n\n## Sub-processors\n\n## Sub-processors\n\n> ## Quoted heading\n\n- ## Heading in a list\n\n## Übermittlung in Drittländer\n"
	for _, opts := range [][]Option{nil, {WithoutTitle("DPA")}} {
		r, err := Render([]byte(body), opts...)
		if err != nil {
			t.Fatal(err)
		}
		var ids, numbers []string
		for _, b := range Blocks([]byte(body), opts...) {
			if b.Kind == KindHeading {
				ids = append(ids, b.Anchor)
				numbers = append(numbers, b.Number)
			}
		}
		var wantIDs, wantNumbers []string
		for _, h := range r.Headings {
			wantIDs = append(wantIDs, h.ID)
			wantNumbers = append(wantNumbers, h.Number)
		}
		if !slices.Equal(ids, wantIDs) || !slices.Equal(numbers, wantNumbers) {
			t.Errorf("opts %d: anchors %q numbers %q, Render %q %q", len(opts), ids, numbers, wantIDs, wantNumbers)
		}
		for _, id := range ids {
			if !strings.Contains(string(r.HTML), `id="`+id+`"`) {
				t.Errorf("rendered page has no id %q", id)
			}
		}
	}
}

func TestBlockTextIsReflowProof(t *testing.T) {
	a := Blocks([]byte("The Processor shall *notify* the Controller\nwithout undue delay.\n\n- An item\n  wrapped.\n"))
	b := Blocks([]byte("The   Processor shall notify\nthe **Controller** without\nundue delay.\n\n* An item wrapped.\n"))
	if len(a) != len(b) {
		t.Fatalf("%d blocks, %d blocks", len(a), len(b))
	}
	for i := range a {
		if a[i].Text != b[i].Text || a[i].Kind != b[i].Kind {
			t.Errorf("block %d: %q, %q", i, a[i].Text, b[i].Text)
		}
	}
}

func TestBlockTextOfInlines(t *testing.T) {
	for _, c := range []struct {
		md, text string
		links    []string
	}{
		{"See the [privacy policy](https://example.com/p).", "See the privacy policy <https://example.com/p>.", []string{"https://example.com/p"}},
		{"Visit https://example.com or <https://example.org>.", "Visit https://example.com or https://example.org.", []string{"https://example.com", "https://example.org"}},
		{"Mail <dpo@example.com> or [dpo@example.com](mailto:dpo@example.com).", "Mail dpo@example.com or dpo@example.com.", []string{"mailto:dpo@example.com", "mailto:dpo@example.com"}},
		{"[https://example.com](https://example.com)", "https://example.com", []string{"https://example.com"}},
		{"See [clause 5](#clause-5).", "See clause 5 <#clause-5>.", []string{"#clause-5"}},
		{"AT&amp;T, &#169; 2026, &#x41;, \\*not emphasis\\*, `a  *b*`", "AT&T, © 2026, A, *not emphasis*, a *b*", nil},
		{"Hard  \nbreak and soft\nbreak", "Hard break and soft break", nil},
		{"![Logo of *Acme*](logo.png) Acme", "Logo of Acme Acme", nil},
		{"Raw <span>inline</span> HTML", "Raw inline HTML", nil},
		{"~~struck~~ text", "struck text", nil},
		{"- [ ] open\n- [x] done", "☐ open", nil},
	} {
		blocks := Blocks([]byte(c.md))
		if len(blocks) == 0 {
			t.Errorf("%q: no blocks", c.md)
			continue
		}
		if b := blocks[0]; b.Text != c.text || !slices.Equal(b.Links, c.links) {
			t.Errorf("%q:\ntext  %q links %q\nwant  %q links %q", c.md, b.Text, b.Links, c.text, c.links)
		}
	}
	if b := Blocks([]byte("- [ ] open\n- [x] done")); len(b) != 2 || b[1].Text != "☑ done" {
		t.Errorf("task list: %+v", b)
	}
}

func TestBlocksOfTables(t *testing.T) {
	body := "| Name | Location | Note |\n|---|:-:|---|\n| Acme \\| Co | [Ireland](https://x.ie) |\n| Beta | France | a | extra |\n"
	blocks := Blocks([]byte(body))
	want := [][]string{{"Name", "Location", "Note"}, {"Acme | Co", "Ireland <https://x.ie>", ""}, {"Beta", "France", "a"}}
	if len(blocks) != len(want) {
		t.Fatalf("%d blocks: %+v", len(blocks), blocks)
	}
	for i, b := range blocks {
		if !slices.Equal(b.Cells, want[i]) {
			t.Errorf("row %d cells %q, want %q", i, b.Cells, want[i])
		}
		if b.Text != strings.Join(want[i], " | ") {
			t.Errorf("row %d text %q", i, b.Text)
		}
	}
	if blocks[0].Kind != KindTableHeader || blocks[1].Kind != KindTableRow || !slices.Equal(blocks[1].Links, []string{"https://x.ie"}) {
		t.Errorf("kinds %s %s, links %q", blocks[0].Kind, blocks[1].Kind, blocks[1].Links)
	}
}

func TestBlocksSkipInvisibleContent(t *testing.T) {
	body := "<!-- comment -->\n\n***\n\n[ref]: https://example.com\n\n<span></span>\n\nText.\n"
	if got := describe(Blocks([]byte(body))); !slices.Equal(got, []string{"paragraph/0 # () @9: Text."}) {
		t.Errorf("got %q", got)
	}
	if b := Blocks(nil); len(b) != 0 {
		t.Errorf("empty body: %+v", b)
	}
}

func TestKindString(t *testing.T) {
	for k, want := range map[Kind]string{KindParagraph: "paragraph", KindHeading: "heading", KindListItem: "list_item",
		KindTableHeader: "table_header", KindTableRow: "table_row", KindCode: "code", Kind(99): "kind(99)"} {
		if k.String() != want {
			t.Errorf("%d: %q, want %q", int(k), k.String(), want)
		}
		if text, _ := k.MarshalText(); string(text) != want {
			t.Errorf("MarshalText %q", text)
		}
	}
}

// An ordered list item's text opens with its number as the page shows it:
// the list's start plus the item's position, with the list's delimiter.
// The numbers the source gives later items do not count, as on the page.
func TestOrderedListItemsKeepTheirNumbers(t *testing.T) {
	body := "## Part A\n\n7. **Security**\n\nThe Processor shall implement the measures.\n\n3) first\n9) second\n\n- bullet\n"
	var got []string
	for _, b := range Blocks([]byte(body)) {
		if b.Kind == KindListItem {
			got = append(got, b.Clause+"|"+b.Text)
		}
	}
	want := []string{"7.|7. Security", "3)|3) first", "4)|4) second", "|bullet"}
	if !slices.Equal(got, want) {
		t.Errorf("list items %q, want %q", got, want)
	}
}

// WithFirstLine makes Block.Line a file line: the body's first line plus
// the line within the body, minus one.
func TestBlocksWithFirstLineReportFileLines(t *testing.T) {
	body := []byte("# Title\n\nFirst paragraph.\n\n- item\n")
	plain, shifted := Blocks(body), Blocks(body, WithFirstLine(4))
	if len(plain) != 3 || len(shifted) != 3 {
		t.Fatalf("blocks: %d and %d", len(plain), len(shifted))
	}
	for i, want := range []int{4, 6, 8} {
		if plain[i].Line != want-3 || shifted[i].Line != want {
			t.Errorf("block %d: line %d (body) and %d (file), want %d and %d", i, plain[i].Line, shifted[i].Line, want-3, want)
		}
	}
}
