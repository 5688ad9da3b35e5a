package cli

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/clause-portal/clause/generator/portal"
	"github.com/clause-portal/clause/generator/subprocessors"
	"github.com/clause-portal/clause/internal/termsafe"
)

// InitOptions are the flags of clause init.
type InitOptions struct {
	Repo, Content string
	Force, Print  bool
}

func newInitCmd(streams *IO) *cobra.Command {
	opts := &InitOptions{}
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Look at an existing repository and write a clause.toml for it",
		Long: `Init reads the repository as it is, as clause build would: it finds the
content folder, the home page (index.md or README), the documents and their
kinds, languages and versions, the files it leaves out (README, LICENSE…),
and the sub-processor tables it cannot read. It prints what the portal would
publish, and writes what it detected to clause.toml (title, content folder,
language, repository URL, a base URL to fill in), with comments on how to
change each default. An existing clause.toml is kept unless --force.`,
		Example: `  clause init            # in the repository
  clause init --print    # show the clause.toml, write nothing`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			return initRun(cmd, streams, opts)
		},
	}
	addSourceFlags(cmd, &opts.Repo, &opts.Content)
	cmd.Flags().BoolVar(&opts.Force, "force", false, "replace an existing clause.toml")
	cmd.Flags().BoolVar(&opts.Print, "print", false, "print the clause.toml instead of writing it")
	return cmd
}

func initRun(cmd *cobra.Command, streams *IO, opts *InitOptions) error {
	d, err := portal.Detect(cmd.Context(), opts.Repo, opts.Content)
	if err != nil {
		return err
	}
	defer d.Catalog.Close()
	if opts.Print {
		fmt.Fprint(streams.Out, d.Config())
		return nil
	}
	c := d.Catalog
	w := streams.Out
	fmt.Fprintf(w, "Content folder: %s (%s)\n", d.Content, d.ContentHow)
	if c.Home != nil {
		fmt.Fprintf(w, "Home page: %s\n", c.Home.Path)
	}
	fmt.Fprintf(w, "Portal title: %s\n", termsafe.Line(c.Config.Title))
	if c.DatesNote != "" {
		fmt.Fprintf(w, "History: none (%s)\n", c.DatesNote)
	} else {
		fmt.Fprintf(w, "History: %s\n", plural(c.Commits, "commit"))
	}
	fmt.Fprintf(w, "\nThe portal would publish %s:\n", plural(len(c.Entries), "document"))
	for _, e := range c.Entries {
		state := plural(len(e.Versions), "version")
		if e.Retired {
			state += ", retired"
		}
		fmt.Fprintf(w, "  /%s/  %s (%s, %s, %s) from %s\n", e.ID, termsafe.Line(e.Doc.Title), e.Doc.Kind, e.Language, state, e.Doc.Path)
	}
	if len(c.LeftOut) > 0 {
		fmt.Fprintf(w, "\nLeft out (not legal documents): %s\n", strings.Join(c.LeftOut, ", "))
	}
	if len(c.Drafts) > 0 {
		fmt.Fprintf(w, "Not published (draft: true): %s\n", strings.Join(c.Drafts, ", "))
	}
	errs, warns := 0, 0
	for _, p := range d.Problems {
		if p.Severity == subprocessors.Warning {
			warns++
		} else {
			errs++
		}
	}
	if errs+warns > 0 {
		fmt.Fprintf(w, "\nclause check finds %s and %s: run it to see them.\n", plural(errs, "error"), plural(warns, "warning"))
	}
	p, err := d.WriteConfig(opts.Force)
	if errors.Is(err, os.ErrExist) {
		return usageError{err}
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nWrote %s. Next: set base_url in it, then run clause build (or clause serve).\n", p)
	return nil
}
