package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
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
	// Host names the host to write the deploy files of (see Hosts).
	Host string
	// Review writes the pull-request review workflow.
	Review bool
	// ClauseVersion is the release the recipes install (default: this
	// clause's, when it is a release).
	ClauseVersion string
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
change each default. An existing clause.toml is kept unless --force.

--host writes what the host needs to build the portal from the repository
(see docs/hosts/): a full-history clone, Clause installed at a pinned
version (.clause/install.sh: the released binary, checked against the
release's checksums, else go install), Clause kept with its history cache
between builds, the portal's security headers in the host's format, and
notifications sent after production deploys only, never from a preview or a
pull request. Hosts: netlify, github-pages, cloudflare-pages, gitlab-pages,
vercel. --review writes the pull-request review workflow for GitHub
(docs/pull-requests.md). Existing files are kept unless --force.`,
		Example: `  clause init            # in the repository
  clause init --print    # show the clause.toml, write nothing
  clause init --host netlify --review
  clause init --host gitlab-pages --clause-version v1.2.3`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			return initRun(cmd, streams, opts)
		},
	}
	addSourceFlags(cmd, &opts.Repo, &opts.Content)
	cmd.Flags().BoolVar(&opts.Force, "force", false, "replace an existing clause.toml")
	cmd.Flags().BoolVar(&opts.Print, "print", false, "print the clause.toml instead of writing it")
	cmd.Flags().StringVar(&opts.Host, "host", "", "write the deploy files of this `host`: "+strings.Join(Hosts, ", "))
	cmd.Flags().BoolVar(&opts.Review, "review", false, "write the pull-request review workflow (.github/workflows/clause-review.yml)")
	cmd.Flags().StringVar(&opts.ClauseVersion, "clause-version", "", "the Clause release the recipes install (default: this one's)")
	return cmd
}

func initRun(cmd *cobra.Command, streams *IO, opts *InitOptions) error {
	if opts.Host != "" || opts.Review {
		return initHostRun(cmd, streams, opts)
	}
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

// hostSteps is what is left to do by hand on each host once its files are
// committed.
var hostSteps = map[string]string{
	"netlify":          "Connect the repository in Netlify; netlify.toml sets the rest. Add the notify secrets to the GitHub repository (see .github/workflows/clause-notify.yml).",
	"github-pages":     "Settings → Pages → Source: GitHub Actions. Add the notify secrets (see .github/workflows/clause-pages.yml).",
	"cloudflare-pages": "In Cloudflare Pages: build command \"sh .clause/build.sh\", output folder \"public\". Set base_url in clause.toml. Add the notify secrets to the GitHub repository (see .github/workflows/clause-notify.yml).",
	"gitlab-pages":     "Add the CI/CD variables CLAUSE_STATE_TOKEN and the notify channels (see .gitlab-ci.yml).",
	"vercel":           "Import the repository in Vercel; vercel.json sets the build. Add the notify secrets to the GitHub repository (see .github/workflows/clause-notify.yml).",
}

// initHostRun writes the deploy files of --host and the review workflow
// of --review, and a clause.toml when there is none.
func initHostRun(cmd *cobra.Command, streams *IO, opts *InitOptions) error {
	if opts.Host != "" && hostNames[opts.Host] == "" {
		return usageError{fmt.Errorf("--host %q: use %s", opts.Host, strings.Join(Hosts, ", "))}
	}
	version, err := pinnedVersion(opts.ClauseVersion)
	if err != nil {
		return err
	}
	d, err := portal.Detect(cmd.Context(), opts.Repo, opts.Content)
	if err != nil {
		return err
	}
	defer d.Catalog.Close()
	contents, files, err := renderRecipes(opts.Host, opts.Review, version, d.Content, d.Catalog.Config.Branch)
	if err != nil {
		return err
	}
	if opts.Print {
		for _, f := range files {
			fmt.Fprintf(streams.Out, "==> %s <==\n%s\n", f.Path, contents[f.Path])
		}
		return nil
	}
	root, err := filepath.Abs(firstNonEmptyString(opts.Repo, "."))
	if err != nil {
		return err
	}
	written, err := writeRecipes(root, contents, files, opts.Force)
	if err != nil {
		return err
	}
	w := streams.Out
	fmt.Fprintf(w, "Content folder: %s (%s)\n", d.Content, d.ContentHow)
	if p, err := d.WriteConfig(false); err == nil {
		written = append(written, filepath.ToSlash(mustRel(root, p)))
	} else if !errors.Is(err, os.ErrExist) {
		return err
	}
	fmt.Fprintf(w, "Wrote, with Clause pinned at %s:\n", version)
	for _, p := range written {
		fmt.Fprintf(w, "  %s\n", p)
	}
	if opts.Host != "" {
		fmt.Fprintf(w, "\nNext, on %s: %s\n", hostNames[opts.Host], hostSteps[opts.Host])
	}
	if opts.Review {
		fmt.Fprintln(w, "The review workflow comments on every pull request that changes the documents (docs/pull-requests.md).")
	}
	return nil
}

func mustRel(root, p string) string {
	r, err := filepath.Rel(root, p)
	if err != nil {
		return p
	}
	return r
}

func firstNonEmptyString(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}
