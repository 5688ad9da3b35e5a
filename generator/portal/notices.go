package portal

import (
	"errors"
	"fmt"
	"strings"

	"github.com/clause-portal/clause/generator/notify"
	"github.com/clause-portal/clause/generator/subprocessors"
)

// ErrNoBaseURL is returned when notices are asked for without an absolute
// base URL: a notification must link to the published pages.
var ErrNoBaseURL = errors.New("the portal's absolute URL is needed to link notifications to it: set base_url in clause.toml, pass --base-url, or build on Netlify ($URL)")

// Notices returns one notice per material version of every document, and
// one for each retired document (see retiredNotice), linking to the portal
// at base (an absolute URL). notify.Deliver puts them in publication order.
// A document with translations is announced once, by its source (the
// document in the default language), whose notices list the translations:
// see NoticesIn for the notices of one language.
func (c *Catalog) Notices(base string) ([]notify.Notice, error) {
	return c.NoticesIn(base, "")
}

// NoticesIn returns the notices for a subscriber who reads lang (a BCP 47
// tag; "" is Notices): those of the documents in lang, and of each
// document with no translation in lang, its notices in its own language
// (so that nothing a subscriber is owed, such as a sub-processor
// list published in one language only, is left out). Each notice keeps
// the key of its own document, so a channel's state stays its own.
func (c *Catalog) NoticesIn(base, lang string) ([]notify.Notice, error) {
	if !strings.HasPrefix(base, "https://") && !strings.HasPrefix(base, "http://") {
		return nil, ErrNoBaseURL
	}
	var out []notify.Notice
	for _, e := range c.Entries {
		newest := c.announced(e, lang)
		if newest == 0 {
			continue
		}
		translations := c.noticeTranslations(e, base)
		h, err := c.Register(e)
		if err != nil {
			return nil, err
		}
		for i := min(newest, len(e.Versions)) - 1; i >= 0; i-- {
			v := e.Versions[i]
			if !v.Material {
				continue
			}
			n := notify.Notice{
				DocumentID:        e.DocKey(),
				FormerDocumentIDs: formerKeys(e),
				DocumentTitle:     e.Doc.Title,
				Kind:              string(e.Doc.Kind),
				VersionID:         v.ID,
				Commit:            v.Commit,
				Published:         v.Date,
				Subject:           v.Subject,
				Material:          true,
				Effective:         v.Effective.String(),
				URL:               absURL(base, VersionURL(e.ID, v.ID)),
				DocumentURL:       absURL(base, DocumentURL(e.ID)),
				Language:          e.Language,
				Translations:      translations,
			}
			if i == len(e.Versions)-1 {
				n.Summary = "First published version"
			} else {
				n.DiffURL = absURL(base, ChangesURL(e.ID, v.ID))
				if n.Summary = v.Summary; n.Summary == "" {
					if n.Summary, err = c.summaryOf(e, i); err != nil {
						return nil, err
					}
				}
			}
			if h != nil && i < len(e.Versions)-1 {
				n.Subprocessors = noticeChanges(h.Changes[i], c.Deadline(e, h, i), h.NoticeDays[i])
			}
			out = append(out, n)
		}
		if n, ok := retiredNotice(e, base); ok {
			n.Language = e.Language
			out = append(out, n)
		}
	}
	return out, nil
}

// announced returns how many of e's versions, newest first, are notices
// for a subscriber of lang ("": of every language): all of them
// (len(e.Versions), or more) for a document that is not the translation
// of one in the default language (SourceOf), and in lang for a document
// in lang; none for other translations. For a source with a translation
// in lang, the versions that translation does not reflect yet (Lag): a
// subscriber of lang learns of a material change of the source the day it
// is published, in the source's language, not only once it is translated,
// and of the translated text by the translation's own notices.
func (c *Catalog) announced(e *Entry, lang string) int {
	all := len(e.Versions) + 1 // the retired notice too
	if lang != "" && strings.EqualFold(e.Language, lang) {
		return all
	}
	if c.SourceOf(e) != nil {
		return 0
	}
	if lang != "" {
		for _, t := range e.Translations {
			if !strings.EqualFold(t.Language, lang) {
				continue
			}
			if l := c.Lag(t); l != nil && l.Reflects >= 0 {
				return l.Reflects
			}
			return all // what it reflects is not known
		}
	}
	return all
}

