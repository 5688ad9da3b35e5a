package config

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/clause-portal/clause/generator/document"
	"github.com/clause-portal/clause/generator/subprocessors"
)

// Subprocessors are the [subprocessors] settings.
type Subprocessors struct {
	// Columns maps headers of sub-processor table columns (matched
	// ignoring case, spaces and punctuation) to the row fields they give:
	// name, purpose, location, entity_country, transfer_mechanism,
	// data_categories, website, added, effective, group, or ignore. It is
	// needed only for headers that Clause does not recognise by itself:
	//
	//	[subprocessors.columns]
	//	"Hosting Region" = "location"
	Columns map[string]string `toml:"columns"`
}

// checkColumns reports a column mapped to an unknown field, at its line.
func checkColumns(columns map[string]string, src string) error {
	headers := make([]string, 0, len(columns))
	for h := range columns {
		headers = append(headers, h)
	}
	sort.Strings(headers)
	fields := subprocessors.ColumnFields()
	for _, h := range headers {
		if f := strings.ToLower(strings.TrimSpace(columns[h])); !slices.Contains(fields, f) {
			return &document.Error{Path: FileName, Line: lineOfColumn(src, h),
				Msg: fmt.Sprintf("[subprocessors.columns] %q = %q: unknown field (known: %s)", h, columns[h], strings.Join(fields, ", "))}
		}
	}
	return nil
}

// lineOfColumn returns the line of a header's key in the
// [subprocessors.columns] table, or of the table, or 0.
func lineOfColumn(src, header string) int {
	section, table := "", 0
	for i, l := range strings.Split(src, "\n") {
		l = strings.TrimSpace(l)
		if strings.HasPrefix(l, "[") {
			section = strings.Join(strings.Fields(strings.Trim(l, "[]")), "")
			if section == "subprocessors.columns" {
				table = i + 1
			}
			continue
		}
		key, _, ok := strings.Cut(l, "=")
		if !ok {
			continue
		}
		key = strings.TrimSpace(key)
		if k, err := strconv.Unquote(key); err == nil {
			key = k
		} else {
			key = strings.Trim(key, "'")
		}
		if key == header && section == "subprocessors.columns" || strings.Contains(l, strconv.Quote(header)) {
			return i + 1
		}
	}
	return table
}
