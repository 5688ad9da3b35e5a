package notify

import (
	"bytes"
	"fmt"
	htmltemplate "html/template"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/textproto"
	"net/url"
	"sort"
	"strings"
	texttemplate "text/template"
	"time"
)

// emailView is what the email templates render. Every string in it is
// untrusted (from content) and single-line; html/template escapes it.
type emailView struct {
	PortalTitle string
	Heading     string
	Sender      string
	Notices     []noticeView
}

type noticeView struct {
	Key, Title, Published, Subject, Summary, Effective string
	URL, DiffURL, DocumentURL                          string
	Retired                                            bool
	Sub                                                *subView
	Language                                           string
	Translations                                       []translationView
}

type translationView struct {
	Language, Title, URL string
}

type subView struct {
	Added, Removed, Changed []string
	Deadline                string
	NoticeDays              int
}

func (e *Email) view(batch []Notice) emailView {
	v := emailView{PortalTitle: e.portalTitle, Sender: e.from.Address}
	if e.from.Name != "" {
		v.Sender = oneLine(e.from.Name)
	}
	switch {
	case len(batch) == 1 && batch[0].Retired:
		v.Heading = "Retired: " + batch[0].title()
	case len(batch) == 1:
		v.Heading = "New version: " + batch[0].title()
	default:
		v.Heading = fmt.Sprintf("%d legal document updates", len(batch))
	}
	for _, n := range batch {
		nv := noticeView{
			Key: n.Key(), Title: n.title(), Published: n.publishedTime(), Subject: oneLine(n.Subject),
			Summary: oneLine(n.Summary), Effective: oneLine(n.Effective),
			URL: n.URL, DiffURL: n.DiffURL, DocumentURL: n.DocumentURL, Retired: n.Retired,
			Language: oneLine(n.Language),
		}
		for _, t := range n.Translations {
			nv.Translations = append(nv.Translations, translationView{Language: oneLine(t.Language), Title: oneLine(t.Title), URL: t.URL})
		}
		if nv.DocumentURL == nv.URL {
			nv.DocumentURL = ""
		}
		if sp := n.Subprocessors; sp != nil {
			nv.Sub = &subView{
				Added: lines(sp.Added), Removed: lines(sp.Removed), Changed: lines(sp.Changed),
				Deadline: oneLine(sp.ObjectionDeadline), NoticeDays: sp.NoticeDays,
			}
		}
		v.Notices = append(v.Notices, nv)
	}
	return v
}

