package cli

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/clause-portal/clause/generator/portal"
	"github.com/clause-portal/clause/generator/subprocessors"
)

// CheckOptions are the flags of clause check.
type CheckOptions struct {
	Repo, Content string
	Strict        bool
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
clone it sees the versions the clone holds, without git it is skipped.`,
		Example: `  clause check
  clause check --strict --content policies`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := portal.Load(cmd.Context(), portal.LoadOptions{Repo: opts.Repo, Content: opts.Content, NoGit: true})
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
			if len(c.LeftOut) > 0 {
				fmt.Fprintf(streams.ErrOut, "Left out (not legal documents): %s; include / exclude in clause.toml change this\n", strings.Join(c.LeftOut, ", "))
			}
			if len(c.Drafts) > 0 {
				fmt.Fprintf(streams.ErrOut, "Not published (draft: true): %s\n", strings.Join(c.Drafts, ", "))
			}
			errs, warnings := 0, 0
			for _, p := range problems {
				fmt.Fprintln(streams.ErrOut, p.Error())
				if p.Severity == subprocessors.Warning {
					warnings++
				} else {
					errs++
				}
			}
			// Deploys on Netlify get the base URL from $URL: a note, not a
			// warning that --strict would fail a pull request on.
			if u, err := c.BaseURL("", os.Getenv); err != nil {
				return err
			} else if u == "" {
				fmt.Fprintln(streams.ErrOut, "note: "+portal.NoBaseURL)
			}
			fmt.Fprintf(streams.Out, "%s checked: %s, %s\n", plural(len(c.Entries), "document"), plural(errs, "error"), plural(warnings, "warning"))
			if errs > 0 || opts.Strict && warnings > 0 {
				return errCheckFailed
			}
			return nil
		},
	}
	addSourceFlags(cmd, &opts.Repo, &opts.Content)
	cmd.Flags().BoolVar(&opts.Strict, "strict", false, "fail on warnings too")
	addHistoryFlags(cmd, &opts.HistoryFlags)
	return cmd
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
