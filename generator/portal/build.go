package portal

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/clause-portal/clause/generator/config"
	"github.com/clause-portal/clause/generator/document"
	"github.com/clause-portal/clause/generator/history"
	"github.com/clause-portal/clause/generator/markdown"
	"github.com/clause-portal/clause/generator/site"
)

// Options configures Build. The zero value builds the current folder's
// "content" into "public".
type Options struct {
	// Repo is the portal repository (default ".").
	Repo string
	// Content is the content folder, relative to Repo (default "content").
	Content string
	// Out is the output folder, relative to Repo unless absolute (default
	// "public").
	Out string
	// BaseURL overrides the configured base URL.
	BaseURL string
	// AllowShallow builds a shallow clone, taking dates from the files.
	AllowShallow bool
	// NoGit builds without reading git history; dates come from the files.
	NoGit bool
	// Now is the build time (default time.Now()).
	Now time.Time
	// Progress receives progress messages (e.g. a terminal); nil for none.
	Progress io.Writer
	// Log receives warnings; nil discards them.
	Log io.Writer
	// Env looks up environment variables (Netlify's URL, REPOSITORY_URL);
	// nil means none are consulted.
	Env func(string) string
}

// Result summarises a build.
type Result struct {
	// Out is the absolute output folder.
	Out string
	// Documents is the number of documents published.
	Documents int
	// Commits is the number of commits of history read (0 without git).
	Commits int
	// Head is the commit built, if any.
	Head string
	// DatesFromFiles is set when dates came from file times, not git.
	DatesFromFiles bool
}

