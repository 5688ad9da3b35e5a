package cli

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"sort"
	"strings"
	"text/template"

	"github.com/clause-portal/clause/generator/site"
)

// The recipes clause init --host writes: text/template files with [[ ]]
// delimiters, so that GitHub's ${{ }} expressions stay as they are.
//
//go:embed recipes
var recipeFS embed.FS

var recipeTemplates = template.Must(template.New("recipes").Delims("{%", "%}").Funcs(template.FuncMap{
	"json": func(s string) (string, error) {
		b, err := json.Marshal(s)
		return string(b), err
	},
}).ParseFS(recipeFS, "recipes/*.tmpl"))

// Hosts are the hosts clause init --host writes the files of, in the
// order they are listed.
var Hosts = []string{"netlify", "github-pages", "cloudflare-pages", "gitlab-pages", "vercel"}

// Header is an HTTP response header the portal is served with.
type Header struct{ Name, Value string }

// SecurityHeaders are the headers every recipe has its host send with
// every page: the Content-Security-Policy the portal is built to work
// under (site.ContentSecurityPolicy) and the usual hardening. This
// repository's netlify.toml sends the same (a test keeps them equal).
var SecurityHeaders = []Header{
	{"Content-Security-Policy", site.ContentSecurityPolicy},
	{"X-Content-Type-Options", "nosniff"},
	{"Referrer-Policy", "strict-origin-when-cross-origin"},
	{"Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"},
	{"Strict-Transport-Security", "max-age=31536000; includeSubDomains"},
	{"X-Frame-Options", "DENY"},
}

// recipeData is what the recipe templates read.
type recipeData struct {
	Host, HostName string
	// Version is the pinned Clause release, "v1.2.3".
	Version string
	// Branch is the published branch.
	Branch string
	// ProductionEnvironment is the name the host gives its production
	// deployments on GitHub.
	ProductionEnvironment string
	// ContentFlag is the content folder when it must be named, else "".
	ContentFlag string
	// Paths are the globs of the files a pull request review runs for.
	Paths   []string
	Headers []Header
	// CompareCSP is the policy of the compare pages (site.ComparePaths),
	// which run the redline engine as WebAssembly.
	CompareCSP string
	// ComparePaths is the pattern of those pages (site.ComparePaths).
	ComparePaths string
}

// recipeFile is one file clause init writes for a host.
type recipeFile struct {
	Path     string // slash-separated, relative to the repository
	Template string // a template name, or "" for the installer
	Mode     fs.FileMode
}

// hostFiles lists the files of host, and of the review workflow when
// review is set.
func hostFiles(host string, review bool) []recipeFile {
	files := []recipeFile{{".clause/install.sh", "", 0o755}, {".clause/.gitignore", "gitignore", 0o644}}
	notify := recipeFile{".github/workflows/clause-notify.yml", "clause-notify.yml.tmpl", 0o644}
	switch host {
	case "netlify":
		files = append(files, recipeFile{"netlify.toml", "netlify.toml.tmpl", 0o644}, notify)
	case "github-pages":
		files = append(files, recipeFile{".github/workflows/clause-pages.yml", "clause-pages.yml.tmpl", 0o644})
	case "cloudflare-pages":
		files = append(files, recipeFile{".clause/build.sh", "build.sh.tmpl", 0o755}, recipeFile{"static/_headers", "headers.tmpl", 0o644}, notify)
	case "gitlab-pages":
		files = append(files, recipeFile{".gitlab-ci.yml", "gitlab-ci.yml.tmpl", 0o644}, recipeFile{"static/_headers", "headers.tmpl", 0o644})
	case "vercel":
		files = append(files, recipeFile{".clause/build.sh", "build.sh.tmpl", 0o755}, recipeFile{"vercel.json", "vercel.json.tmpl", 0o644}, notify)
	}
	if review {
		files = append(files, recipeFile{".github/workflows/clause-review.yml", "clause-review.yml.tmpl", 0o644})
	}
	return files
}

