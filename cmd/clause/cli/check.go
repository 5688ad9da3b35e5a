package cli

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/clause-portal/clause/generator/document"
	"github.com/clause-portal/clause/generator/portal"
	"github.com/clause-portal/clause/generator/subprocessors"
)

// CheckOptions are the flags of clause check.
type CheckOptions struct {
	Repo, Content string
	Strict        bool
	// Format is how problems are printed: text ("path:line: message" on
	// stderr), github (workflow commands on stdout) or json (one object on
	// stdout).
	Format string
	HistoryFlags
}

// errCheckFailed is returned when check found problems it has printed.
var errCheckFailed = errors.New("check failed")

func newCheckCmd(streams *IO) *cobra.Command {
	opts := &CheckOptions{}
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Lint the documents: file:line errors, non-zero exit",
		Long: `Check reads every document as clause build would and reports every problem
as "path:line: message": broken or invalid front matter, unusable or
colliding file names, sub-processor rows without name, purpose or location
(errors), and transfers outside the EEA without a transfer mechanism or
unknown countries (warnings). It exits 1 on errors (and, with --strict, on
warnings), so it fits a pull request check.

A DPA that states a notice period ("at least 30 days' notice", or
notice_days in its front matter) has its material versions not yet in force,
and its uncommitted edit, checked against it: a version that takes effect
sooner after its publication is a warning at the line of the statement. Only
this reads git history, and only when a DPA states a period; on a shallow
clone it sees the versions the clone holds, without git it is skipped.

--format github prints each problem as a GitHub Actions workflow command
(::error file=…,line=…,title=…::message, ::warning for warnings), so that it
shows on the line of the pull request's diff; --format json prints one JSON
object: {"problems": [{"path", "line", "severity", "message"}…],
"summary": {"documents", "errors", "warnings"}, "notes": […]}. The exit
code is the same in every format.`,
		Example: `  clause check
  clause check --strict --content policies
  clause check --format github     # in a GitHub Actions step: problems annotate the pull request's diff
  clause check --format json | jq '.problems[] | select(.severity == "error")'`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			switch opts.Format {
			case "text", "github", "json":
			default:
				return usageError{fmt.Errorf("--format %q: use text, github or json", opts.Format)}
			}
			return checkRun(cmd, streams, opts)
		},
	}
	addSourceFlags(cmd, &opts.Repo, &opts.Content)
	cmd.Flags().BoolVar(&opts.Strict, "strict", false, "fail on warnings too")
	cmd.Flags().StringVar(&opts.Format, "format", "text", "output `format`: text, github (workflow commands) or json")
	addHistoryFlags(cmd, &opts.HistoryFlags)
	return cmd
}

func checkRun(cmd *cobra.Command, streams *IO, opts *CheckOptions) error {
	c, err := portal.Load(cmd.Context(), portal.LoadOptions{Repo: opts.Repo, Content: opts.Content, NoGit: true})
	if err != nil && opts.Format != "text" && errors.Is(err, document.ErrContent) {
		// Errors that stop the reading (broken front matter) are
		// problems like the others in the machine formats.
		problems := contentProblems(err)
		report := checkReport{Problems: problems, Errors: len(problems)}
		if opts.Format == "github" {
			err = report.writeGitHub(streams.Out)
		} else {
			err = report.writeJSON(streams.Out)
		}
		if err != nil {
			return err
		}
		return errCheckFailed
	}
	if err != nil {
		return err
	}
	defer c.Close()
	problems, err := c.Problems()
	if err != nil {
		return err
	}
	problems = append(problems, noticeProblems(cmd, streams, opts, c)...)
	sort.SliceStable(problems, func(i, j int) bool {
		if problems[i].Path != problems[j].Path {
			return problems[i].Path < problems[j].Path
		}
		return problems[i].Line < problems[j].Line
	})
	var notes []string
	if len(c.LeftOut) > 0 {
		notes = append(notes, fmt.Sprintf("Left out (not legal documents): %s; include / exclude in clause.toml change this", strings.Join(c.LeftOut, ", ")))
	}
	if len(c.Drafts) > 0 {
		notes = append(notes, fmt.Sprintf("Not published (draft: true): %s", strings.Join(c.Drafts, ", ")))
	}
	// Deploys on Netlify get the base URL from $URL: a note, not a
	// warning that --strict would fail a pull request on.
	if u, err := c.BaseURL("", os.Getenv); err != nil {
		return err
	} else if u == "" {
		notes = append(notes, "note: "+portal.NoBaseURL)
	}
	report := checkReport{Problems: problems, Notes: notes, Documents: len(c.Entries)}
	for _, p := range problems {
		if p.Severity == subprocessors.Warning {
			report.Warnings++
		} else {
			report.Errors++
		}
	}
	switch opts.Format {
	case "github":
		err = report.writeGitHub(streams.Out)
	case "json":
		err = report.writeJSON(streams.Out)
	default:
		err = report.writeText(streams.Out, streams.ErrOut)
	}
	if err != nil {
		return err
	}
	if report.Errors > 0 || opts.Strict && report.Warnings > 0 {
		return errCheckFailed
	}
	return nil
}

// noticeProblems checks the versions of the DPAs that state a notice
// period against it (portal.Catalog.NoticeProblems). c was loaded without
// history: the history is read only when a DPA states a period, from a
// shallow clone as far as it goes; without git the check is skipped, with
// a note.
func noticeProblems(cmd *cobra.Command, streams *IO, opts *CheckOptions, c *portal.Catalog) []subprocessors.Problem {
	stated := false
	for _, e := range c.Entries {
		if _, ok := portal.NoticeStated(e); ok {
			stated = true
		}
	}
	if !stated {
		return nil
	}
	h, err := portal.Load(cmd.Context(), portal.LoadOptions{Repo: opts.Repo, Content: opts.Content, AllowShallow: true, Now: c.Now,
		HistoryOptions: opts.HistoryFlags.options(streams)})
	if err != nil {
		fmt.Fprintf(streams.ErrOut, "note: notice periods not checked against the versions: %v\n", err)
		return nil
	}
	defer h.Close()
	return h.NoticeProblems()
}
