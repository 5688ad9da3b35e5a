// Package feed writes the portal's change feeds: Atom (RFC 4287) and JSON
// Feed 1.1. Each entry is one published version of a document, so a feed
// reader is a way for controllers to be told of changes without
// subscribing to anything else.
package feed

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html/template"
	"slices"
	"strings"
	"time"
)

// Feed is a list of entries, newest first.
type Feed struct {
	// ID is the feed's permanent identifier (an IRI).
	ID string
	// Title and Subtitle describe the feed.
	Title    string
	Subtitle string
	// HomeURL is the page the feed is about; SelfURL the feed's own URL, and
	// AlternateURL the URL of the other format (JSON for Atom and back).
	// They are absolute when the portal's base URL is known, else paths.
	HomeURL string
	SelfURL string
	// Author names the publisher (Atom requires one).
	Author string
	// Language is the BCP 47 language of a feed whose entries share one
	// (a document's feed); "" for a feed of several languages.
	Language string
	// Updated is the newest entry's date, or the build time of an empty feed.
	Updated time.Time
	// Entries are newest first.
	Entries []Entry
	// Shared, if not nil, keeps each entry's HTML content for the other
	// feeds it is in (a version is in its document's feed, the site's,
	// and its language's): it is written once.
	Shared *Shared
}

// Shared keeps entries' HTML content across the feeds of one build. Its
// zero value is ready to use; it is not safe for concurrent use.
type Shared struct {
	html map[string]sharedHTML // by entry ID
}

type sharedHTML struct {
	entry Entry
	html  string
}

// content is e's HTML content, from s when it holds it for an entry equal
// to e.
func (s *Shared) content(e Entry) (string, error) {
	if s == nil {
		return e.html()
	}
	if c, ok := s.html[e.ID]; ok && c.entry.equal(e) {
		return c.html, nil
	}
	h, err := e.html()
	if err != nil {
		return "", err
	}
	if s.html == nil {
		s.html = map[string]sharedHTML{}
	}
	s.html[e.ID] = sharedHTML{entry: e, html: h}
	return h, nil
}

// equal reports whether e and o have the same fields (a test keeps this
// list complete).
func (e Entry) equal(o Entry) bool {
	return e.ID == o.ID && e.Title == o.Title && e.URL == o.URL && e.DocumentURL == o.DocumentURL && e.DiffURL == o.DiffURL &&
		e.Published.Equal(o.Published) && e.Published.Location().String() == o.Published.Location().String() &&
		e.Document == o.Document && e.Language == o.Language && e.Kind == o.Kind && e.Subject == o.Subject && e.Summary == o.Summary &&
		e.Material == o.Material && e.Effective == o.Effective && e.ObjectionDeadline == o.ObjectionDeadline && slices.Equal(e.Details, o.Details)
}

// Entry is one version of a document.
type Entry struct {
	// ID is the entry's permanent identifier: stable for a version across
	// rebuilds, rebases and moves of the portal.
	ID string
	// Title is what a reader lists: "Data Processing Agreement: 48-hour
	// breach notice".
	Title string
	// URL is the version's page; DocumentURL the document's current page;
	// DiffURL the redline against the previous version ("" if none).
	URL         string
	DocumentURL string
	DiffURL     string
	// Published is the publication date of the version.
	Published time.Time
	// Document names the document; Kind is its kind (dpa, subprocessors…).
	Document string
	// Language is the document's BCP 47 language (Atom xml:lang, JSON
	// Feed language); "" when not known.
	Language string
	Kind     string
	// Subject is the change summary; Summary the redline summary
	// ("2 clauses changed, 1 added"), if known.
	Subject string
	Summary string
	// Material reports a material change; false for a minor one (marked
	// Change-Type: minor, or changing the layout only).
	Material bool
	// Effective is the version's effective date (YYYY-MM-DD), if any;
	// ObjectionDeadline the last day to object to sub-processor changes.
	Effective         string
	ObjectionDeadline string
	// Details are extra lines for the content (e.g. sub-processor changes).
	Details []string
}

// summaryText is the plain-text summary of an entry.
func (e Entry) summaryText() string {
	var parts []string
	if e.Material {
		parts = append(parts, "Material change")
	} else {
		parts = append(parts, "Minor change")
	}
	parts = append(parts, "to "+e.Document+": "+e.Subject+".")
	if e.Summary != "" {
		parts = append(parts, e.Summary+".")
	}
	if e.Effective != "" {
		parts = append(parts, "Effective "+e.Effective+".")
	}
	if e.ObjectionDeadline != "" {
		parts = append(parts, "Objections by "+e.ObjectionDeadline+".")
	}
	return strings.Join(parts, " ")
}

