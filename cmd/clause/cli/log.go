package cli

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/clause-portal/clause/generator/api"
	"github.com/clause-portal/clause/generator/portal"
	"github.com/clause-portal/clause/internal/termsafe"
)

// LogOptions are the flags of clause log.
type LogOptions struct {
	Repo     string
	Content  string
	Document string
	JSON     bool
	Quiet    bool
	HistoryFlags
}

func newLogCmd(streams *IO, runF func(*LogOptions) error) *cobra.Command {
	opts := &LogOptions{}
	cmd := &cobra.Command{
		Use:   "log [DOC]",
		Short: "List the published versions of a document, or of all documents",
		Long: `Log prints the versions of a document as the portal publishes them: one per
commit on the first-parent history that changed its text, renames followed,
newest first. DOC is a document id ("dpa"), its path ("content/dpa.md") or a
former id from before a rename. Without DOC, every document is listed.

With --json the output is the same objects as the portal's
/api/documents.json: one document object with DOC, the whole
{"generated", "documents"} value without. Log reads history only; it does
not render the site.`,
		Example: `  clause log dpa
  clause log --json > documents.json
  clause log content/subprocessors.md --json`,
		Args: usageArgs(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Document = args[0]
			}
			if runF != nil {
				return runF(opts)
			}
			return logRun(cmd, streams, opts)
		},
	}
	addSourceFlags(cmd, &opts.Repo, &opts.Content)
	addHistoryFlags(cmd, &opts.HistoryFlags)
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON (the objects of /api/documents.json)")
	cmd.Flags().BoolVarP(&opts.Quiet, "quiet", "q", false, "no progress output")
	return cmd
}

func logRun(cmd *cobra.Command, streams *IO, opts *LogOptions) (err error) {
	// Messages may quote content or a server's reply: escaped for the
	// terminal (see termsafe).
	defer func() { err = termsafe.Error(err) }()
	c, err := loadCatalog(cmd, streams, opts.Repo, opts.Content, opts.Quiet, opts.HistoryFlags)
	if err != nil {
		return err
	}
	defer c.Close()
	entries := c.Entries
	if opts.Document != "" {
		e, err := c.Find(opts.Document)
		if err != nil {
			return usageError{err}
		}
		entries = []*portal.Entry{e}
	}
	if opts.JSON {
		var v any = portal.Documents(c)
		if opts.Document != "" {
			v = portal.DocumentJSON(c, entries[0])
		}
		// Written as encoded, element by element: the history of a long
		// repository is megabytes of JSON.
		return api.Write(streams.Out, v)
	}
	for i, e := range entries {
		if i > 0 {
			fmt.Fprintln(streams.Out)
		}
		printLog(streams.Out, c, e)
	}
	return nil
}

// printLog prints one document's versions as a table.
func printLog(w io.Writer, c *portal.Catalog, e *portal.Entry) {
	state := ""
	switch {
	case e.Retired:
		state = " (retired)"
	case e.Uncommitted && len(e.Versions) > 0:
		state = " (uncommitted changes)"
	}
	fmt.Fprintf(w, "%s — %s%s\n", termsafe.Line(e.ID), termsafe.Line(e.Doc.Title), state)
	fmt.Fprintf(w, "%s, %s\n", termsafe.Line(e.Doc.Path), plural(len(e.Versions), "version"))
	if len(e.Versions) == 0 {
		if c.Head == nil {
			fmt.Fprintln(w, "(no git history read)")
		} else {
			fmt.Fprintln(w, "(not committed yet)")
		}
		return
	}
	loc := c.Config.Location
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PUBLISHED\tVERSION\tCOMMIT\tCHANGE\tEFFECTIVE\tSTATUS\tSUMMARY")
	for i, v := range e.Versions {
		kind := "material"
		if !v.Material {
			kind = "minor"
		}
		eff := v.Effective.String()
		if eff == "" {
			eff = "-"
		}
		status := e.Status(i, c.Today, loc)
		fmt.Fprintf(tw, "%s\t%s\t%.7s\t%s\t%s\t%s\t%s\n", v.Date.In(loc).Format("2006-01-02 15:04 MST"), termsafe.Line(v.ID), v.Commit, kind, eff, status, oneLine(v.Subject))
	}
	tw.Flush()
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// oneLine prints s (a commit subject, from content) in one table cell:
// white space folded, at most 72 characters, control characters escaped
// (see termsafe) so that a subject cannot drive the terminal.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 72 {
		s = string(r[:69]) + "..."
	}
	return termsafe.Line(s)
}
