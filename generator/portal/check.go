package portal

import (
	"sort"

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
	sort.SliceStable(problems, func(i, j int) bool {
		if problems[i].Path != problems[j].Path {
			return problems[i].Path < problems[j].Path
		}
		return problems[i].Line < problems[j].Line
	})
	return problems, nil
}
