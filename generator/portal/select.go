package portal

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/clause-portal/clause/generator/config"
	"github.com/clause-portal/clause/generator/document"
	"github.com/clause-portal/clause/internal/readcap"
)

// What a file below the content folder is to the portal.
type fileRole int

const (
	// roleDocument: a markdown file published as a legal document.
	roleDocument fileRole = iota
	// roleHome: the content root's index.md, _index.md or README.md, whose
	// text is the portal's home page.
	roleHome
	// roleLeftOut: a markdown file left out by default (a repository file
	// such as README or LICENSE) or by clause.toml's include / exclude.
	roleLeftOut
	// roleHidden: never published, whatever the configuration: a file or
	// folder whose name starts with "." or "_", or a file that is not
	// markdown.
	roleHidden
)

// repositoryFiles are the names (without extension, lower-cased) of the
// files that describe a repository rather than a policy: GitHub's
// community files. They are left out unless clause.toml's include names
// them or they have front matter (then they were written as pages). The
// names that are also titles of legal documents (a security overview
// named security.md, a licence agreement named license.md) are left out
// only when written in capitals, as GitHub's convention has them
// (SECURITY.md).
var repositoryFiles = map[string]bool{
	"readme": true, "contributing": true, "code_of_conduct": true, "code-of-conduct": true, "changelog": true,
	"governance": true, "funding": true, "authors": true, "contributors": true, "codeowners": true,
	"pull_request_template": true, "issue_template": true, "maintainers": true,
	// capitals only:
	"security": false, "license": false, "licence": false, "support": false, "notice": false,
}

// isRepositoryFile reports whether a file name stem is one of
// repositoryFiles, in the case that makes it one.
func isRepositoryFile(stem string) bool {
	anyCase, ok := repositoryFiles[strings.ToLower(stem)]
	return ok && (anyCase || stem == strings.ToUpper(stem))
}

// selector decides which files below the content folder are documents.
// It is the one place this is decided, for the files on disk and for the
// paths git history knows, so that a file that was never published never
// comes back as a retired document.
type selector struct {
	include, exclude func(rel string) bool
	hasInclude       bool
	key              string // names the rules, for the history cache
	skip             string // an absolute folder never read (the output folder)
	atRoot           bool   // the content folder is the repository root
}

func newSelector(cfg *config.Config) *selector {
	s := &selector{include: config.Globs(cfg.Include), exclude: config.Globs(cfg.Exclude), hasInclude: len(cfg.Include) > 0}
	s.key = "select/1\x00" + strings.Join(cfg.Include, "\x00") + "\x01" + strings.Join(cfg.Exclude, "\x00")
	return s
}

// role classifies rel, a slash-separated path relative to the content
// folder. hasFrontMatter reports whether the file opens with front
// matter; it is consulted only for repository files (README, LICENSE…),
// and may be nil when the text is not at hand (the file is then taken to
// have none).
func (s *selector) role(rel string, hasFrontMatter func() bool) fileRole {
	name := rel[strings.LastIndexByte(rel, '/')+1:]
	if !isMarkdown(name) {
		return roleHidden
	}
	stem := strings.TrimSuffix(name, path.Ext(name))
	if lower := strings.ToLower(stem); len(name) == len(rel) && (lower == "index" || lower == "_index" || lower == "readme") {
		return roleHome
	}
	if hiddenPath(rel) || strings.Contains("/"+rel, "/node_modules/") {
		return roleHidden
	}
	if s.atRoot {
		// The content folder is the repository: its tool folders (the
		// output, Hugo's, a package manager's) hold no documents.
		if i := strings.IndexByte(rel, '/'); i > 0 && ignoredFolder[rel[:i]] {
			return roleHidden
		}
	}
	if s.exclude(rel) {
		return roleLeftOut
	}
	if s.hasInclude {
		if s.include(rel) {
			return roleDocument
		}
		return roleLeftOut
	}
	if isRepositoryFile(stem) && (hasFrontMatter == nil || !hasFrontMatter()) {
		return roleLeftOut
	}
	return roleDocument
}

// homeRank orders the candidates for the home page: index.md, then
// _index.md, then README.md. The lower wins.
func homeRank(rel string) int {
	name := path.Base(rel)
	stem := strings.ToLower(strings.TrimSuffix(name, path.Ext(name)))
	switch stem {
	case "index":
		return 0
	case "_index":
		return 1
	}
	return 2
}

// opensFrontMatter reports whether a text starts with a front matter
// delimiter (after a byte order mark and blank lines).
func opensFrontMatter(src []byte) bool {
	s := strings.TrimLeft(strings.TrimPrefix(string(src[:min(len(src), 256)]), "\ufeff"), " \t\r\n")
	return strings.HasPrefix(s, "---") || strings.HasPrefix(s, "+++")
}