var contentTemplate = template.Must(template.New("content").Parse(`<p>{{ if .Material }}<strong>Material change</strong>{{ else }}Minor change{{ end }} to <a href="{{ .DocumentURL }}">{{ .Document }}</a>: {{ .Subject }}</p>
<ul>
<li>Published: {{ .Published.Format "2006-01-02 15:04 MST" }}</li>
{{- if .Effective }}
<li>Effective: {{ .Effective }}</li>
{{- end }}
{{- if .Summary }}
<li>Changes: {{ .Summary }}</li>
{{- end }}
{{- if .ObjectionDeadline }}
<li>Objection deadline: {{ .ObjectionDeadline }}</li>
{{- end }}
{{- range .Details }}
<li>{{ . }}</li>
{{- end }}
</ul>
<p><a href="{{ .URL }}">Read this version</a>{{ if .DiffURL }} · <a href="{{ .DiffURL }}">See what changed</a>{{ end }}</p>
`))

func (e Entry) html() (string, error) {
	var b bytes.Buffer
	if err := contentTemplate.Execute(&b, e); err != nil {
		return "", err
	}
	return b.String(), nil
}

// Atom types (RFC 4287).
type atomFeed struct {
	XMLName  xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID       string      `xml:"id"`
	Title    string      `xml:"title"`
	Subtitle string      `xml:"subtitle,omitempty"`
	Updated  string      `xml:"updated"`
	Author   atomPerson  `xml:"author"`
	Links    []atomLink  `xml:"link"`
	Gen      string      `xml:"generator"`
	Entries  []atomEntry `xml:"entry"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomText struct {
	Type string `xml:"type,attr,omitempty"`
	Body string `xml:",chardata"`
}

type atomCategory struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr,omitempty"`
}

type atomEntry struct {
	Lang       string         `xml:"http://www.w3.org/XML/1998/namespace lang,attr,omitempty"`
	ID         string         `xml:"id"`
	Title      string         `xml:"title"`
	Updated    string         `xml:"updated"`
	Published  string         `xml:"published"`
	Links      []atomLink     `xml:"link"`
	Categories []atomCategory `xml:"category"`
	Summary    atomText       `xml:"summary"`
	Content    atomText       `xml:"content"`
}

