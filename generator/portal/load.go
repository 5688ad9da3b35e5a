// Package portal assembles a legal portal from a repository: it finds the
// documents under the content folder, parses them, reads their history from
// git, and publishes the rendered site atomically.
package portal

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/clause-portal/clause/generator/document"
)

// ErrNoContent is returned when the content folder is missing or holds no
// markdown documents.
var ErrNoContent = errors.New("no documents found")

// reserved are top-level URL segments the portal itself uses; a document
// there would overwrite the API, feeds or host configuration.
var reserved = map[string]bool{
	"api": true, "feeds": true, "feed": true, "feed.atom": true, "feed.json": true, "changelog": true, "assets": true, "css": true, "js": true,
	"404": true, "404.html": true, "index.html": true, "index.xml": true, "sitemap.xml": true, "robots.txt": true,
	"_headers": true, "_redirects": true, ".well-known": true, "favicon.ico": true, "favicon.svg": true,
	"manifest.json": true, "manifest.webmanifest": true, "netlify.toml": true, "vercel.json": true, "cname": true,
}

// sitemapPart matches the parts of a sitemap split past 50,000 URLs.
var sitemapPart = regexp.MustCompile(`^sitemap-\d+\.xml$`)

// isReserved reports whether the first segment of a URL path is one the
// portal writes itself, whatever its case.
func isReserved(first string) bool {
	first = strings.ToLower(first)
	return reserved[first] || sitemapPart.MatchString(first)
}

// loaded is what the content folder holds.
type loaded struct {
	docs []*document.Document
	// home is the content root's index.md, _index.md or README.md, if any.
	home *document.Document
	// leftOut are the markdown files that are not published, by default
	// (repository files, section pages with no text) or by clause.toml.
	leftOut []string
	// drafts are the documents marked `draft: true`.
	drafts []*document.Document
}

