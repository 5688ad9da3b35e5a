package diff

import (
	"encoding/json"
	"io"

	"github.com/clause-portal/clause/generator/markdown"
)

// The JSON shape of a redline. It is part of Clause's public API, so it is
// spelled out here rather than derived from the Go types: renaming a Go
// field must not change it.
type (
	jsonRedline struct {
		Summary      string            `json:"summary"`
		Identical    bool              `json:"identical"`
		Stats        jsonStats         `json:"stats"`
		Renumberings []jsonRenumbering `json:"renumberings,omitempty"`
		Moves        []jsonMove        `json:"moves,omitempty"`
		Blocks       []jsonBlock       `json:"blocks"`
	}
	jsonRenumbering struct {
		From    [2]string `json:"from"`
		To      [2]string `json:"to"`
		Blocks  int       `json:"blocks"`
		Items   bool      `json:"items,omitempty"`
		Summary string    `json:"summary"`
	}
	jsonMove struct {
		ID       string `json:"id"`
		From     string `json:"from"`
		FromLine int    `json:"from_line"`
		To       string `json:"to"`
		ToLine   int    `json:"to_line"`
		After    int    `json:"after"`
	}
	jsonStats struct {
		Changed   int `json:"changed"`
		Inserted  int `json:"inserted"`
		Deleted   int `json:"deleted"`
		Moved     int `json:"moved"`
		Unchanged int `json:"unchanged"`
		// Added after version 1 of the shape: omitted when zero, so that
		// redlines without them read as before.
		Renumbered    int `json:"renumbered,omitempty"`
		Reparagraphed int `json:"reparagraphed,omitempty"`
	}
	jsonBlock struct {
		Op      string       `json:"op"`
		Old     *jsonSide    `json:"old,omitempty"`
		New     *jsonSide    `json:"new,omitempty"`
		Spans   []jsonSpan   `json:"spans,omitempty"`
		Cells   [][]jsonSpan `json:"cells,omitempty"`
		Columns []string     `json:"columns,omitempty"`
		Group   int          `json:"group,omitempty"`
		Move    string       `json:"move,omitempty"`
	}
	jsonSide struct {
		Index  int      `json:"index"`
		Kind   string   `json:"kind"`
		Level  int      `json:"level"`
		Number string   `json:"number,omitempty"`
		Anchor string   `json:"anchor,omitempty"`
		Text   string   `json:"text"`
		Cells  []string `json:"cells,omitempty"`
		Links  []string `json:"links,omitempty"`
		Quote  int      `json:"quote,omitempty"`
		Line   int      `json:"line"`
	}
	jsonSpan struct {
		Op         string `json:"op"`
		Text       string `json:"text"`
		Renumbered bool   `json:"renumbered,omitempty"`
	}
)

// WriteJSON writes a redline as indented JSON:
//
//	{
//	  "summary": "1 clause changed",
//	  "identical": false,
//	  "stats": {"changed": 1, "inserted": 0, "deleted": 0, "moved": 0, "unchanged": 4},
//	  "blocks": [
//	    {
//	      "op": "changed",
//	      "old": {"index": 2, "kind": "paragraph", "level": 0, "number": "5",
//	              "anchor": "clause-5", "text": "…", "line": 7},
//	      "new": {…},
//	      "spans": [{"op": "equal", "text": "within "}, {"op": "delete", "text": "30"},
//	                {"op": "insert", "text": "14"}, {"op": "equal", "text": " days."}]
//	    }
//	  ]
//	}
//
// op is one of "same", "inserted", "deleted", "changed", "moved",
// "renumbered", "reparagraphed"; a span's op one of "equal", "insert",
// "delete", with "renumbered": true on the spans of a clause number changed
// by a renumbering; kind one of "heading", "paragraph", "list_item",
// "table_header", "table_row", "code". Table rows have "cells" (per
// column, a list of spans) and "columns" (per column "same", "inserted" or
// "deleted") instead of "spans". Re-paragraphed blocks carry "group" (see
// BlockDiff.Group), moved ones "move", the id of an entry of "moves":
// {"id", "from", "from_line", "to", "to_line", "after"}, where "after" is
// the index in "blocks" after which the text stood in the old version (-1:
// at the start). "renumberings" lists the runs of renumbered clauses
// ({"from": ["5", "14"], "to": ["6", "15"], "blocks", "summary"}). Empty
// and zero optional fields are left out.
func WriteJSON(w io.Writer, r *Redline) error {
	out := jsonRedline{
		Summary:   r.Summary(),
		Identical: r.Identical(),
		Stats: jsonStats{
			Changed: r.Changed, Inserted: r.Inserted, Deleted: r.Deleted, Moved: r.Moved, Unchanged: r.Unchanged,
			Renumbered: r.Renumbered, Reparagraphed: r.Reparagraphed,
		},
		Blocks: make([]jsonBlock, 0, len(r.Blocks)),
	}
	for _, rn := range r.Renumberings {
		out.Renumberings = append(out.Renumberings, jsonRenumbering{From: rn.From, To: rn.To, Blocks: rn.Blocks, Items: rn.Items, Summary: rn.String()})
	}
	for _, m := range r.Moves {
		out.Moves = append(out.Moves, jsonMove{ID: m.ID, From: m.From, FromLine: m.FromLine, To: m.To, ToLine: m.ToLine, After: m.After})
	}
	for _, bd := range r.Blocks {
		jb := jsonBlock{
			Op:    bd.Op.String(),
			Old:   side(bd.Old, bd.OldIndex),
			New:   side(bd.New, bd.NewIndex),
			Spans: jsonSpans(bd.Spans),
			Group: bd.Group,
		}
		if bd.Move > 0 && bd.Move <= len(r.Moves) {
			jb.Move = r.Moves[bd.Move-1].ID
		}
		for _, cell := range bd.Cells {
			spans := jsonSpans(cell)
			if spans == nil {
				spans = []jsonSpan{}
			}
			jb.Cells = append(jb.Cells, spans)
		}
		for _, c := range bd.Columns {
			jb.Columns = append(jb.Columns, c.String())
		}
		out.Blocks = append(out.Blocks, jb)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

func side(b *markdown.Block, index int) *jsonSide {
	if b == nil {
		return nil
	}
	return &jsonSide{
		Index: index, Kind: b.Kind.String(), Level: b.Level, Number: b.Number, Anchor: b.Anchor,
		Text: b.Text, Cells: b.Cells, Links: b.Links, Quote: b.Quote, Line: b.Line,
	}
}

func jsonSpans(spans []Span) []jsonSpan {
	var out []jsonSpan
	for _, s := range spans {
		out = append(out, jsonSpan{Op: s.Op.String(), Text: s.Text, Renumbered: s.Renumbered})
	}
	return out
}