func lines(items []string) []string {
	out := make([]string, 0, len(items))
	for _, s := range items {
		if s = oneLine(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

var textTemplate = texttemplate.Must(texttemplate.New("text").Parse(`
{{- with .PortalTitle}}{{.}}
{{end}}{{.Heading}}
{{range .Notices}}
{{.Title}}{{if .Retired}} (retired){{end}}
{{if .Retired}}{{with .Published}}Retired: {{.}}
{{end}}{{else}}{{with .Published}}Published: {{.}}
{{end}}{{end}}{{with .Subject}}Change: {{.}}
{{end}}{{with .Summary}}What changed: {{.}}
{{end}}{{with .Effective}}Takes effect: {{.}}
{{end}}{{with .Sub}}{{with .Added}}New sub-processors:
{{range .}}  - {{.}}
{{end}}{{end}}{{with .Removed}}Sub-processors no longer used:
{{range .}}  - {{.}}
{{end}}{{end}}{{with .Changed}}Changed sub-processors:
{{range .}}  - {{.}}
{{end}}{{end}}{{if .Deadline}}Objection deadline: {{.Deadline}}{{if .NoticeDays}} ({{.NoticeDays}} days' notice){{end}}
{{end}}{{end}}
{{if .Retired}}Read the retired document: {{.URL}}{{else}}Read this version: {{.URL}}{{end}}
{{with .DiffURL}}See what changed: {{.}}
{{end}}{{with .DocumentURL}}Current text: {{.}}
{{end}}{{with .Translations}}Also in:
{{range .}}  - {{.Title}} ({{.Language}}): {{.URL}}
{{end}}{{end}}{{end}}
--
Sent by {{.Sender}} to announce changes of the documents above.
`))

var htmlTemplate = htmltemplate.Must(htmltemplate.New("html").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Heading}}</title>
</head>
<body style="margin:0;padding:24px;background:#ffffff;color:#1a1a1a;font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;font-size:16px;line-height:1.5">
{{with .PortalTitle}}<p style="margin:0 0 4px;color:#555555;font-size:14px">{{.}}</p>
{{end}}<h1 style="margin:0 0 16px;font-size:22px">{{.Heading}}</h1>
{{range $n := .Notices}}<div style="border-top:1px solid #dddddd;padding:16px 0">
<h2 style="margin:0 0 4px;font-size:18px"><a href="{{.URL}}"{{with .Language}} lang="{{.}}"{{end}} style="color:#0b57d0">{{.Title}}</a>{{if .Retired}} (retired){{end}}</h2>
{{with .Published}}<p style="margin:0 0 8px;color:#555555;font-size:14px">{{if $n.Retired}}Retired{{else}}Published{{end}} {{.}}</p>
{{end}}{{with .Subject}}<p style="margin:0 0 8px">{{.}}</p>
{{end}}<table role="presentation" style="border-collapse:collapse;margin:0 0 8px">
{{with .Summary}}<tr><th style="text-align:left;vertical-align:top;padding:2px 12px 2px 0;font-weight:600">What changed</th><td style="padding:2px 0">{{.}}</td></tr>
{{end}}{{with .Effective}}<tr><th style="text-align:left;vertical-align:top;padding:2px 12px 2px 0;font-weight:600">Takes effect</th><td style="padding:2px 0">{{.}}</td></tr>
{{end}}{{with .Sub}}{{with .Added}}<tr><th style="text-align:left;vertical-align:top;padding:2px 12px 2px 0;font-weight:600">New sub-processors</th><td style="padding:2px 0">{{range .}}{{.}}<br>{{end}}</td></tr>
{{end}}{{with .Removed}}<tr><th style="text-align:left;vertical-align:top;padding:2px 12px 2px 0;font-weight:600">No longer used</th><td style="padding:2px 0">{{range .}}{{.}}<br>{{end}}</td></tr>
{{end}}{{with .Changed}}<tr><th style="text-align:left;vertical-align:top;padding:2px 12px 2px 0;font-weight:600">Changed</th><td style="padding:2px 0">{{range .}}{{.}}<br>{{end}}</td></tr>
{{end}}{{if .Deadline}}<tr><th style="text-align:left;vertical-align:top;padding:2px 12px 2px 0;font-weight:600">Objection deadline</th><td style="padding:2px 0"><strong>{{.Deadline}}</strong>{{if .NoticeDays}} ({{.NoticeDays}} days' notice){{end}}</td></tr>
{{end}}{{end}}</table>
<p style="margin:0"><a href="{{.URL}}" style="color:#0b57d0">{{if .Retired}}Read the retired document{{else}}Read this version{{end}}</a>{{with .DiffURL}} · <a href="{{.}}" style="color:#0b57d0">See what changed</a>{{end}}{{with .DocumentURL}} · <a href="{{.}}" style="color:#0b57d0">Current text</a>{{end}}</p>
{{with .Translations}}<p style="margin:8px 0 0">Also in: {{range $i, $t := .}}{{if $i}} · {{end}}<a href="{{$t.URL}}" hreflang="{{$t.Language}}" lang="{{$t.Language}}" style="color:#0b57d0">{{$t.Title}}</a> ({{$t.Language}}){{end}}</p>
{{end}}</div>
{{end}}<p style="margin:16px 0 0;color:#777777;font-size:12px">Sent by {{.Sender}} to announce changes of the documents above.</p>
</body>
</html>
`))

// compose builds the RFC 5322 message announcing batch.
func (e *Email) compose(batch []Notice, now time.Time) ([]byte, error) {
	view := e.view(batch)
	var text, html bytes.Buffer
	if err := textTemplate.Execute(&text, view); err != nil {
		return nil, fmt.Errorf("email text: %w", err)
	}
	if err := htmlTemplate.Execute(&html, view); err != nil {
		return nil, fmt.Errorf("email html: %w", err)
	}

	var b bytes.Buffer
	from := e.from.String()
	writeHeader(&b, "From", from)
	writeHeader(&b, "To", from)
	writeHeader(&b, "Subject", mime.QEncoding.Encode("utf-8", e.Subject(batch)))
	writeHeader(&b, "Date", now.Format(time.RFC1123Z))
	writeHeader(&b, "Message-ID", e.MessageID(batch))
	if len(batch) > 1 {
		// A digest refers to the message each of its notices has on its
		// own, so that a reader (or a filter) who got a notice before, in
		// an email whose delivery was not recorded, can tell.
		var refs []string
		for _, n := range batch {
			refs = append(refs, e.MessageID([]Notice{n}))
		}
		writeHeader(&b, "References", strings.Join(refs, " "))
	}
	writeHeader(&b, "X-Clause-Notice-Ids", noticeIDsHeader(batch))
	writeHeader(&b, "MIME-Version", "1.0")
	writeHeader(&b, "Auto-Submitted", "auto-generated")
	writeHeader(&b, "X-Auto-Response-Suppress", "All")
	mw := multipart.NewWriter(&b)
	writeHeader(&b, "Content-Type", mime.FormatMediaType("multipart/alternative", map[string]string{"boundary": mw.Boundary()}))
	b.WriteString("\r\n")
	for _, p := range []struct {
		ctype string
		body  []byte
	}{{"text/plain; charset=utf-8", text.Bytes()}, {"text/html; charset=utf-8", html.Bytes()}} {
		w, err := mw.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {p.ctype},
			"Content-Transfer-Encoding": {"quoted-printable"},
		})
		if err != nil {
			return nil, err
		}
		qp := quotedprintable.NewWriter(w)
		if _, err := qp.Write(p.body); err != nil {
			return nil, err
		}
		if err := qp.Close(); err != nil {
			return nil, err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// MessageID returns the Message-ID of the email announcing batch: derived
// from the channel's name and the keys of the notices it contains, in key
// order, so that it is the same on every retry and rerun of the same
// notices and receivers can drop a duplicate. An email of one notice has
// the notice's own id; a digest, which has an id of its own, lists those
// of its notices in its References header (and their keys in
// X-Clause-Notice-Ids), so that a digest re-sent with a further version is
// recognisable too.
func (e *Email) MessageID(batch []Notice) string {
	domain := e.from.Address[strings.LastIndexByte(e.from.Address, '@')+1:]
	return "<" + deliveryID(e.name, sortedByKey(batch)) + ".clause-notify@" + domain + ">"
}

// sortedByKey returns the notices in key order.
func sortedByKey(batch []Notice) []Notice {
	out := append([]Notice(nil), batch...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Key() < out[j].Key() })
	return out
}

// noticeIDsHeader lists the keys of batch for the X-Clause-Notice-Ids
// header, in key order, each percent-encoded to stay printable ASCII.
func noticeIDsHeader(batch []Notice) string {
	var keys []string
	for _, n := range sortedByKey(batch) {
		keys = append(keys, url.PathEscape(n.Key()))
	}
	return strings.Join(keys, ", ")
}

// writeHeader writes one header field, folded at spaces to keep lines
// within 78 characters where the value allows it: the first word stays on
// the name's line, which a 75-character encoded-word then makes longer
// (still far below the 998-character limit). value must be ASCII
// (MIME-encoded) and free of line breaks; runs of spaces become one.
func writeHeader(b *bytes.Buffer, name, value string) {
	b.WriteString(name + ":")
	width := len(name) + 1
	for _, word := range strings.Split(value, " ") {
		if word == "" {
			continue
		}
		if width+1+len(word) > 78 && width > len(name)+1 {
			b.WriteString("\r\n")
			width = 0
		}
		b.WriteString(" " + word)
		width += 1 + len(word)
	}
	b.WriteString("\r\n")
}
