// Package site is the bridge to Hugo: it turns Clause's model of a portal
// (pages with rendered bodies, dates from git) into a temporary Hugo project
// that uses the embedded default theme, lets the user's layouts/ override
// it by Hugo's normal lookup order, and builds it with hugolib.
package site

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/bep/logg"
	"github.com/gohugoio/hugo/common/loggers"
	"github.com/gohugoio/hugo/config"
	"github.com/gohugoio/hugo/config/allconfig"
	"github.com/gohugoio/hugo/deps"
	"github.com/gohugoio/hugo/hugofs"
	"github.com/gohugoio/hugo/hugolib"

	"github.com/clause-portal/clause"
	"github.com/clause-portal/clause/generator/document"
	"github.com/clause-portal/clause/generator/markdown"
)

// Site is everything the portal shows, ready to render.
type Site struct {
	// Title is the portal's name ("Northwind Ledger legal").
	Title string
	// Description is an optional introduction shown on the index page.
	Description string
	// BaseURL is the absolute URL the portal is served from ("/" when not
	// known: links are then relative to the host).
	BaseURL string
	// LanguageCode is the site's default language ("en").
	LanguageCode string
	// Location is the time zone dates are shown in.
	Location *time.Location
	// Generated is the build time.
	Generated time.Time
	// Head is the commit the portal was built from, if any.
	Head *Commit
	// Pages are the documents.
	Pages []*Page
}

// Commit names a commit for readers: full hash, short form, and a link to
// it on the repository host when one is known.
type Commit struct {
	Hash  string
	Short string
	URL   string
}

// Stamp is a point in time with the commit it comes from.
type Stamp struct {
	Time   time.Time
	Commit *Commit
}

// Page is one document's current page.
type Page struct {
	// ID is the document ID; the page is served at "/ID/".
	ID string
	// Source is the document's path in the repository.
	Source   string
	Title    string
	Summary  string
	Kind     document.Kind
	Language string
	// HTML is the rendered body.
	HTML []byte
	// TOC is the table of contents.
	TOC []markdown.Heading
	// Updated is the last-updated stamp; nil when unknown.
	Updated *Stamp
	// Effective is the effective date from front matter, if any.
	Effective document.Date
	// Aliases are extra URL paths redirecting to the page.
	Aliases []string
	// DatesNote explains where dates come from when not from git history.
	DatesNote string
	// Uncommitted marks a page whose file differs from the last commit.
	Uncommitted bool
}

// Options configures a build.
type Options struct {
	// PublishDir is the (empty or missing) folder Hugo writes the site to.
	PublishDir string
	// LayoutsDir, StaticDir and AssetsDir are the user's override folders;
	// empty or missing folders are ignored.
	LayoutsDir string
	StaticDir  string
	AssetsDir  string
	// Log receives Hugo's warnings and errors; nil discards them.
	Log io.Writer
}

// ErrRender wraps failures inside Hugo (template errors and the like).
var ErrRender = errors.New("rendering the portal failed")

// Build renders s into opts.PublishDir.
func Build(s *Site, opts Options) error {
	work, err := os.MkdirTemp("", "clause-hugo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)

	if err := writeTheme(filepath.Join(work, "themes", "clause")); err != nil {
		return fmt.Errorf("writing theme: %w", err)
	}
	if err := writeContent(filepath.Join(work, "content"), s); err != nil {
		return err
	}
	cfgFile := filepath.Join(work, "hugo.json")
	if err := writeJSON(cfgFile, hugoConfig(s, opts)); err != nil {
		return err
	}
	return runHugo(work, cfgFile, opts.Log)
}

func runHugo(work, cfgFile string, logw io.Writer) error {
	if logw == nil {
		logw = io.Discard
	}
	logger := loggers.New(loggers.Options{StdOut: logw, StdErr: logw, Level: logg.LevelWarn, DistinctLevel: logg.LevelWarn})
	flags := config.New()
	flags.Set("workingDir", work)
	res, err := allconfig.LoadConfig(allconfig.ConfigSourceDescriptor{
		Fs:          hugofs.Os,
		Filename:    cfgFile,
		Flags:       flags,
		Logger:      logger,
		Environment: "production",
		Environ:     []string{},
	})
	if err != nil {
		return fmt.Errorf("%w: loading Hugo configuration: %v", ErrRender, err)
	}
	hfs := hugofs.NewFrom(hugofs.Os, res.LoadingInfo.BaseConfig)
	sites, err := hugolib.NewHugoSites(deps.DepsCfg{Configs: res, Fs: hfs, LogLevel: logg.LevelWarn, StdErr: logw, StdOut: logw, TestLogger: logger})
	if err != nil {
		return fmt.Errorf("%w: %v", ErrRender, cleanHugoError(err, work))
	}
	defer sites.Close()
	if err := sites.Build(hugolib.BuildCfg{}); err != nil {
		return fmt.Errorf("%w: %v", ErrRender, cleanHugoError(err, work))
	}
	return nil
}

// cleanHugoError strips the temporary work folder from Hugo's messages so
// that template errors name the theme or layout file as the user knows it.
func cleanHugoError(err error, work string) string {
	msg := err.Error()
	msg = strings.ReplaceAll(msg, filepath.Join(work, "themes", "clause")+string(filepath.Separator), "themes/clause/")
	msg = strings.ReplaceAll(msg, work+string(filepath.Separator), "")
	return msg
}

func writeTheme(dst string) error {
	return fs.WalkDir(clause.Theme(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		target := filepath.Join(dst, filepath.FromSlash(p))
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := fs.ReadFile(clause.Theme(), p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
}

func isDir(p string) bool {
	if p == "" {
		return false
	}
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}
