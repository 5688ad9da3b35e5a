package redline

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/clause-portal/clause/generator/diff"
	"github.com/clause-portal/clause/generator/markdown"
	"github.com/rogpeppe/go-internal/txtar"
)

// cases reads the old and new texts of generator/diff's golden cases:
// headings, clause numbers, lists, quotes, tables, code, links, moves.
func cases(t *testing.T) map[string][2][]byte {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "diff", "testdata", "*.txtar"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	out := map[string][2][]byte{}
	for _, f := range files {
		a, err := txtar.ParseFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var pair [2][]byte
		for _, file := range a.Files {
			switch file.Name {
			case "old.md":
				pair[0] = file.Data
			case "new.md":
				pair[1] = file.Data
			}
		}
		out[strings.TrimSuffix(filepath.Base(f), ".txtar")] = pair
	}
	return out
}

// TestTextRoundTrip checks that a Text read back from its JSON has the
// same blocks, field by field, so that the browser compares what the build
// compares.
func TestTextRoundTrip(t *testing.T) {
	kinds := map[markdown.Kind]bool{}
	for name, pair := range cases(t) {
		for _, src := range pair {
			blocks := markdown.Blocks(src, markdown.WithFirstLine(4))
			in := Text{Meta: Meta{Title: "DPA <v2> & co", Effective: "2026-03-01", NoticeDays: 30, Register: true}, SHA256: "ab12", Blocks: blocks}
			data, err := Marshal(in)
			if err != nil {
				t.Fatal(err)
			}
			out, err := Unmarshal(data)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if out.Meta != in.Meta || out.SHA256 != in.SHA256 || len(out.Blocks) != len(in.Blocks) {
				t.Fatalf("%s: read back %+v, wrote %+v", name, out.Meta, in.Meta)
			}
			for i := range in.Blocks {
				a, b := in.Blocks[i], out.Blocks[i]
				if len(a.Cells) == 0 && len(b.Cells) == 0 {
					a.Cells, b.Cells = nil, nil
				}
				if len(a.Links) == 0 && len(b.Links) == 0 {
					a.Links, b.Links = nil, nil
				}
				if !reflect.DeepEqual(a, b) {
					t.Errorf("%s: block %d read back as\n%+v\nwritten\n%+v", name, i, b, a)
				}
				kinds[a.Kind] = true
			}
		}
	}
	// The cases cover every kind of block.
	for k := markdown.KindParagraph; k <= markdown.KindCode; k++ {
		if !kinds[k] {
			t.Errorf("no case has a block of kind %s", k)
		}
	}
}

