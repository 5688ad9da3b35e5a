package portal

import (
	"sort"

	"github.com/clause-portal/clause/generator/markdown"
	"github.com/clause-portal/clause/generator/subprocessors"
)

// Problems returns everything clause check reports about the documents as
// they are in the content folder, errors and warnings, sorted by file and
// line: sub-processor lists that cannot be read, links that lead to no
// page of the portal.
func (c *Catalog) Problems() ([]subprocessors.Problem, error) {
	problems, err := c.RegisterProblems()
	if err != nil {
		return nil, err
	}
	problems = append(problems, c.LinkProblems()...)
	problems = append(problems, c.StructureNotes()...)
	problems = append(problems, c.TranslationProblems()...)
	problems = append(problems, c.StringProblems()...)
	sort.SliceStable(problems, func(i, j int) bool {
		if problems[i].Path != problems[j].Path {
			return problems[i].Path < problems[j].Path
		}
		return problems[i].Line < problems[j].Line
	})
	return problems, nil
}

// StructureNotes are the guesses Clause made about the structure of
// documents written as plain text (a bold line read as a heading, indented
// text read as a paragraph, not code) and documents in which it found no
// structure at all, as warnings at the file line.
func (c *Catalog) StructureNotes() []subprocessors.Problem {
	var out []subprocessors.Problem
	for _, e := range c.Entries {
		if e.Retired {
			continue
		}
		d := e.Doc
		for _, n := range markdown.Lint(d.Body) {
			line := 0
			if n.Line > 0 {
				line = d.BodyLine + n.Line - 1
			}
			out = append(out, subprocessors.Problem{Path: d.Path, Line: line, Severity: subprocessors.Warning, Msg: n.Message})
		}
	}
	return out
}
