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
	"_headers": true, "_redirects": true, ".well-known": true, "favicon.ico": true,
}

// loadDocuments parses every markdown file below contentDir (an absolute
// path). root is the folder paths are reported relative to. All problems
// are collected and returned together.
func loadDocuments(root, contentDir string) ([]*document.Document, error) {
	fi, err := os.Stat(contentDir)
	if err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("%w: content folder %s does not exist (set it with --content)", ErrNoContent, rel(root, contentDir))
	}
	contentRel := rel(root, contentDir)
	var docs []*document.Document
	var errs document.Errors
	err = filepath.WalkDir(contentDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if p != contentDir && (strings.HasPrefix(name, ".") || (d.IsDir() && strings.HasPrefix(name, "_"))) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() || !isMarkdown(name) {
			return nil
		}
		rp := rel(root, p)
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
		doc, err := document.Parse(rp, contentRel, src)
		if err != nil {
			errs = append(errs, asDocErrors(err)...)
			return nil
		}
		docs = append(docs, doc)
		return nil
	})
	if err != nil {
		return nil, err
	}
	errs = append(errs, checkIDs(docs)...)
	if len(errs) > 0 {
		return nil, errs
	}
	if len(docs) == 0 {
		return nil, fmt.Errorf("%w: %s has no markdown files (.md)", ErrNoContent, contentRel)
	}
	sort.Slice(docs, func(i, j int) bool { return docs[i].Path < docs[j].Path })
	return docs, nil
}

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

var unsafeSegment = regexp.MustCompile(`[^a-z0-9._-]+`)

// checkIDs makes every document ID a safe URL path and reports collisions:
// two files that differ only in case or punctuation, or a document whose
// URL would replace a file the portal itself writes.
func checkIDs(docs []*document.Document) document.Errors {
	var errs document.Errors
	seen := map[string]*document.Document{}
	for _, d := range docs {
		d.ID = sanitizeID(d.ID)
		segs := strings.Split(d.ID, "/")
		switch {
		case d.ID == "" || d.ID == ".":
			errs = append(errs, &document.Error{Path: d.Path, Msg: "would replace the portal's index page; rename the file"})
			continue
		case strings.Contains(d.ID, "//") || strings.HasPrefix(d.ID, "-") || path.Clean(d.ID) != d.ID:
			errs = append(errs, &document.Error{Path: d.Path, Msg: fmt.Sprintf("file name gives no usable URL (%q); rename it using letters, digits and hyphens", d.ID)})
			continue
		case reserved[segs[0]]:
			errs = append(errs, &document.Error{Path: d.Path, Msg: fmt.Sprintf("the URL /%s/ is reserved by the portal (%s); rename the file or its folder", d.ID, segs[0])})
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

// sanitizeID reduces each segment of a document ID to lower-case letters,
// digits, dots, underscores and hyphens ("Privacy Policy" → "privacy-policy").
func sanitizeID(id string) string {
	segs := strings.Split(id, "/")
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
