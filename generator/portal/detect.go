package portal

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
	gitconfig "github.com/go-git/go-git/v5/plumbing/format/config"

	"github.com/clause-portal/clause/generator/config"
	"github.com/clause-portal/clause/generator/subprocessors"
	"github.com/clause-portal/clause/internal/readcap"
)

// Detection is what clause init finds in a repository as it is: what
// Clause would publish, and the settings that say so.
type Detection struct {
	// Catalog is the repository read as clause build would.
	Catalog *Catalog
	// Content is the content folder and how it was chosen ("detected",
	// "default", "--content", "clause.toml").
	Content, ContentHow string
	// Languages are the languages of the documents, the most used first.
	Languages []string
	// RepoURL is the web address of the origin remote, if it is on a known
	// host.
	RepoURL string
	// Problems are what clause check would report.
	Problems []subprocessors.Problem
}

// Detect reads a repository for clause init. It reads history when the
// folder is a git repository (for version counts), and the files only
// otherwise. The caller must Close d.Catalog.
func Detect(ctx context.Context, repo, content string) (*Detection, error) {
	root, err := filepath.Abs(repo)
	if err != nil {
		return nil, err
	}
	cfg, err := config.Load(root)
	if err != nil {
		return nil, err
	}
	d := &Detection{}
	d.Content, d.ContentHow = ResolveContent(root, content, cfg)
	lo := LoadOptions{Repo: root, Content: d.Content, AllowShallow: true, Out: filepath.Join(root, "public")}
	c, err := Load(ctx, lo)
	if err != nil && !errors.Is(err, ErrNoContent) && !isContentError(err) {
		lo.NoGit = true
		c, err = Load(ctx, lo)
	}
	if err != nil {
		return nil, err
	}
	d.Catalog = c
	count := map[string]int{}
	for _, e := range c.Entries {
		count[e.Language]++
	}
	for l := range count {
		d.Languages = append(d.Languages, l)
	}
	sort.Slice(d.Languages, func(i, j int) bool {
		a, b := d.Languages[i], d.Languages[j]
		return count[a] > count[b] || count[a] == count[b] && a < b
	})
	d.RepoURL = originURL(root)
	if d.Problems, err = c.Problems(); err != nil {
		c.Close()
		return nil, err
	}
	return d, nil
}

func isContentError(err error) bool {
	var list interface{ Unwrap() []error }
	return errors.As(err, &list)
}

// originURL returns the https address of the origin remote, or "". It
// reads the git configuration of the repository holding root (following
// a worktree's .git file to the common folder).
func originURL(root string) string {
	gitDir := ""
	for dir := root; ; dir = filepath.Dir(dir) {
		p := filepath.Join(dir, ".git")
		if fi, err := os.Stat(p); err == nil {
			gitDir = p
			if !fi.IsDir() {
				b, err := readcap.ReadFile(p, readcap.Small)
				if err != nil {
					return ""
				}
				gitDir = strings.TrimSpace(strings.TrimPrefix(string(b), "gitdir:"))
				if !filepath.IsAbs(gitDir) {
					gitDir = filepath.Join(dir, gitDir)
				}
				if c, err := readcap.ReadFile(filepath.Join(gitDir, "commondir"), readcap.Small); err == nil {
					gitDir = filepath.Join(gitDir, strings.TrimSpace(string(c)))
				}
			}
			break
		}
		if filepath.Dir(dir) == dir {
			return ""
		}
	}
	f, err := os.Open(filepath.Join(gitDir, "config"))
	if err != nil {
		return ""
	}
	defer f.Close()
	cfg := gitconfig.New()
	if err := gitconfig.NewDecoder(f).Decode(cfg); err != nil {
		return ""
	}
	return webURL(cfg.Section("remote").Subsection("origin").Option("url"))
}

var scpLike = regexp.MustCompile(`^(?:[\w.-]+@)?([\w.-]+):([\w./-]+?)(?:\.git)?/?$`)

// WebURL turns a clone URL into the repository's web address (see webURL).
func WebURL(cloneURL string) string { return webURL(cloneURL) }

// webURL turns a clone URL into the repository's web address:
// git@github.com:o/r.git and https://github.com/o/r.git give
// https://github.com/o/r. Local paths and unknown forms give "".
func webURL(u string) string {
	u = strings.TrimSpace(u)
	switch {
	case strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://"):
		if i := strings.Index(u, "@"); i >= 0 && i < strings.Index(u[8:], "/")+8 {
			u = u[:strings.Index(u, "//")+2] + u[i+1:] // drop credentials
		}
		return strings.TrimSuffix(strings.TrimSuffix(u, "/"), ".git")
	case strings.HasPrefix(u, "ssh://"):
		rest := strings.TrimPrefix(u, "ssh://")
		if i := strings.Index(rest, "@"); i >= 0 {
			rest = rest[i+1:]
		}
		if i := strings.Index(rest, "/"); i >= 0 {
			host := strings.Split(rest[:i], ":")[0]
			return "https://" + host + strings.TrimSuffix(strings.TrimSuffix(rest[i:], "/"), ".git")
		}
	case strings.Contains(u, ":") && !strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "file:"):
		if m := scpLike.FindStringSubmatch(u); m != nil && strings.Contains(m[1], ".") {
			return "https://" + m[1] + "/" + m[2]
		}
	}
	return ""
}

