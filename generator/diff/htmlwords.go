package diff

import (
	"strconv"
	"strings"
)

// Words are the words a redline's HTML adds to the texts it compares, in
// the reader's language: the zero value (and a nil *Words) is English.
// Each message is written as in Clause's i18n bundles: {{ .Count }} (and
// {{ .To }}) stand for the numbers, and a message with plural forms gives
// them by CLDR category ("one", "few", "other"…), which Plural chooses.
type Words struct {
	// Unchanged is "{{ .Count }} unchanged blocks", by plural category.
	Unchanged map[string]string `json:"unchanged,omitempty"`
	// ReadInFull is "read them in the full text", of an omitted run.
	ReadInFull string `json:"read_in_full,omitempty"`
	// MovedFrom and MovedTo are "Moved from" and "Moved to", before the
	// place a moved text left or arrived.
	MovedFrom string `json:"moved_from,omitempty"`
	MovedTo   string `json:"moved_to,omitempty"`
	// Line is "line {{ .Count }}", of such a place.
	Line string `json:"line,omitempty"`
	// Table is "Table {{ .Count }}", the name of a table's scroll region.
	Table string `json:"table,omitempty"`
	// Reparagraphed is "Re-paragraphed: {{ .Count }} paragraphs → {{ .To
	// }}", by the plural category of Count.
	Reparagraphed map[string]string `json:"reparagraphed,omitempty"`
	// Plural returns the CLDR plural category of n in the reader's
	// language; nil is English's ("one" for 1, else "other").
	Plural func(n int) string `json:"-"`
}

// english are the redline's words in English.
var english = Words{
	Unchanged:     map[string]string{"one": "{{ .Count }} unchanged block", "other": "{{ .Count }} unchanged blocks"},
	ReadInFull:    "read them in the full text",
	MovedFrom:     "Moved from",
	MovedTo:       "Moved to",
	Line:          "line {{ .Count }}",
	Table:         "Table {{ .Count }}",
	Reparagraphed: map[string]string{"one": "Re-paragraphed: {{ .Count }} paragraph → {{ .To }}", "other": "Re-paragraphed: {{ .Count }} paragraphs → {{ .To }}"},
}

// word returns a message of w, else its English.
func (w *Words) word(get func(*Words) string) string {
	if w != nil {
		if s := get(w); s != "" {
			return s
		}
	}
	return get(&english)
}

// counted fills the form of n of a plural message of w (else English's),
// with to for {{ .To }}.
func (w *Words) counted(get func(*Words) map[string]string, n, to int) string {
	forms := english
	if w != nil && len(get(w)) > 0 {
		forms = *w
	}
	m := get(&forms)
	category := "other"
	switch {
	case w != nil && w.Plural != nil && len(get(w)) > 0:
		category = w.Plural(n)
	case n == 1:
		category = "one"
	}
	s, ok := m[category]
	if !ok {
		s = m["other"]
	}
	return fillCount(s, n, to)
}

// fillCount puts n and to in a message's {{ .Count }} and {{ .To }}.
func fillCount(s string, n, to int) string {
	for _, p := range [][2]string{{"{{ .Count }}", strconv.Itoa(n)}, {"{{.Count}}", strconv.Itoa(n)}, {"{{ .To }}", strconv.Itoa(to)}, {"{{.To}}", strconv.Itoa(to)}} {
		s = strings.ReplaceAll(s, p[0], p[1])
	}
	return s
}

func (w *Words) unchanged(n int) string {
	return w.counted(func(w *Words) map[string]string { return w.Unchanged }, n, 0)
}
func (w *Words) readInFull() string { return w.word(func(w *Words) string { return w.ReadInFull }) }
func (w *Words) movedFrom() string  { return w.word(func(w *Words) string { return w.MovedFrom }) }
func (w *Words) movedTo() string    { return w.word(func(w *Words) string { return w.MovedTo }) }
func (w *Words) table(n int) string {
	return fillCount(w.word(func(w *Words) string { return w.Table }), n, 0)
}

// place is where a moved text left or arrived: its label and line.
func (w *Words) place(label string, line int) string {
	l := fillCount(w.word(func(w *Words) string { return w.Line }), line, 0)
	if label == "" {
		return l
	}
	return label + ", " + l
}

// reparagraphed is the note of a re-paragraphed run of olds paragraphs
// that became news.
func (w *Words) reparagraphed(olds, news int) string {
	return w.counted(func(w *Words) map[string]string { return w.Reparagraphed }, olds, news)
}