// noticeTranslations are the current translations of e, for its notices.
func (c *Catalog) noticeTranslations(e *Entry, base string) []notify.Translation {
	var out []notify.Translation
	for _, t := range e.Translations {
		out = append(out, notify.Translation{Language: t.Language, Title: t.Doc.Title, URL: absURL(base, DocumentURL(t.ID))})
	}
	return out
}

// summaryOf computes what version i of e changed against its predecessor,
// as a build puts it in Version.Summary (see versionSummary), for when no
// build has.
func (c *Catalog) summaryOf(e *Entry, i int) (string, error) {
	v := e.Versions[i]
	if v.TooLarge() || e.Versions[i+1].TooLarge() {
		return "not compared: a version is too large", nil
	}
	a, err := c.VersionSide(e, e.Versions[i+1])
	if err != nil {
		return "", err
	}
	b, err := c.VersionSide(e, v)
	if err != nil {
		return "", err
	}
	return c.versionSummary(e, i, Compare(a, b))
}

// retiredNotice returns the notice of a retired document: a notice of its
// own kind, published by the commit that deleted the document, linking to
// its page (which stays online, marked retired). Its version id is
// "retired-" and the id of the last version, stable across rebases like
// version ids. A document that was never published (no versions) has
// none.
func retiredNotice(e *Entry, base string) (notify.Notice, bool) {
	if !e.Retired || e.RetiredAt == nil || len(e.Versions) == 0 {
		return notify.Notice{}, false
	}
	last := e.Versions[0]
	subject := e.RetiredAt.Subject
	if subject == "" {
		subject = e.RetiredAt.RawSubject
	}
	n := notify.Notice{
		DocumentID:        e.DocKey(),
		FormerDocumentIDs: formerKeys(e),
		DocumentTitle:     e.Doc.Title,
		Kind:              string(e.Doc.Kind),
		VersionID:         "retired-" + last.ID,
		Commit:            e.RetiredAt.Hash,
		Published:         e.RetiredAt.Date,
		Subject:           subject,
		Material:          true,
		Retired:           true,
		URL:               absURL(base, DocumentURL(e.ID)),
		DocumentURL:       absURL(base, DocumentURL(e.ID)),
		Summary: fmt.Sprintf("Retired: the document is withdrawn. Its last version, published %s, and its earlier versions stay online",
			last.Date.Format("2006-01-02")),
	}
	return n, true
}

func noticeChanges(ch subprocessors.Changes, deadline interface{ String() string }, days int) *notify.SubprocessorChanges {
	describe := func(r subprocessors.Row) string {
		return fmt.Sprintf("%s: %s (%s)", r.Name, r.Purpose, r.Location)
	}
	sc := &notify.SubprocessorChanges{ObjectionDeadline: deadline.String(), NoticeDays: days}
	for _, r := range ch.Added {
		sc.Added = append(sc.Added, describe(r))
	}
	for _, r := range ch.Removed {
		sc.Removed = append(sc.Removed, describe(r))
	}
	for _, rc := range ch.Changed {
		var fs []string
		for _, f := range rc.Fields {
			fs = append(fs, fmt.Sprintf("%s %q → %q", fieldLabel(f.Field), f.Old, f.New))
		}
		sc.Changed = append(sc.Changed, rc.New.Name+": "+strings.Join(fs, "; "))
	}
	return sc
}

// formerKeys are the IDs of e other than its key.
func formerKeys(e *Entry) []string {
	var out []string
	for _, id := range e.IDs() {
		if id != e.DocKey() {
			out = append(out, id)
		}
	}
	return out
}