// Config returns the clause.toml that writes down what was detected, with
// comments saying why and what to change.
func (d *Detection) Config() string {
	c := d.Catalog
	var b strings.Builder
	q := func(s string) string {
		var sb strings.Builder
		_ = toml.NewEncoder(&sb).Encode(map[string]string{"v": s})
		return strings.TrimSpace(strings.TrimPrefix(sb.String(), "v = "))
	}
	b.WriteString("# clause.toml: settings of the legal portal Clause builds from this repository.\n")
	b.WriteString("# Written by `clause init` from what it found; every setting is optional.\n\n")
	fmt.Fprintf(&b, "title = %s\n", q(c.Config.Title))
	if c.Config.Description != "" {
		fmt.Fprintf(&b, "description = %s\n", q(c.Config.Description))
	}
	b.WriteString("\n# The address the portal is served from: feeds, the sitemap and notifications need it.\n")
	b.WriteString("# (On Netlify, $URL is used when this is not set.)\n")
	if c.Config.BaseURL != "" {
		fmt.Fprintf(&b, "base_url = %s\n", q(c.Config.BaseURL))
	} else {
		b.WriteString("# base_url = \"https://legal.example.com/\"\n")
	}
	b.WriteString("\n# Dates are shown in this time zone.\n")
	fmt.Fprintf(&b, "time_zone = %s\n", q(c.Config.TimeZone))
	lang := c.Config.Language
	if len(d.Languages) > 0 && !c.Config.IsSet("language") {
		lang = d.Languages[0]
	}
	fmt.Fprintf(&b, "\n# The documents' language, where their front matter does not say. Found: %s.\n", strings.Join(d.Languages, ", "))
	fmt.Fprintf(&b, "language = %s\n", q(lang))
	b.WriteString("\n# Links each \"Last updated\" date to its commit.\n")
	if url := firstNonEmpty(c.Config.RepoURL, d.RepoURL); url != "" {
		fmt.Fprintf(&b, "repo_url = %s\n", q(url))
	} else {
		b.WriteString("# repo_url = \"https://github.com/OWNER/REPOSITORY\"\n")
	}
	fmt.Fprintf(&b, "\n# The folder of the documents (%s).\n", d.ContentHow)
	fmt.Fprintf(&b, "content = %s\n", q(d.Content))
	if len(c.LeftOut) > 0 {
		b.WriteString("\n# Left out, as they are not legal documents:\n")
		for _, p := range c.LeftOut {
			fmt.Fprintf(&b, "#   %s\n", p)
		}
		b.WriteString("# Publish one anyway with include (globs relative to the content folder; include then lists\n# every document), or leave out more with exclude:\n")
	} else {
		b.WriteString("\n# Globs, relative to the content folder, of the files to publish or to leave out:\n")
	}
	if len(c.Config.Include) > 0 {
		fmt.Fprintf(&b, "include = [%s]\n", quoteList(c.Config.Include, q))
	} else {
		b.WriteString("# include = [\"**/*.md\"]\n")
	}
	if len(c.Config.Exclude) > 0 {
		fmt.Fprintf(&b, "exclude = [%s]\n", quoteList(c.Config.Exclude, q))
	} else {
		b.WriteString("# exclude = [\"drafts/**\"]\n")
	}
	if cols := c.Config.Subprocessors.Columns; len(cols) > 0 {
		b.WriteString("\n[subprocessors.columns]\n")
		keys := make([]string, 0, len(cols))
		for k := range cols {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(&b, "%s = %s\n", q(k), q(cols[k]))
		}
	} else if unread := d.unreadTables(); len(unread) > 0 {
		b.WriteString("\n# Sub-processor tables whose columns Clause could not read (see clause check):\n")
		for _, p := range unread {
			for _, line := range strings.Split(p, "\n") {
				fmt.Fprintf(&b, "# %s\n", line)
			}
		}
	} else {
		b.WriteString("\n# Column headers of sub-processor tables that Clause does not recognise, mapped to fields:\n")
		b.WriteString("# [subprocessors.columns]\n# \"Hosting Region\" = \"location\"\n")
	}
	return b.String()
}

func quoteList(list []string, q func(string) string) string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = q(s)
	}
	return strings.Join(out, ", ")
}

// unreadTables are the problems of sub-processor tables that a column
// mapping would solve.
func (d *Detection) unreadTables() []string {
	var out []string
	for _, p := range d.Problems {
		if p.Severity != subprocessors.Warning && strings.Contains(p.Msg, "[subprocessors.columns]") {
			out = append(out, p.Error())
		}
	}
	return out
}

// WriteConfig writes the detected configuration to the repository's
// clause.toml. It refuses to replace an existing one unless force.
func (d *Detection) WriteConfig(force bool) (string, error) {
	p := filepath.Join(d.Catalog.root, config.FileName)
	if _, err := os.Lstat(p); err == nil && !force {
		return p, fmt.Errorf("%w: %s exists; pass --force to replace it, or --print to see what would be written", os.ErrExist, config.FileName)
	}
	text := d.Config()
	if _, err := toml.Decode(text, &config.Config{}); err != nil {
		return p, fmt.Errorf("the detected configuration does not parse (a bug): %w", err)
	}
	tmp := p + ".tmp"
	if err := os.WriteFile(tmp, []byte(text), 0o644); err != nil {
		return p, err
	}
	return p, os.Rename(tmp, p)
}
