// Package redline is the comparison of two published versions of a
// document as the portal's compare page computes it in the browser: the
// Text a build publishes for each version (its blocks, as generator/diff
// compares them, and the front matter a comparison names), its compact
// JSON form, and Compute, which runs generator/diff on two Texts exactly as
// the build's compare pages do.
//
// The package is compiled twice: into clause, which writes the Texts, and
// into the WebAssembly program cmd/clause-redline-wasm, which reads them
// in the reader's browser. It depends on generator/diff and
// generator/markdown only, so that the WebAssembly program stays small.
package redline

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/clause-portal/clause/generator/diff"
	"github.com/clause-portal/clause/generator/markdown"
)

// Meta is the front matter of a version that a comparison names when it
// changes: title, effective date, and a register's notice period.
type Meta struct {
	// Title is the document's title at the version.
	Title string
	// Effective is the effective date, "YYYY-MM-DD", or "" when none.
	Effective string
	// NoticeDays is the sub-processor notice period.
	NoticeDays int
	// Register is set when the version is a sub-processor list: only then
	// is a change of NoticeDays named.
	Register bool
}

// MetadataChanges lists the changes of front matter a reader cares about,
// from a to b: "Title: A → B", "Effective date: 2026-03-01 → 2026-12-15",
// "Notice period: 30 → 45 days".
func MetadataChanges(a, b Meta) []string {
	var out []string
	if a.Title != b.Title {
		out = append(out, fmt.Sprintf("Title: %s → %s", a.Title, b.Title))
	}
	if a.Effective != b.Effective {
		out = append(out, fmt.Sprintf("Effective date: %s → %s", displayDate(a.Effective), displayDate(b.Effective)))
	}
	if a.NoticeDays != b.NoticeDays && b.Register {
		out = append(out, fmt.Sprintf("Notice period: %d → %d days", a.NoticeDays, b.NoticeDays))
	}
	return out
}

// displayDate writes a YYYY-MM-DD date as readers see dates on the portal
// ("15 December 2026"), or "none".
func displayDate(s string) string {
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t.Format("2 January 2006")
	}
	return orNone(s)
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// Text is what the compare page needs of one version: its blocks, its
// front matter, and the SHA-256 of its source bytes (two versions whose
// sources are equal are identical, layout included).
type Text struct {
	Meta
	// SHA256 is the hex SHA-256 of the version's source file.
	SHA256 string
	// Blocks are the version's blocks, as generator/diff compares them.
	Blocks []markdown.Block
}

// wireText and wireBlock are the JSON form of a Text: short keys, empty
// fields left out (most blocks have no cells, links, quote or clause), and
// a table row's text left out when it is its cells joined by " | ", as
// markdown.Blocks makes it (a third of a register's file).
type wireText struct {
	Title      string      `json:"title"`
	Effective  string      `json:"effective,omitempty"`
	NoticeDays int         `json:"notice_days"`
	Register   bool        `json:"register,omitempty"`
	SHA256     string      `json:"sha256"`
	Blocks     []wireBlock `json:"blocks"`
}

type wireBlock struct {
	Kind   int      `json:"k,omitempty"` // markdown.Kind, as a number
	Level  int      `json:"l,omitempty"`
	Number string   `json:"n,omitempty"`
	Anchor string   `json:"a,omitempty"`
	Clause string   `json:"c,omitempty"`
	Text   string   `json:"t,omitempty"`
	Cells  []string `json:"cs,omitempty"`
	Links  []string `json:"ls,omitempty"`
	Quote  int      `json:"q,omitempty"`
	Line   int      `json:"ln,omitempty"`
}

// cellSeparator joins the cells of a table row into its Text.
const cellSeparator = " | "

