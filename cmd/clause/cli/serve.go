package cli

import (
	"github.com/spf13/cobra"

	"github.com/clause-portal/clause/generator/portal"
	"github.com/clause-portal/clause/generator/preview"
	"github.com/clause-portal/clause/generator/site"
)

// ServeOptions are the flags of clause serve.
type ServeOptions struct {
	Repo, Content string
	Addr          string
	AllowShallow  bool
	NoGit         bool
	Drafts        bool
	HistoryFlags
}

func newServeCmd(streams *IO, ready func(string)) *cobra.Command {
	opts := &ServeOptions{}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Preview the portal locally, rebuilding on every change",
		Long: `Serve builds the portal into a temporary folder and serves it on a local
address, with the same Content-Security-Policy as production. It rebuilds
when a document, layout, static file, i18n/ string, clause.toml or the git history
changes (commit to see new dates and versions), and open pages reload by
themselves. A build error is printed with its file and line, in the terminal
and above every page of the last good build, which stays served. Uncommitted
edits are shown, marked as such on the page; with --drafts, so are the
documents marked draft: true, which clause build never publishes.`,
		Example: `  clause serve
  clause serve --addr 127.0.0.1:8080 --content policies`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			site.StartRenderer() // one clause-render serves every rebuild
			defer site.StopRenderer()
			return preview.Serve(cmd.Context(), preview.Options{
				Build:   portal.Options{Repo: opts.Repo, Content: opts.Content, AllowShallow: opts.AllowShallow, NoGit: opts.NoGit, Drafts: opts.Drafts, HistoryOptions: opts.HistoryFlags.options(streams), Log: streams.ErrOut, Env: streams.Getenv},
				Addr:    opts.Addr,
				Headers: map[string]string{"Content-Security-Policy": site.ContentSecurityPolicy, "X-Content-Type-Options": "nosniff"},
				HeadersFor: func(urlPath string) map[string]string {
					return map[string]string{"Content-Security-Policy": site.ContentSecurityPolicyFor(urlPath)}
				},
				Log:   streams.ErrOut,
				Ready: ready,
			})
		},
	}
	addSourceFlags(cmd, &opts.Repo, &opts.Content)
	cmd.Flags().StringVar(&opts.Addr, "addr", "127.0.0.1:1313", "`address` to serve on")
	cmd.Flags().BoolVar(&opts.AllowShallow, "allow-shallow", false, "preview a shallow clone, with dates from file modification times")
	cmd.Flags().BoolVar(&opts.NoGit, "no-git", false, "do not read git history; dates from file modification times")
	cmd.Flags().BoolVar(&opts.Drafts, "drafts", false, "show documents marked draft: true, marked as drafts (never published by clause build)")
	addHistoryFlags(cmd, &opts.HistoryFlags)
	return cmd
}
