package portal

import (
	"time"

	"github.com/clause-portal/clause/generator/api"
)

// Documents returns the /api/documents.json value for a catalog: the same
// objects clause log --json prints.
func Documents(c *Catalog) api.Documents {
	out := api.Documents{Generated: c.Stamp().Format(time.RFC3339), Documents: make([]api.Document, 0, len(c.Entries))}
	for _, e := range c.Entries {
		out.Documents = append(out.Documents, DocumentJSON(c, e))
	}
	return out
}

// DocumentJSON returns the API object of one document.
func DocumentJSON(c *Catalog, e *Entry) api.Document {
	d := api.Document{
		ID:        e.ID,
		Key:       e.DocKey(),
		FormerIDs: e.OldIDs,
		Title:     e.Doc.Title,
		Kind:      string(e.Doc.Kind),
		Language:  e.Language,
		Path:      e.Doc.Path,
		URL:       escapePath(DocumentURL(e.ID)),
		Retired:   e.Retired,
		Versions:  make([]api.Version, 0, len(e.Versions)),
	}
	for _, t := range e.Translations {
		d.Translations = append(d.Translations, api.Translation{ID: t.ID, Language: t.Language, URL: escapePath(DocumentURL(t.ID))})
	}
	if len(e.Translations) > 0 {
		d.Binding = c.Binding(e)
	}
	if l := c.Lag(e); l != nil {
		src := l.Source
		t := &api.TranslationOf{ID: src.ID, Language: src.Language, URL: escapePath(DocumentURL(src.ID))}
		if l.Reflects >= 0 {
			t.Version = api.String(src.Versions[l.Reflects].ID)
		}
		if l.Outdated() {
			t.DiffURL = api.String(escapePath(SinceURL(src.ID, src.Versions[l.Reflects].ID)))
			d.OutdatedSince = api.String(src.Versions[l.OutdatedSince].Date.Format(time.RFC3339))
		}
		d.TranslationOf = t
	}
	if len(e.Versions) > 0 {
		last := e.Versions[0].Date.Format(time.RFC3339)
		d.LastUpdated = &last
		d.Effective = api.String(e.Versions[0].Effective.String())
	} else {
		d.Effective = api.String(e.Doc.Effective.String())
	}
	if i := e.InForce(c.Today, c.Config.Location); i >= 0 && !e.Retired {
		d.InForce = api.String(e.Versions[i].ID)
		d.InForceSince = api.String(e.Versions[i].TakesEffect(c.Config.Location).String())
	}
	var gitPath, path string // the last version's (most versions have their predecessor's)
	for i, v := range e.Versions {
		var diffURL *string
		if i+1 < len(e.Versions) {
			diffURL = api.String(escapePath(ChangesURL(e.ID, v.ID)))
		}
		if i == 0 || v.Path != gitPath {
			gitPath, path = v.Path, c.repoRelative(v.Path)
		}
		d.Versions = append(d.Versions, api.Version{
			ID:         v.ID,
			Commit:     v.Commit,
			Date:       v.Date.Format(time.RFC3339),
			Path:       path,
			Subject:    v.Subject,
			Material:   v.Material,
			LayoutOnly: v.LayoutOnly,
			Effective:  api.String(v.Effective.String()),
			SHA256:     v.SHA256,
			URL:        escapePath(VersionURL(e.ID, v.ID)),
			DiffURL:    diffURL,
		})
	}
	return d
}