// Marshal encodes t as compact JSON, the form the portal publishes.
// Unmarshal reads back blocks equal to t's (an empty Cells or Links slice
// reads back as nil, which generator/diff treats alike).
func Marshal(t Text) ([]byte, error) {
	w := wireText{Title: t.Title, Effective: t.Effective, NoticeDays: t.NoticeDays, Register: t.Register, SHA256: t.SHA256, Blocks: make([]wireBlock, len(t.Blocks))}
	for i, b := range t.Blocks {
		text := b.Text
		if len(b.Cells) > 0 && text == strings.Join(b.Cells, cellSeparator) {
			text = ""
		}
		w.Blocks[i] = wireBlock{int(b.Kind), b.Level, b.Number, b.Anchor, b.Clause, text, b.Cells, b.Links, b.Quote, b.Line}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// The text is data, read by a script: "<" and "&" need no escaping,
	// and unescaped they keep the files smaller.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(w); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// Unmarshal decodes the form Marshal writes.
func Unmarshal(data []byte) (Text, error) {
	var w wireText
	if err := json.Unmarshal(data, &w); err != nil {
		return Text{}, err
	}
	t := Text{Meta: Meta{Title: w.Title, Effective: w.Effective, NoticeDays: w.NoticeDays, Register: w.Register}, SHA256: w.SHA256, Blocks: make([]markdown.Block, len(w.Blocks))}
	for i, b := range w.Blocks {
		if b.Text == "" && len(b.Cells) > 0 {
			b.Text = strings.Join(b.Cells, cellSeparator)
		}
		t.Blocks[i] = markdown.Block{Kind: markdown.Kind(b.Kind), Level: b.Level, Number: b.Number, Anchor: b.Anchor, Clause: b.Clause, Text: b.Text, Cells: b.Cells, Links: b.Links, Quote: b.Quote, Line: b.Line}
	}
	return t, nil
}

// Options are how Compute writes the redline's HTML (diff.HTMLOptions).
type Options struct {
	// LinkBase is the URL of the newer version's page.
	LinkBase string `json:"link_base"`
	// Omit leaves the text of unchanged runs out (see diff.HTMLOptions).
	Omit bool `json:"omit"`
	// Words are the redline's own words in the reader's language (see
	// diff.Words); nil is English.
	Words *diff.Words `json:"words,omitempty"`
	// Lang is the reader's language (a BCP 47 tag), whose plural rules
	// choose among Words' forms: the browser's engine sets Words.Plural
	// from it.
	Lang string `json:"lang,omitempty"`
}

// Counts are what a redline counts (diff.Stats), for a summary in the
// reader's language.
type Counts struct {
	Changed       int `json:"changed"`
	Inserted      int `json:"inserted"`
	Deleted       int `json:"deleted"`
	Moved         int `json:"moved"`
	Renumbered    int `json:"renumbered"`
	Reparagraphed int `json:"reparagraphed"`
}

// Result is a comparison as the compare page shows it.
type Result struct {
	// HTML is the redline, as diff.WriteHTML writes it.
	HTML string `json:"html"`
	// Summary says what changed in the text, e.g. "1 clause changed"
	// (diff.Redline.Summary).
	Summary string `json:"summary"`
	// Counts are the numbers the summary says.
	Counts Counts `json:"counts"`
	// Identical is set when the words of the two texts are the same.
	Identical bool `json:"identical"`
	// SourceChanged is set when the two source files differ at all.
	SourceChanged bool `json:"source_changed"`
	// Metadata lists the changes of front matter (MetadataChanges).
	Metadata []string `json:"metadata"`
}

// Compute compares from with to as the build's compare pages do:
// diff.Compare on their blocks, diff.WriteHTML with opts.
func Compute(from, to Text, opts Options) (Result, error) {
	r := diff.Compare(from.Blocks, to.Blocks)
	var b strings.Builder
	if err := diff.WriteHTML(&b, r, diff.HTMLOptions{LinkBase: opts.LinkBase, Omit: opts.Omit, Words: opts.Words}); err != nil {
		return Result{}, err
	}
	s := r.Stats
	return Result{
		HTML:          b.String(),
		Summary:       r.Summary(),
		Counts:        Counts{s.Changed, s.Inserted, s.Deleted, s.Moved, s.Renumbered, s.Reparagraphed},
		Identical:     r.Identical(),
		SourceChanged: from.SHA256 != to.SHA256,
		Metadata:      MetadataChanges(from.Meta, to.Meta),
	}, nil
}