// TestTextJSONIsCompact checks the form of the published file: short
// keys, no empty fields, text not HTML-escaped.
func TestTextJSONIsCompact(t *testing.T) {
	data, err := Marshal(Text{Meta: Meta{Title: "Terms"}, SHA256: "ff", Blocks: []markdown.Block{
		{Kind: markdown.KindHeading, Level: 2, Number: "1", Anchor: "clause-1", Text: "1. Scope & <terms>", Line: 3},
		{Text: "Plain.", Number: "1", Anchor: "clause-1", Line: 5},
	}})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"title":"Terms","notice_days":0,"sha256":"ff","blocks":[{"k":1,"l":2,"n":"1","a":"clause-1","t":"1. Scope & <terms>","ln":3},{"n":"1","a":"clause-1","t":"Plain.","ln":5}]}`
	if string(data) != want {
		t.Errorf("JSON\n%s\nwant\n%s", data, want)
	}
}

// TestComputeIsTheBuildsRedline checks that Compute on Texts read back
// from JSON writes, byte for byte, what generator/diff writes for the
// blocks themselves, with both settings of Omit.
func TestComputeIsTheBuildsRedline(t *testing.T) {
	for name, pair := range cases(t) {
		var sides [2]Text
		for i, src := range pair {
			data, err := Marshal(Text{SHA256: string(rune('a' + i)), Blocks: markdown.Blocks(src)})
			if err != nil {
				t.Fatal(err)
			}
			if sides[i], err = Unmarshal(data); err != nil {
				t.Fatal(err)
			}
		}
		for _, omit := range []bool{false, true} {
			opts := Options{LinkBase: "/dpa/versions/v2/", Omit: omit}
			got, err := Compute(sides[0], sides[1], opts)
			if err != nil {
				t.Fatal(err)
			}
			r := diff.Compare(markdown.Blocks(pair[0]), markdown.Blocks(pair[1]))
			var want bytes.Buffer
			if err := diff.WriteHTML(&want, r, diff.HTMLOptions{LinkBase: opts.LinkBase, Omit: omit}); err != nil {
				t.Fatal(err)
			}
			if got.HTML != want.String() {
				t.Errorf("%s (omit %v): Compute wrote\n%s\ndiff.WriteHTML\n%s", name, omit, got.HTML, want.String())
			}
			if got.Summary != r.Summary() || got.Identical != r.Identical() || !got.SourceChanged {
				t.Errorf("%s: summary %q identical %v source changed %v; want %q %v true", name, got.Summary, got.Identical, got.SourceChanged, r.Summary(), r.Identical())
			}
		}
	}
}

// TestMetadataChanges checks the lines a comparison names for changed
// front matter.
func TestMetadataChanges(t *testing.T) {
	a := Meta{Title: "DPA", Effective: "2026-03-01", NoticeDays: 30}
	b := Meta{Title: "Data Processing Agreement", NoticeDays: 45}
	got := MetadataChanges(a, b)
	want := []string{"Title: DPA → Data Processing Agreement", "Effective date: 1 March 2026 → none"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%q, want %q (a notice period is named for a register only)", got, want)
	}
	b.Register, b.Title, b.Effective = true, "DPA", "2026-03-01"
	if got := MetadataChanges(a, b); !reflect.DeepEqual(got, []string{"Notice period: 30 → 45 days"}) {
		t.Errorf("register: %q", got)
	}
	if got := MetadataChanges(a, a); got != nil {
		t.Errorf("no change: %q", got)
	}
}

// TestTableRowTextLeftOut checks that a table row's text is written only
// when it is not its cells joined, and read back either way.
func TestTableRowTextLeftOut(t *testing.T) {
	in := Text{Blocks: []markdown.Block{
		{Kind: markdown.KindTableRow, Text: "Cumulus | Hosting | Germany", Cells: []string{"Cumulus", "Hosting", "Germany"}},
		{Kind: markdown.KindTableRow, Text: "other text", Cells: []string{"a", "b"}},
	}}
	data, err := Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "Cumulus |") || !strings.Contains(string(data), `"t":"other text"`) {
		t.Errorf("JSON %s", data)
	}
	out, err := Unmarshal(data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(out.Blocks, in.Blocks) {
		t.Errorf("read back %+v", out.Blocks)
	}
}

// TestComputeInTheReadersWords: the options the compare page sends (the
// redline's words, as JSON) reach the HTML, and the counts come with the
// English summary, for the page to say them in its language.
func TestComputeInTheReadersWords(t *testing.T) {
	var opts Options
	if err := json.Unmarshal([]byte(`{"link_base":"/de/dpa/versions/b/","omit":true,"lang":"de",
		"words":{"unchanged":{"one":"{{ .Count }} unveränderter Abschnitt","other":"{{ .Count }} unveränderte Abschnitte"},"read_in_full":"im Volltext lesen"}}`), &opts); err != nil {
		t.Fatal(err)
	}
	text := func(last string) Text {
		return Text{Blocks: markdown.Blocks([]byte("# AVV\n\nEins.\n\nZwei.\n\nDrei.\n\nVier.\n\n" + last + "\n"))}
	}
	res, err := Compute(text("Fünf."), text("Fünf und sechs."), opts)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.HTML, "unveränderte Abschnitte (<a href=\"/de/dpa/versions/b/\">im Volltext lesen</a>)") {
		t.Errorf("HTML:\n%s", res.HTML)
	}
	if res.Counts != (Counts{Changed: 1}) || res.Summary != "1 clause changed" {
		t.Errorf("counts %+v, summary %q", res.Counts, res.Summary)
	}
}
