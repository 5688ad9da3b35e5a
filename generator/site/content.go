package site

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/clause-portal/clause/generator/document"
)

// DisplayDate is how dates are shown to readers: "23 November 2026".
const DisplayDate = "2 January 2006"

func hugoConfig(s *Site, opts Options) map[string]any {
	lang := s.LanguageCode
	if lang == "" {
		lang = "en"
	}
	kinds := make([]map[string]string, 0, len(document.Kinds))
	for _, k := range document.Kinds {
		kinds = append(kinds, map[string]string{"kind": string(k), "label": k.Label()})
	}
	loc := location(s)
	clauseParams := map[string]any{
		"kinds":             kinds,
		"description":       s.Description,
		"generated":         s.Generated.In(loc).Format(time.RFC3339),
		"generated_display": s.Generated.In(loc).Format(DisplayDate + " 15:04 MST"),
	}
	if s.Head != nil {
		clauseParams["head"] = s.Head.Hash
		clauseParams["head_short"] = s.Head.Short
	}
	baseURL := s.BaseURL
	if baseURL == "" {
		baseURL = "/"
	}
	cfg := map[string]any{
		"baseURL":    baseURL,
		"title":      s.Title,
		"locale":     lang,
		"theme":      "clause",
		"publishDir": opts.PublishDir,
		"timeZone":   loc.String(),
		// Dates come from git and effective dates never hide a page: the
		// text in force stays published (Hugo's buildFuture trap).
		"buildFuture":                true,
		"buildExpired":               true,
		"buildDrafts":                false,
		"enableRobotsTXT":            true,
		"disableHugoGeneratorInject": true,
		"disableKinds":               []string{"taxonomy", "term", "section", "rss"},
		"outputs": map[string]any{
			"home": []string{"html"},
			"page": []string{"html"},
		},
		"markup": map[string]any{
			"goldmark": map[string]any{"renderer": map[string]any{"unsafe": false}},
		},
		"params": map[string]any{"clause": clauseParams},
		"security": map[string]any{
			// Content files are HTML that Clause rendered itself from the
			// markdown with raw HTML disabled; nothing else is content.
			"allowContent": []string{"^text/html$"},
			"exec":         map[string]any{"allow": []string{"^$"}},
			"http":         map[string]any{"urls": []string{"^$"}},
		},
	}
	if isDir(opts.LayoutsDir) {
		cfg["layoutDir"] = opts.LayoutsDir
	}
	if isDir(opts.StaticDir) {
		cfg["staticDir"] = opts.StaticDir
	}
	if isDir(opts.AssetsDir) {
		cfg["assetDir"] = opts.AssetsDir
	}
	return cfg
}

func location(s *Site) *time.Location {
	if s.Location == nil {
		return time.UTC
	}
	return s.Location
}

// writeContent writes one Hugo content file per page: JSON front matter
// computed by Clause (never the user's front matter, so no user value can
// set Hugo's url, outputs, cascade or build options) and the body as HTML
// rendered by generator/markdown.
func writeContent(dir string, s *Site) error {
	loc := location(s)
	today := document.DateOf(s.Generated.In(loc))
	for i, p := range s.Pages {
		params := map[string]any{
			"id":         p.ID,
			"source":     p.Source,
			"kind":       string(p.Kind),
			"kind_label": p.Kind.Label(),
			"summary":    p.Summary,
			"language":   p.Language,
		}
		toc := make([]map[string]any, 0, len(p.TOC))
		for _, h := range p.TOC {
			if h.Level < 2 || h.Level > 3 {
				continue
			}
			toc = append(toc, map[string]any{"id": h.ID, "number": h.Number, "text": h.Text, "level": h.Level})
		}
		if len(toc) > 1 {
			params["toc"] = toc
		}
		fm := map[string]any{
			"title": p.Title,
			"url":   "/" + p.ID + "/",
		}
		if p.Updated != nil {
			t := p.Updated.Time.In(loc)
			u := map[string]any{"datetime": t.Format(time.RFC3339), "display": t.Format(DisplayDate)}
			if c := p.Updated.Commit; c != nil {
				u["commit"] = map[string]any{"hash": c.Hash, "short": c.Short, "url": c.URL}
			}
			params["updated"] = u
			fm["lastmod"] = t.Format(time.RFC3339)
			fm["date"] = t.Format(time.RFC3339)
		}
		if !p.Effective.IsZero() {
			params["effective"] = map[string]any{
				"date":     p.Effective.String(),
				"display":  p.Effective.Time(time.UTC).Format(DisplayDate),
				"upcoming": p.Effective.After(today),
			}
		}
		if p.DatesNote != "" {
			params["dates_note"] = p.DatesNote
		}
		params["uncommitted"] = p.Uncommitted
		fm["params"] = map[string]any{"clause": params}
		if len(p.Aliases) > 0 {
			fm["aliases"] = p.Aliases
		}
		b, err := json.MarshalIndent(fm, "", "  ")
		if err != nil {
			return err
		}
		b = append(b, '\n')
		b = append(b, p.HTML...)
		name := filepath.Join(dir, "documents", fmt.Sprintf("%05d.html", i))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(name, b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func writeJSON(name string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(name, b, 0o644)
}
