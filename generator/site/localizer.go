package site

import (
	"strings"
	"sync"
	"text/template"
	"time"

	"github.com/bep/golocales"
	"github.com/gohugoio/hugo/common/htime"
	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
)

// Localizer gives Go code the theme's strings in one language, from the
// same bundles Hugo reads (Strings: the user's i18n folder over the
// theme's bundle over English), with CLDR plural forms and dates written
// by the bundle's date_format, as the templates' T and time.Format do: the
// titles and texts Clause computes for a page then match its chrome.
type Localizer struct {
	lang  string
	tag   language.Tag
	strs  map[string]any
	dates htime.TimeFormatter

	mu    sync.Mutex
	cache map[string]*template.Template
}

// NewLocalizer returns the Localizer of lang (a BCP 47 tag), reading the
// user's i18n folder userDir ("" or missing for none).
func NewLocalizer(lang, userDir string) (*Localizer, error) {
	strs, _, err := Strings(lang, userDir)
	if err != nil {
		return nil, err
	}
	tag, err := language.Parse(lang)
	if err != nil {
		tag = language.English
	}
	var tr golocales.Translator
	for _, key := range []string{lang, strings.ToLower(lang), FallbackLanguage} {
		if tr = golocales.New(key); tr != nil {
			break
		}
	}
	return &Localizer{lang: lang, tag: tag, strs: strs, dates: htime.NewTimeFormatter(tr), cache: map[string]*template.Template{}}, nil
}

// Language is the Localizer's BCP 47 tag.
func (l *Localizer) Language() string { return l.lang }

// T returns the message id filled with data (its {{ .Title }}, {{ .Date
// }}…); a plural message takes its "other" form. An unknown id is
// returned as it is, as Hugo's T leaves it empty: a missing string shows.
func (l *Localizer) T(id string, data map[string]any) string {
	return l.message(id, "other", data)
}

// N returns the plural message id in the form CLDR gives n in the
// Localizer's language ("1 version", "3 versions"; Polish "2 wersje", "5
// wersji"), with data's {{ .Count }} set to n.
func (l *Localizer) N(id string, n int, data map[string]any) string {
	form := pluralForm(l.tag, n)
	d := map[string]any{"Count": n}
	for k, v := range data {
		d[k] = v
	}
	return l.message(id, form, d)
}

// Forms returns the forms of message id as written, unfilled: a plural
// message's by form ("one", "other"…), a plain one as "other"; for a
// script that fills them in the browser.
func (l *Localizer) Forms(id string) map[string]string {
	out := map[string]string{}
	switch m := l.strs[id].(type) {
	case string:
		out["other"] = m
	case map[string]any:
		for k, v := range m {
			if s, ok := v.(string); ok {
				out[k] = s
			}
		}
	}
	return out
}

// Plural returns the CLDR plural category of the integer n in the
// Localizer's language ("one", "few", "other"…).
func (l *Localizer) Plural(n int) string { return pluralForm(l.tag, n) }

// pluralForm is the CLDR plural category of the integer n in the language
// of tag: "zero", "one", "two", "few", "many" or "other".
func pluralForm(tag language.Tag, n int) string {
	switch plural.Cardinal.MatchPlural(tag, n, 0, 0, 0, 0) {
	case plural.Zero:
		return "zero"
	case plural.One:
		return "one"
	case plural.Two:
		return "two"
	case plural.Few:
		return "few"
	case plural.Many:
		return "many"
	}
	return "other"
}

// Date writes t's day the language's way, by the bundle's date_format
// ("23 November 2026", "23. November 2026", "2026年11月23日").
func (l *Localizer) Date(t time.Time) string {
	layout, _ := l.strs["date_format"].(string)
	if layout == "" {
		layout = "2 January 2006"
	}
	return l.dates.Format(t, layout)
}

// message fills the form of id (a plural message's form, else its "other"
// form; a plain message whatever the form).
func (l *Localizer) message(id, form string, data map[string]any) string {
	var text string
	switch m := l.strs[id].(type) {
	case string:
		text = m
	case map[string]any:
		s, ok := m[form].(string)
		if !ok {
			s, _ = m["other"].(string)
		}
		text = s
	default:
		return id
	}
	if !strings.Contains(text, "{{") {
		return text
	}
	key := id + "\x00" + form
	l.mu.Lock()
	tmpl, ok := l.cache[key]
	if !ok {
		var err error
		if tmpl, err = template.New(id).Option("missingkey=zero").Parse(text); err != nil {
			tmpl = nil
		}
		l.cache[key] = tmpl
	}
	l.mu.Unlock()
	if tmpl == nil {
		return text
	}
	var b strings.Builder
	if err := tmpl.Execute(&b, data); err != nil {
		return text
	}
	return b.String()
}
