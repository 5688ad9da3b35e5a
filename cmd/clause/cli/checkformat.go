package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/clause-portal/clause/generator/document"
	"github.com/clause-portal/clause/generator/subprocessors"
)

// checkReport is what clause check found, ready to print in any of its
// formats.
type checkReport struct {
	Problems         []subprocessors.Problem
	Notes            []string
	Documents        int
	Errors, Warnings int
}

// summary is the last line of the text format: "2 documents checked: 0
// errors, 1 warning".
func (r checkReport) summary() string {
	return fmt.Sprintf("%s checked: %s, %s", plural(r.Documents, "document"), plural(r.Errors, "error"), plural(r.Warnings, "warning"))
}

// writeText prints the notes and problems as "path:line: message" on
// errOut and the summary on out, as clause check always has.
func (r checkReport) writeText(out, errOut io.Writer) error {
	for _, n := range r.Notes {
		if !strings.HasPrefix(n, "note: ") {
			fmt.Fprintln(errOut, n)
		}
	}
	for _, p := range r.Problems {
		fmt.Fprintln(errOut, p.Error())
	}
	for _, n := range r.Notes {
		if strings.HasPrefix(n, "note: ") {
			fmt.Fprintln(errOut, n)
		}
	}
	_, err := fmt.Fprintln(out, r.summary())
	return err
}

// writeGitHub prints every problem as a GitHub Actions workflow command
// (::error or ::warning with file, line and title), which the runner turns
// into an annotation on that line of the pull request's diff, then the
// notes as ::notice commands and the summary as plain text. Everything
// goes to out: the runner reads workflow commands from standard output.
func (r checkReport) writeGitHub(out io.Writer) error {
	var b strings.Builder
	for _, p := range r.Problems {
		b.WriteString(githubCommand(p))
		b.WriteByte('\n')
	}
	for _, n := range r.Notes {
		b.WriteString("::notice title=clause check::" + escapeCommandData(strings.TrimPrefix(n, "note: ")) + "\n")
	}
	b.WriteString(r.summary() + "\n")
	_, err := io.WriteString(out, b.String())
	return err
}

// githubCommand formats p as a workflow command:
// "::error file=content/dpa.md,line=7,title=clause check::message".
// A problem of the whole file (line 0) has no line property.
func githubCommand(p subprocessors.Problem) string {
	cmd := "error"
	if p.Severity == subprocessors.Warning {
		cmd = "warning"
	}
	var props []string
	if p.Path != "" {
		props = append(props, "file="+escapeCommandProperty(p.Path))
		if p.Line > 0 {
			props = append(props, fmt.Sprintf("line=%d", p.Line))
		}
	}
	props = append(props, "title="+escapeCommandProperty("clause check"))
	return "::" + cmd + " " + strings.Join(props, ",") + "::" + escapeCommandData(p.Msg)
}

// escapeCommandData escapes the message of a workflow command as the
// runner unescapes it (actions/toolkit, command.ts escapeData): "%",
// carriage return and line feed. Without it, a line break in a message
// taken from content would end the command and could start another one.
func escapeCommandData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeCommandProperty escapes a property value of a workflow command
// (command.ts escapeProperty): as escapeCommandData, and also ":" and ","
// which would end the value.
func escapeCommandProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// checkJSON is the --format json output of clause check.
type checkJSON struct {
	Problems []checkProblemJSON `json:"problems"`
	Summary  checkSummaryJSON   `json:"summary"`
	Notes    []string           `json:"notes"`
}

type checkProblemJSON struct {
	Path string `json:"path"`
	// Line is 1-based; 0 for a problem of the whole file.
	Line     int    `json:"line"`
	Severity string `json:"severity"` // "error" or "warning"
	Message  string `json:"message"`
}

type checkSummaryJSON struct {
	Documents int `json:"documents"`
	Errors    int `json:"errors"`
	Warnings  int `json:"warnings"`
}

// writeJSON prints the report as one JSON object on out.
func (r checkReport) writeJSON(out io.Writer) error {
	j := checkJSON{
		Problems: []checkProblemJSON{},
		Summary:  checkSummaryJSON{Documents: r.Documents, Errors: r.Errors, Warnings: r.Warnings},
		Notes:    []string{},
	}
	for _, p := range r.Problems {
		sev := "error"
		if p.Severity == subprocessors.Warning {
			sev = "warning"
		}
		j.Problems = append(j.Problems, checkProblemJSON{Path: p.Path, Line: p.Line, Severity: sev, Message: p.Msg})
	}
	for _, n := range r.Notes {
		j.Notes = append(j.Notes, strings.TrimPrefix(n, "note: "))
	}
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	return enc.Encode(j)
}

// contentProblems lists the errors about content in err (a
// document.Errors, a *document.Error, a sub-processor problem, or lists of
// them) as problems; an error it cannot place is a problem with no path.
func contentProblems(err error) []subprocessors.Problem {
	switch e := err.(type) {
	case *document.Error:
		return []subprocessors.Problem{{Path: e.Path, Line: e.Line, Severity: subprocessors.Error, Msg: e.Msg}}
	case subprocessors.Problem:
		return []subprocessors.Problem{e}
	case document.Errors:
		var out []subprocessors.Problem
		for _, x := range e {
			out = append(out, contentProblems(x)...)
		}
		return out
	case interface{ Unwrap() []error }:
		var out []subprocessors.Problem
		for _, x := range e.Unwrap() {
			if x != document.ErrContent {
				out = append(out, contentProblems(x)...)
			}
		}
		if len(out) > 0 {
			return out
		}
	}
	var de *document.Error
	if errors.As(err, &de) {
		return []subprocessors.Problem{{Path: de.Path, Line: de.Line, Severity: subprocessors.Error, Msg: de.Msg}}
	}
	return []subprocessors.Problem{{Severity: subprocessors.Error, Msg: err.Error()}}
}
