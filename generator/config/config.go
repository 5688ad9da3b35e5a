// Package config reads the optional clause.toml at the root of a portal
// repository. Every setting has a default, so a repository without the file
// builds as it is.
package config

import (
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/gobwas/glob"
	"golang.org/x/text/language"

	"github.com/clause-portal/clause/generator/document"
	"github.com/clause-portal/clause/internal/readcap"
)

// FileName is the name of the configuration file at the repository root.
const FileName = "clause.toml"

// Config is the portal configuration.
type Config struct {
	// Title is the portal's name, shown in the header and the page titles.
	// Default: "Legal".
	Title string `toml:"title"`
	// Description is an introduction shown on the index page.
	Description string `toml:"description"`
	// BaseURL is the absolute URL the portal is served from. The --base-url
	// flag and Netlify's URL variable override it.
	BaseURL string `toml:"base_url"`
	// TimeZone is the IANA zone dates are shown in. Default: "UTC".
	TimeZone string `toml:"time_zone"`
	// Language is the default language of the documents. Default: "en".
	Language string `toml:"language"`
	// BindingLanguage is the language whose text of a document is legally
	// binding, shown on every translation; a document's `binding: true`
	// front matter wins. Default: none named.
	BindingLanguage string `toml:"binding_language"`
	// RepoURL is the web address of the repository (https://github.com/o/r),
	// used to link each "Last updated" date to its commit. Netlify's
	// REPOSITORY_URL is used when it is not set.
	RepoURL string `toml:"repo_url"`
	// Branch is the published branch whose first-parent history gives the
	// versions. Default: the checked-out HEAD.
	Branch string `toml:"branch"`
	// Content is the content folder, relative to the repository, when the
	// --content flag does not give it. Default: "content" if it exists,
	// else the folder Clause detects (the repository root when it holds
	// markdown documents).
	Content string `toml:"content"`
	// Include, when set, limits the documents to the files below the
	// content folder that match one of these globs ("policies/**",
	// "*.md"); `**` matches any number of folders. It also brings back a
	// repository file left out by default (README, LICENSE…). Files and
	// folders starting with "." or "_" are never published.
	Include []string `toml:"include"`
	// Exclude leaves out the files that match one of these globs (relative
	// to the content folder), after Include.
	Exclude []string `toml:"exclude"`
	// Subprocessors are the settings of sub-processor lists.
	Subprocessors Subprocessors `toml:"subprocessors"`
	// Subscribe tells readers how to get notices of changes besides the
	// feeds: the "Stay informed" block of the portal's pages.
	Subscribe Subscribe `toml:"subscribe"`

	// Location is TimeZone, loaded.
	Location *time.Location `toml:"-"`
	// Path is the file the configuration was read from, if any.
	Path string `toml:"-"`

	set map[string]bool // the top-level keys clause.toml sets
}

// Subscribe are the [subscribe] settings: how readers sign up for notices
// of changes (clause notify sends them), shown with the feeds on every
// page. All optional.
type Subscribe struct {
	// Email is an address readers write to for email notices
	// ("dpo@acme.example"); the portal links it with mailto:.
	Email string `toml:"email"`
	// URL is a sign-up form for email or webhook notices: an absolute
	// http(s) URL.
	URL string `toml:"url"`
	// Text is a sentence shown with them ("Customers' DPOs are notified of
	// every material change by email.").
	Text string `toml:"text"`
}

// IsSet reports whether clause.toml sets a top-level key ("title"), as
// opposed to its default applying.
func (c *Config) IsSet(key string) bool { return c.set[key] }

// Default returns the configuration used when there is no clause.toml.
func Default() *Config {
	return &Config{Title: "Legal", TimeZone: "UTC", Language: "en", Location: time.UTC}
}

