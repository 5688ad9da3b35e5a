package subprocessors

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/clause-portal/clause/generator/document"
)

// Severity grades a problem.
type Severity int

// The severities of a problem.
const (
	// Error: the list is wrong or incomplete (a row without a name,
	// purpose or location; a duplicate row; an unreadable value). A
	// register with errors is not fit to publish.
	Error Severity = iota + 1
	// Warning: the list is readable but probably not what its authors
	// meant (an unknown country, a transfer outside the EEA without a
	// mechanism).
	Warning
)

// String returns "error" or "warning".
func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// Problem is an error or warning about a sub-processor list, located at a
// line of the document's source file.
type Problem struct {
	// Path is the document's path.
	Path string
	// Line is the 1-based line of the file, or 0 for the whole file.
	Line int
	// Severity is Error or Warning.
	Severity Severity
	// Msg is the message, without location.
	Msg string
}

// Error formats the problem as "path:line: msg", with "warning: " before
// the message of a warning, so that editors and CI annotations can jump to
// it.
func (p Problem) Error() string {
	msg := p.Msg
	if p.Severity == Warning {
		msg = "warning: " + msg
	}
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", p.Path, p.Line, msg)
	}
	return fmt.Sprintf("%s: %s", p.Path, msg)
}

// Unwrap returns document.ErrContent for an error (not for a warning), so
// that errors.Is tells content errors from operational ones.
func (p Problem) Unwrap() error {
	if p.Severity == Warning {
		return nil
	}
	return document.ErrContent
}

// HasErrors reports whether any of the problems is an Error.
func HasErrors(problems []Problem) bool {
	return slices.ContainsFunc(problems, func(p Problem) bool { return p.Severity != Warning })
}

// Validate checks a register:
//
//   - a row without a name, purpose or location of processing is an error;
//   - two rows with the same name, purpose and location in one group are
//     an error (the same company for another purpose or location is not
//     a duplicate);
//   - a website that is not an http(s) address is an error;
//   - a location or entity country in which no known country or region
//     can be found is a warning: the text is still published as written,
//     but transfers cannot be checked;
//   - processing in a country outside the EEA and without an adequacy
//     decision, with no transfer mechanism given, is a warning. The United
//     States counts as adequate only under the EU-U.S. Data Privacy
//     Framework, which must then be named as the mechanism.
//
// Extract already includes these problems; Validate is for registers
// built or changed by other means.
func Validate(r *Register) []Problem { return validate(r, nil) }

// validate is Validate, but does not report a missing name, purpose or
// location on a row when lacking[row.Line] lists that field: its table has
// no column for it, which is reported once for the table.
func validate(r *Register, lacking map[int][]string) []Problem {
	var out []Problem
	report := func(row Row, sev Severity, format string, args ...any) {
		out = append(out, Problem{Path: r.Path, Line: row.Line, Severity: sev, Msg: fmt.Sprintf(format, args...)})
	}
	locs := locations{}
	type dupKey struct{ group, name, purpose, location string }
	first := make(map[dupKey]int, len(r.Rows)) // the line of the first row with a key
	for _, row := range r.Rows {
		label := "sub-processor " + quote(row.Name)
		noColumn := func(field string) bool { return slices.Contains(lacking[row.Line], field) }
		if missing(row.Name) {
			label = "sub-processor row"
			if !noColumn(FieldName) {
				report(row, Error, "sub-processor row has no name")
			}
		}
		if missing(row.Purpose) && !noColumn(FieldPurpose) {
			report(row, Error, "%s has no purpose: say what it does", label)
		}
		if missing(row.Location) {
			if !noColumn(FieldLocation) {
				report(row, Error, "%s has no location of processing: name the countries where it processes data", label)
			}
		} else {
			validateLocation(row, label, locs, report)
		}
		if !missing(row.EntityCountry) {
			if _, unknown := locs.parse(row.EntityCountry); len(unknown) > 0 {
				report(row, Warning, "%s: unknown entity country %s", label, quote(strings.Join(unknown, ", ")))
			}
		}
		if row.Website != "" {
			if u, ok := websiteURL(row.Website); !ok || (u.Scheme != "http" && u.Scheme != "https") {
				report(row, Error, "%s: website %s is not an http or https address", label, quote(row.Website))
			}
		}
		if !missing(row.Name) {
			k := dupKey{foldWord(foldSpace(row.Group)), normName(row.Name), foldWord(foldSpace(row.Purpose)), foldWord(foldSpace(row.Location))}
			if prevLine, dup := first[k]; dup {
				report(row, Error, "duplicate sub-processor %s: same name, purpose and location as line %d", quote(row.Name), prevLine)
			} else {
				first[k] = row.Line
			}
		}
	}
	return out
}

// validateLocation reports unknown locations and transfers without a
// mechanism.
func validateLocation(row Row, label string, locs locations, report func(Row, Severity, string, ...any)) {
	codes, unknown := locs.parse(row.Location)
	if len(unknown) > 0 {
		report(row, Warning, `%s: unknown location %s: name countries (e.g. "Germany", "United States"), "EU" or "EEA"`,
			label, quote(strings.Join(unknown, ", ")))
	}
	if mechanismGiven(row.TransferMechanism) {
		return
	}
	var third []string
	us := false
	for _, c := range codes {
		switch {
		case InEEA(c) || Adequate(c):
		case c == "US":
			us = true
		default:
			third = append(third, locationName(c))
		}
	}
	if len(third) > 0 {
		report(row, Warning, "%s: processing in %s, outside the EEA and without an adequacy decision, but no transfer mechanism is given (e.g. SCCs)",
			label, strings.Join(third, ", "))
	}
	if us {
		report(row, Warning, "%s: processing in the United States, but no transfer mechanism is given: name the EU-U.S. Data Privacy Framework (if the recipient is certified) or SCCs",
			label)
	}
}

func locationName(code string) string {
	if code == RegionWorld {
		return "any country (worldwide)"
	}
	if n := CountryName(code); n != "" {
		return n
	}
	return code
}

func quote(s string) string { return strconv.Quote(s) }

// sortProblems orders problems by line, keeping the order of problems on
// one line.
func sortProblems(ps []Problem) {
	slices.SortStableFunc(ps, func(a, b Problem) int { return a.Line - b.Line })
}
