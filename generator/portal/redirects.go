package portal

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// MovedPath is where the build writes the map of former document URLs to
// current ones, which the portal's 404 page reads to forward deeper paths
// (a version, a comparison) on hosts without redirect rules.
const MovedPath = "api/moved.json"

// moved maps the URL of each former ID of a renamed document to the URL of
// its current ID ("/security-old/" → "/security/"), below the base URL's
// path and escaped as in links.
// A former ID that is some document's ID again is left out: its pages are
// real.
func (c *Catalog) moved() map[string]string {
	current := map[string]bool{}
	for _, e := range c.Entries {
		current[strings.ToLower(e.ID)] = true
	}
	base := c.linker().basePath
	out := map[string]string{}
	for _, e := range c.Entries {
		for _, old := range e.OldIDs {
			if !current[strings.ToLower(old)] {
				out[escapePath(base+DocumentURL(old))] = escapePath(base + DocumentURL(e.ID))
			}
		}
	}
	return out
}

// writeRedirects sends every page a renamed document ever had under a
// former ID to the same page under its current ID, with one rule per
// former ID instead of one redirect page per page: a splat rule in
// _redirects (Netlify, Cloudflare Pages), after the repository's own rules
// from static/_redirects, and the map in MovedPath for the 404 page's
// script on other hosts. The former document URL itself keeps its HTML
// redirect page (an alias), for every host. And it sends the comparisons
// of two versions that earlier releases published as pages of their own
// (/ID/compare/FROM/TO/) to the document's compare page, with one rule per
// document (see compareRedirects).
func writeRedirects(stage string, c *Catalog) error {
	moved := c.moved()
	olds := make([]string, 0, len(moved))
	for old := range moved {
		olds = append(olds, old)
	}
	// Deeper former URLs first: the first rule that matches wins.
	sort.Slice(olds, func(i, j int) bool {
		if len(olds[i]) != len(olds[j]) {
			return len(olds[i]) > len(olds[j])
		}
		return olds[i] < olds[j]
	})
	compares := c.compareRedirects()
	if len(olds) > 0 || len(compares) > 0 {
		var b strings.Builder
		p := filepath.Join(stage, "_redirects")
		if own, err := os.ReadFile(p); err == nil {
			b.Write(own)
			if len(own) > 0 && own[len(own)-1] != '\n' {
				b.WriteByte('\n')
			}
		} else if !os.IsNotExist(err) {
			return err
		}
		if len(olds) > 0 {
			b.WriteString("# Written by Clause: the pages of renamed documents under their former names.\n")
			for _, old := range olds {
				fmt.Fprintf(&b, "%s* %s:splat 301\n", old, moved[old])
			}
		}
		if len(compares) > 0 {
			b.WriteString("# Written by Clause: comparisons of two versions that earlier releases published as pages, on the compare page.\n")
			for _, rule := range compares {
				b.WriteString(rule + "\n")
			}
		}
		if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
			return err
		}
	}
	data, err := json.Marshal(struct {
		Moved map[string]string `json:"moved"`
	}{moved})
	if err != nil {
		return err
	}
	p := filepath.Join(stage, filepath.FromSlash(MovedPath))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, append(data, '\n'), 0o644)
}

// compareRedirects are the _redirects rules that send /ID/compare/FROM/TO/
// (CompareURL) to ComparePageURL(ID)?from=FROM&to=TO, one per document
// with two versions or more; the 404 page's script does the same on hosts
// without rules.
func (c *Catalog) compareRedirects() []string {
	base := c.linker().basePath
	var out []string
	for _, e := range c.Entries {
		if len(e.Versions) < 2 {
			continue
		}
		page := escapePath(base + ComparePageURL(e.ID))
		out = append(out, fmt.Sprintf("%s:from/:to/ %s?from=:from&to=:to 301", page, page))
	}
	return out
}