// Atom encodes f as an Atom 1.0 document. altURL is the JSON Feed's URL.
func (f *Feed) Atom(altURL string) ([]byte, error) {
	af := atomFeed{
		ID:       f.ID,
		Title:    f.Title,
		Subtitle: f.Subtitle,
		Updated:  f.Updated.Format(time.RFC3339),
		Author:   atomPerson{Name: f.Author},
		Gen:      "Clause",
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: f.SelfURL},
			{Rel: "alternate", Type: "text/html", Href: f.HomeURL},
		},
	}
	if altURL != "" {
		af.Links = append(af.Links, atomLink{Rel: "alternate", Type: "application/feed+json", Href: altURL})
	}
	for _, e := range f.Entries {
		content, err := f.Shared.content(e)
		if err != nil {
			return nil, err
		}
		ae := atomEntry{
			Lang:      e.Language,
			ID:        e.ID,
			Title:     e.Title,
			Updated:   e.Published.Format(time.RFC3339),
			Published: e.Published.Format(time.RFC3339),
			Links:     []atomLink{{Rel: "alternate", Type: "text/html", Href: e.URL}},
			Categories: []atomCategory{
				{Term: materiality(e.Material), Label: strings.ToUpper(materiality(e.Material)[:1]) + materiality(e.Material)[1:] + " change"},
				{Term: "kind:" + e.Kind},
			},
			Summary: atomText{Type: "text", Body: e.summaryText()},
			Content: atomText{Type: "html", Body: content},
		}
		if e.DiffURL != "" {
			ae.Links = append(ae.Links, atomLink{Rel: "related", Type: "text/html", Href: e.DiffURL})
		}
		af.Entries = append(af.Entries, ae)
	}
	// As xml.MarshalIndent, into one buffer after the header.
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(af); err != nil {
		return nil, fmt.Errorf("encoding Atom feed: %w", err)
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

func materiality(material bool) string {
	if material {
		return "material"
	}
	return "minor"
}

// JSON Feed 1.1 types.
type jsonFeed struct {
	Version     string       `json:"version"`
	Title       string       `json:"title"`
	Language    string       `json:"language,omitempty"`
	Description string       `json:"description,omitempty"`
	HomePageURL string       `json:"home_page_url,omitempty"`
	FeedURL     string       `json:"feed_url,omitempty"`
	Authors     []jsonAuthor `json:"authors,omitempty"`
	Items       []jsonItem   `json:"items"`
}

type jsonAuthor struct {
	Name string `json:"name"`
}

type jsonItem struct {
	ID            string         `json:"id"`
	URL           string         `json:"url,omitempty"`
	ExternalURL   string         `json:"external_url,omitempty"`
	Title         string         `json:"title"`
	Language      string         `json:"language,omitempty"`
	ContentHTML   string         `json:"content_html"`
	ContentText   string         `json:"content_text"`
	Summary       string         `json:"summary"`
	DatePublished string         `json:"date_published"`
	Tags          []string       `json:"tags"`
	Clause        map[string]any `json:"_clause"`
}

// JSON encodes f as a JSON Feed 1.1 document. Clause-specific fields are in
// each item's "_clause" extension object, as the spec allows.
func (f *Feed) JSON() ([]byte, error) {
	jf := jsonFeed{
		Version:     "https://jsonfeed.org/version/1.1",
		Title:       f.Title,
		Language:    f.Language,
		Description: f.Subtitle,
		HomePageURL: f.HomeURL,
		FeedURL:     f.SelfURL,
		Authors:     []jsonAuthor{{Name: f.Author}},
		Items:       []jsonItem{},
	}
	for _, e := range f.Entries {
		content, err := f.Shared.content(e)
		if err != nil {
			return nil, err
		}
		ext := map[string]any{
			"document":     e.Document,
			"document_url": e.DocumentURL,
			"kind":         e.Kind,
			"material":     e.Material,
			"subject":      e.Subject,
			"effective":    nullable(e.Effective),
			"diff_url":     nullable(e.DiffURL),
		}
		if e.ObjectionDeadline != "" {
			ext["objection_deadline"] = e.ObjectionDeadline
		}
		jf.Items = append(jf.Items, jsonItem{
			ID:            e.ID,
			URL:           e.URL,
			Title:         e.Title,
			Language:      e.Language,
			ContentHTML:   content,
			ContentText:   e.summaryText(),
			Summary:       e.summaryText(),
			DatePublished: e.Published.Format(time.RFC3339),
			Tags:          []string{materiality(e.Material), e.Kind},
			Clause:        ext,
		})
	}
	return encodeJSONFeed(jf)
}

// encodeJSONFeed is jf as a json.Encoder indenting by two spaces writes
// it, but with its items encoded one at a time into the result: a site's
// feed of every version is tens of megabytes, which the encoder would
// hold twice more (once compact, once indented).
func encodeJSONFeed(jf jsonFeed) ([]byte, error) {
	items := jf.Items
	jf.Items = []jsonItem{}
	var head bytes.Buffer
	enc := json.NewEncoder(&head)
	enc.SetIndent("", "  ")
	if err := enc.Encode(jf); err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return head.Bytes(), nil
	}
	const empty = "\"items\": []\n}\n"
	h, ok := bytes.CutSuffix(head.Bytes(), []byte(empty))
	if !ok {
		return nil, fmt.Errorf("encoding JSON feed: unexpected end %q", head.Bytes()[max(0, head.Len()-len(empty)):])
	}
	size := len(h)
	for _, it := range items {
		size += len(it.ContentHTML)*11/10 + 1024
	}
	out := make([]byte, 0, size)
	out = append(out, h...)
	out = append(out, "\"items\": [\n"...)
	for i, it := range items {
		b, err := json.MarshalIndent(it, "    ", "  ")
		if err != nil {
			return nil, err
		}
		if i > 0 {
			out = append(out, ",\n"...)
		}
		out = append(out, "    "...)
		out = append(out, b...)
	}
	return append(out, "\n  ]\n}\n"...), nil
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Digest is a SHA-256 of every field of f and its entries (but Shared):
// two feeds with the same digest encode to the same bytes, with the same
// altURL. A test keeps it complete.
func (f *Feed) Digest(altURL string) [sha256.Size]byte {
	var b []byte
	str := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	when := func(t time.Time) { str(t.Format(time.RFC3339Nano) + " " + t.Location().String()) }
	str("clause-feed/1")
	str(altURL)
	for _, s := range []string{f.ID, f.Title, f.Subtitle, f.HomeURL, f.SelfURL, f.Author, f.Language} {
		str(s)
	}
	when(f.Updated)
	b = binary.AppendUvarint(b, uint64(len(f.Entries)))
	for _, e := range f.Entries {
		for _, s := range []string{e.ID, e.Title, e.URL, e.DocumentURL, e.DiffURL, e.Document, e.Language, e.Kind, e.Subject, e.Summary, e.Effective, e.ObjectionDeadline} {
			str(s)
		}
		when(e.Published)
		if e.Material {
			str("material")
		} else {
			str("minor")
		}
		b = binary.AppendUvarint(b, uint64(len(e.Details)))
		for _, d := range e.Details {
			str(d)
		}
	}
	return sha256.Sum256(b)
}