var hostNames = map[string]string{
	"netlify": "Netlify", "github-pages": "GitHub Pages", "cloudflare-pages": "Cloudflare Pages",
	"gitlab-pages": "GitLab Pages", "vercel": "Vercel",
}

// productionEnvironments are the names the hosts give their production
// deployments in the deployment events they send GitHub.
var productionEnvironments = map[string]string{
	"netlify": "Production", "cloudflare-pages": "Production", "vercel": "Production",
}

// renderRecipes renders the files of host (and of the review workflow) for
// a repository whose content folder is content and published branch is
// branch, pinning Clause at version.
func renderRecipes(host string, review bool, version, content, branch string) (map[string][]byte, []recipeFile, error) {
	if branch == "" {
		branch = "main"
	}
	d := recipeData{Host: host, HostName: hostNames[host], Version: version, Branch: branch,
		ProductionEnvironment: productionEnvironments[host], Headers: SecurityHeaders,
		CompareCSP: site.CompareContentSecurityPolicy, ComparePaths: site.ComparePaths}
	if content != "" && content != "." && content != "content" {
		d.ContentFlag = content
	}
	if content == "" || content == "." {
		d.Paths = []string{"**.md", "clause.toml"}
	} else {
		d.Paths = []string{path.Join(content, "**"), "clause.toml"}
	}
	d.Paths = append(d.Paths, "layouts/**", "static/**")
	out := map[string][]byte{}
	files := hostFiles(host, review)
	for _, f := range files {
		var b bytes.Buffer
		switch f.Template {
		case "":
			s, err := recipeFS.ReadFile("recipes/install.sh")
			if err != nil {
				return nil, nil, err
			}
			b.Write(s)
		case "gitignore":
			b.WriteString("# Written by clause init: the Clause binary and its history cache, kept by the\n# host's build cache, not by git.\nbin/\ncache/\n")
		default:
			if err := recipeTemplates.ExecuteTemplate(&b, f.Template, d); err != nil {
				return nil, nil, err
			}
		}
		out[f.Path] = b.Bytes()
	}
	return out, files, nil
}

// writeRecipes writes the rendered files below root. Existing files are
// refused, all named at once, unless force.
func writeRecipes(root string, contents map[string][]byte, files []recipeFile, force bool) ([]string, error) {
	var exist []string
	for _, f := range files {
		if _, err := os.Lstat(filepath.Join(root, filepath.FromSlash(f.Path))); err == nil {
			exist = append(exist, f.Path)
		}
	}
	if len(exist) > 0 && !force {
		return nil, usageError{fmt.Errorf("%s already %s: pass --force to replace %s", strings.Join(exist, ", "), map[bool]string{true: "exists", false: "exist"}[len(exist) == 1], map[bool]string{true: "it", false: "them"}[len(exist) == 1])}
	}
	var written []string
	for _, f := range files {
		p := filepath.Join(root, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return written, err
		}
		if err := os.WriteFile(p, contents[f.Path], f.Mode); err != nil {
			return written, err
		}
		if err := os.Chmod(p, f.Mode); err != nil { // WriteFile keeps an existing file's mode
			return written, err
		}
		written = append(written, f.Path)
	}
	sort.Strings(written)
	return written, nil
}

var releaseVersion = regexp.MustCompile(`^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$`)

// errNoRelease is returned when the version to pin cannot be known.
var errNoRelease = errors.New("this clause is a development build, so the recipes cannot pin it: pass --clause-version with a released version (e.g. v1.2.3)")

// pinnedVersion is the release the recipes install: --clause-version, else
// the version of this clause when it is a release.
func pinnedVersion(flag string) (string, error) {
	if flag != "" {
		if !releaseVersion.MatchString(flag) {
			return "", usageError{fmt.Errorf("--clause-version %q: give a release such as v1.2.3", flag)}
		}
		return flag, nil
	}
	v := Version
	if v == "" {
		if bi, ok := debug.ReadBuildInfo(); ok {
			v = bi.Main.Version
		}
	}
	if !releaseVersion.MatchString(v) {
		return "", usageError{errNoRelease}
	}
	return v, nil
}