// Load reads dir/clause.toml if it exists and returns the configuration
// with defaults filled in. Errors name the file and line.
func Load(dir string) (*Config, error) {
	c := Default()
	p := filepath.Join(dir, FileName)
	b, err := readcap.ReadFile(p, readcap.Config)
	if errors.Is(err, os.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return nil, err
	}
	c.Path = FileName
	md, err := toml.Decode(string(b), c)
	if err != nil {
		var perr toml.ParseError
		if errors.As(err, &perr) {
			return nil, &document.Error{Path: FileName, Line: perr.Position.Line, Msg: perr.Message, Err: err}
		}
		return nil, &document.Error{Path: FileName, Msg: err.Error(), Err: err}
	}
	c.set = map[string]bool{}
	for _, k := range md.Keys() {
		if len(k) > 0 {
			c.set[k[0]] = true
		}
	}
	if undecoded := md.Undecoded(); len(undecoded) > 0 {
		keys := make([]string, len(undecoded))
		for i, k := range undecoded {
			keys[i] = k.String()
		}
		sort.Strings(keys)
		return nil, &document.Error{Path: FileName, Line: lineOfKey(string(b), undecoded[0].String()),
			Msg: fmt.Sprintf("unknown setting %s (known: title, description, base_url, time_zone, language, repo_url, branch, content, include, exclude, subprocessors.columns, subscribe.email, subscribe.url, subscribe.text)", strings.Join(keys, ", "))}
	}
	if err := checkColumns(c.Subprocessors.Columns, string(b)); err != nil {
		return nil, err
	}
	for _, key := range []string{"include", "exclude"} {
		list := c.Include
		if key == "exclude" {
			list = c.Exclude
		}
		for _, g := range list {
			if err := CheckGlob(g); err != nil {
				return nil, &document.Error{Path: FileName, Line: lineOfKey(string(b), key), Msg: fmt.Sprintf("%s: %v", key, err)}
			}
		}
	}
	if err := CheckBaseURL(c.BaseURL); err != nil {
		return nil, &document.Error{Path: FileName, Line: lineOfKey(string(b), "base_url"), Msg: "base_url: " + err.Error(), Err: err}
	}
	if err := c.Subscribe.check(); err != nil {
		return nil, &document.Error{Path: FileName, Line: lineOfKey(string(b), "subscribe."+err.key), Msg: "[subscribe] " + err.Error(), Err: err.err}
	}
	if c.Title == "" {
		c.Title = "Legal"
	}
	if c.TimeZone == "" {
		c.TimeZone = "UTC"
	}
	loc, err := time.LoadLocation(c.TimeZone)
	if err != nil {
		return nil, &document.Error{Path: FileName, Line: lineOfKey(string(b), "time_zone"),
			Msg: fmt.Sprintf("unknown time zone %q: use an IANA name such as Europe/Dublin or UTC", c.TimeZone)}
	}
	c.Location = loc
	if c.Language == "" {
		c.Language = "en"
	}
	// The languages become URL paths (/de/changelog/) and attributes:
	// only BCP 47 tags, in their canonical form.
	for _, f := range []struct {
		key string
		v   *string
	}{{"language", &c.Language}, {"binding_language", &c.BindingLanguage}} {
		if *f.v == "" {
			continue
		}
		tag, err := language.Parse(*f.v)
		if err != nil {
			return nil, &document.Error{Path: FileName, Line: lineOfKey(string(b), f.key),
				Msg: fmt.Sprintf("%s %q is not a BCP 47 language tag (e.g. en, de, pt-BR)", f.key, *f.v), Err: err}
		}
		*f.v = tag.String()
	}
	return c, nil
}

func lineOfKey(src, key string) int {
	for i, l := range strings.Split(src, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), key) {
			return i + 1
		}
	}
	if i := strings.LastIndexByte(key, '.'); i >= 0 { // a key in a [table]
		return lineOfKey(src, key[i+1:])
	}
	return 0
}

// ErrBaseURL is the error of a base URL that is not an absolute http(s)
// URL.
var ErrBaseURL = errors.New("the base URL must be an absolute http:// or https:// URL")