// loadDocuments parses every markdown file below contentDir (an absolute
// path) that sel publishes. root is the folder paths are reported relative
// to. All problems are collected and returned together.
//
// On errors in content (document.Errors) it returns them with what it did
// load, so that the caller can check those documents too and report every
// error at once.
func loadDocuments(root, contentDir string, sel *selector) (*loaded, error) {
	fi, err := os.Stat(contentDir)
	if err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("%w: content folder %s does not exist (set it with --content)", ErrNoContent, rel(root, contentDir))
	}
	contentRel := rel(root, contentDir)
	out := &loaded{}
	var homes []*document.Document
	var errs document.Errors
	err = filepath.WalkDir(contentDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == contentDir {
			return nil
		}
		name := d.Name()
		relToContent := filepath.ToSlash(mustRel(contentDir, p))
		if d.IsDir() {
			if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "node_modules" ||
				sel.atRoot && filepath.Dir(p) == contentDir && ignoredFolder[name] || sel.skip != "" && resolvePath(p) == sel.skip {
				return filepath.SkipDir
			}
			return nil
		}
		if !isMarkdown(name) {
			return nil
		}
		rp := rel(root, p)
		role := sel.role(relToContent, nil)
		if role == roleHidden {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			errs = append(errs, &document.Error{Path: rp, Msg: "is a symbolic link; documents must be regular files inside the content folder"})
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if info.Size() > document.MaxSize {
			errs = append(errs, &document.Error{Path: rp, Msg: fmt.Sprintf("file is %d bytes; documents are limited to %d MiB", info.Size(), document.MaxSize>>20)})
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if role == roleDocument || role == roleLeftOut {
			role = sel.role(relToContent, func() bool { return opensFrontMatter(src) })
		}
		if role == roleLeftOut {
			out.leftOut = append(out.leftOut, rp)
			return nil
		}
		doc, err := document.Parse(rp, contentRel, src)
		if err != nil {
			errs = append(errs, asDocErrors(err)...)
			return nil
		}
		switch {
		case role == roleHome:
			homes = append(homes, doc)
		case doc.Draft:
			out.drafts = append(out.drafts, doc)
		case strings.Contains(relToContent, "/") && strings.EqualFold(strings.TrimSuffix(name, path.Ext(name)), "index") && !hasText(doc.Body):
			// A folder's index.md with no text of its own: a section page
			// of the site generator the repository was written for
			// (Docusaurus' <DocCardList />), not a legal document.
			out.leftOut = append(out.leftOut, rp)
		default:
			out.docs = append(out.docs, doc)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(homes, func(i, j int) bool { return homeRank(homes[i].Path) < homeRank(homes[j].Path) })
	for i, h := range homes {
		if i == 0 {
			out.home = h
		} else if !strings.HasPrefix(path.Base(h.Path), "_") {
			out.leftOut = append(out.leftOut, h.Path)
		}
	}
	errs = append(errs, checkIDs(out.docs)...)
	if len(errs) > 0 {
		return out, errs // the documents that parsed, for further checks
	}
	if len(out.docs) == 0 {
		what := "has no markdown files (.md)"
		if len(out.leftOut) > 0 || out.home != nil || len(out.drafts) > 0 {
			what = "has no documents to publish"
		}
		return nil, fmt.Errorf("%w: %s %s", ErrNoContent, contentRel, what)
	}
	sort.Slice(out.docs, func(i, j int) bool { return out.docs[i].Path < out.docs[j].Path })
	sort.Strings(out.leftOut)
	return out, nil
}

// hasText reports whether a markdown body has any text once HTML and MDX
// tags are taken out.
func hasText(body []byte) bool {
	return strings.TrimSpace(htmlTag.ReplaceAllString(string(body), "")) != ""
}

var htmlTag = regexp.MustCompile(`<[^>]*>`)

// checkTranslations refuses two documents with the same translationKey
// and the same language (a document without one has the portal's default,
// defaultLang): readers could not tell which is the translation of which.
func checkTranslations(docs []*document.Document, defaultLang string) document.Errors {
	var errs document.Errors
	seen := map[[2]string]*document.Document{}
	for _, d := range docs {
		if d.TranslationKey == "" {
			continue
		}
		lang := firstNonEmpty(d.Language, defaultLang)
		k := [2]string{d.TranslationKey, strings.ToLower(lang)}
		if other, dup := seen[k]; dup {
			errs = append(errs, &document.Error{Path: d.Path, Line: d.FieldLine("translationKey"),
				Msg: fmt.Sprintf("translationKey %q is also used by %s, in the same language (%s): give each translation its language", d.TranslationKey, other.Path, lang)})
			continue
		}
		seen[k] = d
	}
	return errs
}

func asDocErrors(err error) document.Errors {
	var list document.Errors
	if errors.As(err, &list) {
		return list
	}
	var one *document.Error
	if errors.As(err, &one) {
		return document.Errors{one}
	}
	return document.Errors{{Msg: err.Error(), Err: err}}
}

// unsafeSegment is what a URL segment may not hold: anything but the
// letters, marks and digits of every script, dots, underscores and hyphens
// (Hugo's urlize keeps the same).
var unsafeSegment = regexp.MustCompile(`[^\p{Ll}\p{Lo}\p{Lm}\p{Lt}\p{M}\p{N}._-]+`)

// checkIDs makes every document ID a safe URL path and reports collisions:
// two files that differ only in case or punctuation, or a document whose
// URL would replace a file the portal itself writes.
func checkIDs(docs []*document.Document) document.Errors {
	var errs document.Errors
	seen := map[string]*document.Document{}
	for _, d := range docs {
		d.ID = sanitizeID(d.ID)
		if problem := idProblem(d.ID); problem != "" {
			errs = append(errs, &document.Error{Path: d.Path, Msg: problem + "; rename the file or its folder"})
			continue
		}
		if other, dup := seen[d.ID]; dup {
			errs = append(errs, &document.Error{Path: d.Path, Msg: fmt.Sprintf("has the same URL /%s/ as %s (paths may not differ only in case or punctuation)", d.ID, other.Path)})
			continue
		}
		seen[d.ID] = d
	}
	return errs
}

// idProblem says why a (sanitized) document ID cannot be a URL of the
// portal, or "" when it can: it would replace the index page, it is not a
// clean path, or a segment is one the portal itself writes (its API, feeds,
// changelog, a document's versions/ and compare/ pages, host files).
func idProblem(id string) string {
	segs := strings.Split(id, "/")
	switch {
	case id == "" || id == ".":
		return "would replace the portal's index page"
	case strings.Contains(id, "//") || strings.HasPrefix(id, "-") || path.Clean(id) != id:
		return fmt.Sprintf("gives no usable URL (%q)", id)
	case isReserved(segs[0]):
		return fmt.Sprintf("would take the URL /%s/, which the portal itself uses (%s)", id, segs[0])
	}
	for _, seg := range segs[1:] {
		if seg == "versions" || seg == "compare" {
			return fmt.Sprintf("would take the URL /%s/, where a document's %s pages are", id, seg)
		}
	}
	for _, seg := range segs {
		if strings.HasPrefix(seg, ".") || strings.HasPrefix(seg, "_") {
			return fmt.Sprintf("gives a URL segment starting with %q (/%s/)", seg[:1], id)
		}
	}
	return ""
}

// sanitizeID reduces each segment of a document ID to lower-case letters
// and digits of any script, dots, underscores and hyphens ("Privacy
// Policy" → "privacy-policy", "JA-利用規約" → "ja-利用規約"), in Unicode
// normal form C, so that a name typed on macOS (decomposed) and on Linux
// gives one URL.
func sanitizeID(id string) string {
	segs := strings.Split(strings.ToLower(norm.NFC.String(id)), "/")
	for i, s := range segs {
		segs[i] = strings.Trim(unsafeSegment.ReplaceAllString(s, "-"), "-.")
	}
	return strings.Join(segs, "/")
}

// statFile returns a file's modification time.
func statFile(p string) (time.Time, error) {
	fi, err := os.Stat(p)
	if err != nil {
		return time.Time{}, err
	}
	return fi.ModTime(), nil
}

func isMarkdown(name string) bool {
	ext := strings.ToLower(path.Ext(name))
	return ext == ".md" || ext == ".markdown"
}

// rel returns p relative to root with forward slashes, or p itself when it
// is not below root.
func rel(root, p string) string {
	r, err := filepath.Rel(root, p)
	if err != nil || strings.HasPrefix(r, "..") {
		return filepath.ToSlash(p)
	}
	return filepath.ToSlash(r)
}