func (o *Options) defaults() {
	if o.Repo == "" {
		o.Repo = "."
	}
	if o.Content == "" {
		o.Content = "content"
	}
	if o.Out == "" {
		o.Out = "public"
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	if o.Env == nil {
		o.Env = func(string) string { return "" }
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
}

// Build compiles the portal: it reads the documents and their history,
// renders the site into a temporary folder next to Out and, only when
// everything succeeded, swaps it into place. On any error Out is left as it
// was.
func Build(ctx context.Context, opts Options) (*Result, error) {
	opts.defaults()
	repo, err := filepath.Abs(opts.Repo)
	if err != nil {
		return nil, err
	}
	contentDir := filepath.Join(repo, filepath.FromSlash(opts.Content))
	out := opts.Out
	if !filepath.IsAbs(out) {
		out = filepath.Join(repo, filepath.FromSlash(out))
	}
	if err := checkOutDir(out, repo, contentDir); err != nil {
		return nil, err
	}
	cfg, err := config.Load(repo)
	if err != nil {
		return nil, err
	}
	docs, err := loadDocuments(repo, contentDir)
	if err != nil {
		return nil, err
	}
	res := &Result{Out: out, Documents: len(docs)}
	s := &site.Site{
		Title:        cfg.Title,
		Description:  cfg.Description,
		BaseURL:      firstNonEmpty(opts.BaseURL, cfg.BaseURL, opts.Env("URL")),
		LanguageCode: cfg.Language,
		Location:     cfg.Location,
		Generated:    opts.Now,
	}
	pages := make(map[string]*site.Page, len(docs))
	for _, d := range docs {
		p, err := page(d)
		if err != nil {
			return nil, err
		}
		pages[d.Path] = p
		s.Pages = append(s.Pages, p)
	}

	dating, err := dateFromGit(ctx, repo, contentDir, docs, pages, cfg, opts)
	if err != nil {
		return nil, err
	}
	if dating.fromFiles {
		if err := dateFromFiles(repo, docs, pages, dating.note); err != nil {
			return nil, err
		}
		res.DatesFromFiles = true
	} else {
		res.Commits, res.Head = dating.commits, dating.head.Hash
		s.Head = dating.head
	}

	stage, err := stageDir(out)
	if err != nil {
		return nil, fmt.Errorf("creating output folder: %w", err)
	}
	defer os.RemoveAll(stage) // no-op after a successful swap
	progress(opts.Progress, "Rendering %d documents…", len(docs))
	if err := site.Build(s, site.Options{
		PublishDir: stage,
		LayoutsDir: filepath.Join(repo, "layouts"),
		StaticDir:  filepath.Join(repo, "static"),
		AssetsDir:  filepath.Join(repo, "assets"),
		Log:        opts.Log,
	}); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := swap(stage, out); err != nil {
		return nil, err
	}
	return res, nil
}

// page renders a document's body and fills in what does not depend on
// history.
func page(d *document.Document) (*site.Page, error) {
	var opts []markdown.Option
	if d.TitleFromBody {
		opts = append(opts, markdown.WithoutTitle(d.Title))
	}
	r, err := markdown.Render(d.Body, opts...)
	if err != nil {
		return nil, &document.Error{Path: d.Path, Msg: err.Error(), Err: err}
	}
	return &site.Page{
		ID:        d.ID,
		Source:    d.Path,
		Title:     d.Title,
		Summary:   d.Summary,
		Kind:      d.Kind,
		Language:  d.Language,
		HTML:      r.HTML,
		TOC:       r.Headings,
		Effective: d.Effective,
		Aliases:   d.Aliases,
	}, nil
}

type dating struct {
	fromFiles bool
	note      string
	commits   int
	head      *site.Commit
}

// dateFromGit gives every page its last-updated stamp from the first-parent
// history. It reports fromFiles when git is not to be used (--no-git, or a
// shallow clone with --allow-shallow).
func dateFromGit(ctx context.Context, repo, contentDir string, docs []*document.Document, pages map[string]*site.Page, cfg *config.Config, opts Options) (dating, error) {
	if opts.NoGit {
		return dating{fromFiles: true, note: "Dates on this page come from file modification times: this portal was built without git history (--no-git)."}, nil
	}
	var hopts []history.Option
	if opts.AllowShallow {
		hopts = append(hopts, history.AllowShallow())
	}
	r, err := history.Open(repo, hopts...)
	if err != nil {
		if errors.Is(err, history.ErrNotRepository) {
			return dating{}, fmt.Errorf("%w\n(to build anyway with dates from file modification times, pass --no-git)", err)
		}
		if errors.Is(err, history.ErrShallow) {
			return dating{}, fmt.Errorf("%w\n(to build anyway with dates from file modification times, pass --allow-shallow)", err)
		}
		return dating{}, err
	}
	defer r.Close()
	if r.Shallow() {
		return dating{fromFiles: true, note: "Dates on this page come from file modification times: this portal was built from a shallow git clone (--allow-shallow), whose history is incomplete."}, nil
	}
	prefix, err := filepath.Rel(r.Root(), contentDir)
	if err != nil {
		return dating{}, err
	}
	prefix = filepath.ToSlash(prefix)
	if prefix == "." {
		prefix = ""
	}
	q := history.Query{Ref: cfg.Branch, Prefix: prefix}
	if opts.Progress != nil {
		q.Progress = func(n int) { progress(opts.Progress, "Reading history: %d commits", n) }
	}
	h, err := r.Read(ctx, q)
	if err != nil {
		return dating{}, err
	}
	repoURL := firstNonEmpty(cfg.RepoURL, opts.Env("REPOSITORY_URL"))
	commit := func(hash string) *site.Commit {
		return &site.Commit{Hash: hash, Short: hash[:7], URL: config.CommitURL(repoURL, hash)}
	}
	byPath := map[string]*history.Document{}
	for _, hd := range h.Documents {
		if !hd.Deleted {
			byPath[hd.Path] = hd
		}
	}
	for _, d := range docs {
		p := pages[d.Path]
		gitPath := filepath.ToSlash(mustRel(r.Root(), filepath.Join(repo, filepath.FromSlash(d.Path))))
		hd := byPath[gitPath]
		if hd == nil || len(hd.Versions) == 0 {
			// A new file not committed yet: preview only.
			p.Uncommitted = true
			continue
		}
		v := hd.Versions[0]
		p.Updated = &site.Stamp{Time: v.Date, Commit: commit(v.Commit)}
		sum := sha256.Sum256(d.Source)
		p.Uncommitted = hex.EncodeToString(sum[:]) != v.SHA256
	}
	return dating{commits: h.Commits, head: commit(h.Head.Hash)}, nil
}

// dateFromFiles dates pages by file modification time, saying so on the
// page.
func dateFromFiles(repo string, docs []*document.Document, pages map[string]*site.Page, note string) error {
	for _, d := range docs {
		fi, err := os.Stat(filepath.Join(repo, filepath.FromSlash(d.Path)))
		if err != nil {
			return err
		}
		p := pages[d.Path]
		p.Updated = &site.Stamp{Time: fi.ModTime()}
		p.DatesNote = note
	}
	return nil
}

func mustRel(base, p string) string {
	r, err := filepath.Rel(base, p)
	if err != nil {
		return p
	}
	return r
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

func progress(w io.Writer, format string, args ...any) {
	if w != nil {
		fmt.Fprintf(w, format+"\n", args...)
	}
}