// CheckBaseURL reports whether u can be the portal's base URL: empty (none
// set), or an absolute http:// or https:// URL with a host and without user
// information. Anything else (javascript:, data:, a relative path) would end
// up in the feeds' and the notices' links.
func CheckBaseURL(u string) error {
	if u == "" {
		return nil
	}
	p, err := url.Parse(u)
	switch {
	case err != nil:
		return fmt.Errorf("%w: %q does not parse", ErrBaseURL, u)
	case !strings.EqualFold(p.Scheme, "http") && !strings.EqualFold(p.Scheme, "https"):
		return fmt.Errorf("%w, not %q", ErrBaseURL, u)
	case p.Host == "" || p.Opaque != "":
		return fmt.Errorf("%w with a host name, not %q", ErrBaseURL, u)
	case p.User != nil:
		return fmt.Errorf("%w without user information, not %q", ErrBaseURL, u)
	}
	return nil
}

// ErrSubscribe is the error of a [subscribe] setting that cannot be linked.
var ErrSubscribe = errors.New("not a usable link")

type subscribeError struct {
	key string
	err error
}

func (e *subscribeError) Error() string { return e.key + ": " + e.err.Error() }

// check reports a sign-up URL that is not an absolute http(s) URL, or an
// email setting that is not a bare address: both are put in links.
func (s *Subscribe) check() *subscribeError {
	s.Email, s.URL, s.Text = strings.TrimSpace(s.Email), strings.TrimSpace(s.URL), strings.TrimSpace(s.Text)
	if s.URL != "" {
		if err := CheckBaseURL(s.URL); err != nil {
			return &subscribeError{"url", fmt.Errorf("%w: the sign-up form must be an absolute http:// or https:// URL with a host, not %q", ErrSubscribe, s.URL)}
		}
	}
	if s.Email != "" {
		a, err := mail.ParseAddress(s.Email)
		if err != nil || a.Name != "" || a.Address != s.Email || strings.ContainsAny(s.Email, "?&/:") {
			return &subscribeError{"email", fmt.Errorf("%w: %q is not an email address (write it bare: dpo@acme.example)", ErrSubscribe, s.Email)}
		}
	}
	return nil
}

// CommitURL returns a link to a commit on the repository host, or "" when
// the host is not known. GitHub, GitLab, Bitbucket, Codeberg/Gitea and
// Azure DevOps are recognised.
func CommitURL(repoURL, hash string) string {
	u := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSpace(repoURL), "/"), ".git")
	if u == "" || hash == "" {
		return ""
	}
	if strings.HasPrefix(u, "git@") { // git@github.com:owner/repo
		u = "https://" + strings.Replace(strings.TrimPrefix(u, "git@"), ":", "/", 1)
	}
	if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
		return ""
	}
	switch {
	case strings.Contains(u, "gitlab"):
		return u + "/-/commit/" + hash
	case strings.Contains(u, "bitbucket.org"):
		return u + "/commits/" + hash
	case strings.Contains(u, "dev.azure.com"):
		return u + "/commit/" + hash
	}
	return u + "/commit/" + hash
}

// CheckGlob reports whether g is a usable include/exclude pattern: a glob
// relative to the content folder, with "/" between folders.
func CheckGlob(g string) error {
	switch {
	case strings.TrimSpace(g) == "":
		return errors.New("empty pattern")
	case strings.HasPrefix(g, "/") || strings.Contains(g, "\\"):
		return fmt.Errorf("pattern %q must be relative to the content folder, with / between folders", g)
	}
	_, err := glob.Compile(g, '/')
	if err != nil {
		return fmt.Errorf("pattern %q: %v", g, err)
	}
	return nil
}

// Globs compiles include or exclude patterns checked by Load. A file path
// (relative to the content folder) matches when any pattern matches it.
func Globs(patterns []string) func(rel string) bool {
	var gs []glob.Glob
	for _, p := range patterns {
		if g, err := glob.Compile(p, '/'); err == nil {
			gs = append(gs, g)
		}
	}
	return func(rel string) bool {
		for _, g := range gs {
			if g.Match(rel) {
				return true
			}
		}
		return false
	}
}