// ResolveContent returns the content folder (relative to root, slash
// separated) and how it was chosen: given (the --content flag), else
// clause.toml's content, else "content" when it exists, else detected: the
// repository root when it holds a document or a home page (index.md,
// README.md), else the one first-level folder holding markdown documents.
func ResolveContent(root, given string, cfg *config.Config) (folder, how string) {
	switch {
	case given != "":
		return filepath.ToSlash(given), "--content"
	case cfg != nil && cfg.Content != "":
		return filepath.ToSlash(cfg.Content), "clause.toml"
	}
	if fi, err := os.Stat(filepath.Join(root, "content")); err == nil && fi.IsDir() {
		return "content", "default"
	}
	sel := newSelector(cfg)
	if cfg == nil {
		sel = newSelector(config.Default())
	}
	entries, err := os.ReadDir(root)
	if err != nil {
		return "content", "default"
	}
	var folders []string
	for _, e := range entries {
		name := e.Name()
		switch {
		case e.Type().IsRegular() && isMarkdown(name):
			if r := sel.role(name, func() bool { return opensFrontMatter(readHead(filepath.Join(root, name))) }); r == roleDocument || r == roleHome {
				return ".", "detected"
			}
		case e.IsDir() && !strings.HasPrefix(name, ".") && !strings.HasPrefix(name, "_") && !ignoredFolder[name] && holdsMarkdown(filepath.Join(root, name), 3):
			folders = append(folders, name)
		}
	}
	if len(folders) == 1 {
		return folders[0], "detected"
	}
	for _, name := range []string{"legal", "policies", "pages", "docs"} {
		for _, f := range folders {
			if f == name {
				return f, "detected"
			}
		}
	}
	if len(folders) > 0 {
		return ".", "detected"
	}
	return "content", "default"
}

// ignoredFolder are folders that never hold a portal's documents.
var ignoredFolder = map[string]bool{"node_modules": true, "archetypes": true, "public": true, "layouts": true, "static": true, "assets": true,
	"i18n": true, "themes": true, "vendor": true, "build": true, "dist": true, "resources": true}

func readHead(p string) []byte {
	f, err := os.Open(p)
	if err != nil {
		return nil
	}
	defer f.Close()
	b := make([]byte, 256)
	n, _ := f.Read(b)
	return b[:n]
}

// holdsMarkdown reports whether dir or a folder below it (depth levels)
// holds a markdown file.
func holdsMarkdown(dir string, depth int) bool {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") || strings.HasPrefix(e.Name(), "_") {
			continue
		}
		if e.Type().IsRegular() && isMarkdown(e.Name()) {
			return true
		}
		if e.IsDir() && depth > 0 && holdsMarkdown(filepath.Join(dir, e.Name()), depth-1) {
			return true
		}
	}
	return false
}

// DescribeContent is the line build and check print about a content folder
// that was not given.
func DescribeContent(folder, how string) string {
	if how != "detected" {
		return ""
	}
	return fmt.Sprintf("Content folder: %s (detected; set it with --content or content in clause.toml)", folder)
}

// repositoryFolders are the folders of the repository Clause reads besides
// the content: the theme overrides and the user's static files.
var repositoryFolders = []string{"layouts", "static", "assets", "i18n"}

// insideRepository reports whether p, with every symbolic link on its way
// resolved, is inside the repository root and not inside its .git folder.
func insideRepository(root, p string) bool {
	realRoot := resolvePath(root)
	r := resolvePath(p)
	in := func(child, dir string) bool {
		rel, err := filepath.Rel(dir, child)
		return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
	}
	return in(r, realRoot) && !in(r, filepath.Join(realRoot, ".git"))
}

// checkSymlinksShallow checks the symbolic links of a content folder that
// is the repository root: its entries, and the folders below them that
// are not hidden (the .git folder is git's).
func checkSymlinksShallow(root string) error {
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil
	}
	var names []string
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), ".") && !ignoredFolder[e.Name()] {
			names = append(names, e.Name())
		}
	}
	return checkSymlinks(root, names...)
}

// folderCap caps the size of each file of the repository folders Clause
// reads besides the content: templates are parsed whole, static files are
// copied into every build and uploaded with every deploy.
var folderCap = map[string]int64{"layouts": readcap.Template, "i18n": readcap.Template, "static": readcap.Static, "assets": readcap.Static}

// checkSymlinks refuses symbolic links that would make the build read
// outside the repository, or read its .git folder (where a CI's
// credentials are): the folders themselves and everything below them.
// Symbolic links that stay inside the repository are followed as usual.
// It also refuses files of the folders in folderCap over their cap.
func checkSymlinks(root string, paths ...string) error {
	realRoot := resolvePath(root)
	gitDir := filepath.Join(realRoot, ".git")
	inside := func(p, dir string) bool {
		r, err := filepath.Rel(dir, p)
		return err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator))
	}
	var errs document.Errors
	check := func(p string) {
		target, err := filepath.EvalSymlinks(p)
		rp := rel(root, p)
		switch {
		case err != nil:
			errs = append(errs, &document.Error{Path: rp, Msg: "symlink that leads nowhere: remove it"})
		case !inside(target, realRoot):
			errs = append(errs, &document.Error{Path: rp, Msg: "symlink to outside the repository: Clause reads only files inside it; copy the file in instead"})
		case inside(target, gitDir):
			errs = append(errs, &document.Error{Path: rp, Msg: "symlink into .git: git's own files are never published"})
		}
	}
	for _, name := range paths {
		p := filepath.Join(root, name)
		fi, err := os.Lstat(p)
		if err != nil {
			continue
		}
		if fi.Mode()&os.ModeSymlink != 0 {
			check(p)
			continue
		}
		if !fi.IsDir() {
			continue
		}
		limit := folderCap[name]
		_ = filepath.WalkDir(p, func(q string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if d.Type()&fs.ModeSymlink != 0 {
				check(q)
			} else if fi, err := d.Info(); limit > 0 && err == nil && fi.Mode().IsRegular() && fi.Size() > limit {
				errs = append(errs, &document.Error{Path: rel(root, q), Msg: fmt.Sprintf("file is %s; files in %s/ are limited to %s", readcap.Size(fi.Size()), name, readcap.Size(limit))})
			}
			return nil
		})
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}
