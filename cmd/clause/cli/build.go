package cli

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/clause-portal/clause/generator/history"
	"github.com/clause-portal/clause/generator/portal"
	"github.com/clause-portal/clause/generator/site"
)

// BuildOptions are the flags of clause build.
type BuildOptions struct {
	Repo         string
	Content      string
	Out          string
	Force        bool
	BaseURL      string
	AllowShallow bool
	NoGit        bool
	HistoryFlags
	Quiet bool
}

// addSourceFlags registers the flags every command that reads a portal
// repository shares.
func addSourceFlags(cmd *cobra.Command, repo, content *string) {
	cmd.Flags().StringVar(repo, "repo", ".", "portal repository `folder`")
	cmd.Flags().StringVar(content, "content", "", "content `folder`, relative to --repo (default: content in clause.toml, else content/ if it exists, else detected: the repository root when it holds documents)")
}

// HistoryFlags are the flags of the commands that read git history.
type HistoryFlags struct {
	NoCache  bool
	CacheDir string
	NoFetch  bool
}

// options are the flags as the portal takes them; the cache folder is
// --cache-dir, else $CLAUSE_CACHE_DIR, else "" (the repository's
// .git/clause/).
func (f HistoryFlags) options(streams *IO) portal.HistoryOptions {
	o := portal.HistoryOptions{NoCache: f.NoCache, CacheDir: f.CacheDir, NoFetch: f.NoFetch}
	if o.CacheDir == "" {
		o.CacheDir = streams.Getenv("CLAUSE_CACHE_DIR")
	}
	return o
}

// addHistoryFlags registers --no-cache, --cache-dir and --no-fetch.
func addHistoryFlags(cmd *cobra.Command, f *HistoryFlags) {
	cmd.Flags().BoolVar(&f.NoCache, "no-cache", false, "read the whole history from git, without the history cache in .git/"+history.CacheFolder+"/")
	cmd.Flags().StringVar(&f.CacheDir, "cache-dir", "", "keep the history cache in `folder` instead (default $CLAUSE_CACHE_DIR, else .git/"+history.CacheFolder+"/)")
	cmd.Flags().BoolVar(&f.NoFetch, "no-fetch", false, "in a partial (blobless) clone, fail instead of having git fetch the missing past versions")
}

func newBuildCmd(streams *IO, runF func(*BuildOptions) error) *cobra.Command {
	opts := &BuildOptions{}
	cmd := &cobra.Command{
		Use:   "build",
		Short: "Build the portal into the output folder",
		Long: `Build reads every markdown document under the content folder, takes each
document's "Last updated" date from the first-parent git history of HEAD,
and renders the portal with the default theme (overridden by layouts/ in the
repository). The site is built in a temporary folder and swapped into place
only when the whole build succeeded: a failed build leaves the previous
output untouched.

A shallow clone is refused, because its history is incomplete and dates
would be wrong: run 'git fetch --unshallow', or clone with full depth on the
build host (GitHub Actions: fetch-depth: 0).`,
		Example: `  clause build
  clause build --repo ../legal --out /tmp/site --base-url https://legal.example.com/
  clause build --no-git   # a folder that is not a git repository`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return buildRun(cmd, streams, opts)
		},
	}
	addSourceFlags(cmd, &opts.Repo, &opts.Content)
	cmd.Flags().StringVar(&opts.Out, "out", "public", "output `folder`, relative to --repo unless absolute")
	cmd.Flags().StringVar(&opts.BaseURL, "base-url", "", "absolute `URL` the portal is served from (default: clause.toml base_url, or $URL on Netlify)")
	cmd.Flags().BoolVar(&opts.AllowShallow, "allow-shallow", false, "build a shallow clone anyway, with dates from file modification times")
	cmd.Flags().BoolVar(&opts.NoGit, "no-git", false, "do not read git history; dates from file modification times")
	addHistoryFlags(cmd, &opts.HistoryFlags)
	cmd.Flags().BoolVarP(&opts.Quiet, "quiet", "q", false, "print only warnings and errors (no progress, no summary line)")
	cmd.Flags().BoolVar(&opts.Force, "force", false, "replace the output folder even if Clause did not write it (it lacks "+portal.OutputMarker+")")
	return cmd
}

func buildRun(cmd *cobra.Command, streams *IO, opts *BuildOptions) error {
	start := time.Now()
	// Hugo's start in clause-render overlaps with reading history.
	site.StartRenderer()
	defer site.StopRenderer()
	po := portal.Options{
		Repo:           opts.Repo,
		Content:        opts.Content,
		Out:            opts.Out,
		BaseURL:        opts.BaseURL,
		AllowShallow:   opts.AllowShallow,
		NoGit:          opts.NoGit,
		Force:          opts.Force,
		HistoryOptions: opts.HistoryFlags.options(streams),
		Env:            streams.Getenv,
		Log:            streams.ErrOut,
	}
	if streams.IsTerminal && !opts.Quiet {
		po.Progress = streams.ErrOut
	}
	res, err := portal.Build(cmd.Context(), po)
	if err != nil {
		return err
	}
	if opts.Quiet {
		return nil
	}
	out := res.Out
	if r, err := filepath.Rel(mustAbs(opts.Repo), out); err == nil && !filepath.IsAbs(r) && r[0] != '.' {
		out = r
	}
	from := fmt.Sprintf("%d commits of history", res.Commits)
	if res.DatesFromFiles {
		from = "dates from file modification times"
	}
	if res.PagesReused > 0 {
		from += fmt.Sprintf("; %d of %d archived pages from the cache", res.PagesReused, res.PagesReused+res.PagesRendered)
	}
	fmt.Fprintf(streams.Out, "Built %d documents (%s) into %s in %s\n", res.Documents, from, out, time.Since(start).Round(time.Millisecond))
	return nil
}

// loadCatalog reads the portal's documents and history for the commands
// that do not build, with progress on a terminal unless quiet.
func loadCatalog(cmd *cobra.Command, streams *IO, repo, content string, quiet bool, hf HistoryFlags) (*portal.Catalog, error) {
	lo := portal.LoadOptions{Repo: repo, Content: content, HistoryOptions: hf.options(streams), Log: streams.ErrOut}
	if streams.IsTerminal && !quiet {
		lo.Progress = streams.ErrOut
	}
	return portal.Load(cmd.Context(), lo)
}

func mustAbs(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	return a
}
