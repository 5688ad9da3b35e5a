package document

import (
	"bytes"
	"cmp"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// NoticeStatement is a notice period a document states: in its text
// ("at least 30 days' notice") or as notice_days in its front matter.
type NoticeStatement struct {
	// Days is the period in days.
	Days int
	// Line is the 1-based line of the file where the statement starts.
	Line int
	// Phrase is the statement as written, on one line
	// ("thirty (30) days prior notice", "notice_days: 30").
	Phrase string
}

// numberWords are the number words legal texts write notice periods
// with, often followed by the digits: "thirty (30) days".
var numberWords = map[string]int{
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
	"ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14, "fifteen": 15, "twenty": 20,
	"twenty one": 21, "twenty eight": 28, "thirty": 30, "forty five": 45, "sixty": 60, "ninety": 90,
}

// noticeNumber is a number of days: digits, or a number word optionally
// followed by the digits in brackets.
var noticeNumber = `(?:(\d{1,4})|(twenty[- ]one|twenty[- ]eight|forty[- ]five|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|fifteen|twenty|thirty|sixty|ninety)(?:\s*\(\s*(\d{1,4})\s*\))?)` +
	`\s+(?:(?:calendar|business|working)\s+)?days?`

var (
	// "30 days' notice", "thirty (30) days prior written notice".
	daysNotice = regexp.MustCompile(`(?i)\b` + noticeNumber + `(?:['’]s?)?\s+(?:(?:prior|advance|advanced|written)\s+){0,2}(?:notice|notification)\b`)
	// "no less than 14 days before", "at least 30 days in advance", in a
	// sentence that speaks of notice.
	daysBefore = regexp.MustCompile(`(?i)\b(?:at\s+least|no\s+less\s+than|not\s+less\s+than|(?:a\s+)?minimum\s+of|no\s+fewer\s+than|not\s+fewer\s+than)\s+` +
		noticeNumber + `\s+(?:before|prior\s+to|in\s+advance)\b`)
	noticeWord = regexp.MustCompile(`(?i)\b(?:notice|notif(?:y|ies|ied|ication)|inform(?:s|ed|ing)?)\b`)
)

// noticeWindow is how far around a "days before" phrase a word of notice
// may stand, within its paragraph.
const noticeWindow = 200

// NoticePeriods returns the notice periods d states in its body, in file
// order: a number of days (in digits, or a number word such as "thirty
// (30)") followed by "notice" ("at least 30 days' notice", "thirty (30)
// days prior written notice"), or preceded by "at least", "no less than"
// or "a minimum of" and followed by "before", "prior to" or "in advance"
// with a word of notice (notice, notify, inform) near it in the same
// paragraph ("will inform the Customer no less than 14 days before").
// Business or working days count as as many calendar days, a lower bound.
// Only a period stated in a sentence about changes (change, amend,
// modify, update, revise, vary) counts: a DPA states notice periods for
// audits and terminations too. A sentence about sub-processors ("30 days'
// notice before authorising a new Sub-processor") states the objection
// period of the sub-processor list, not a notice of changes to the
// document: it is left out.
// It is conservative: a period in weeks or months, or a number it cannot
// read, is not reported.
func NoticePeriods(d *Document) []NoticeStatement {
	// Emphasis and line breaks must not split a phrase: replace them with
	// spaces, keeping offsets, so that lines can be counted.
	text := bytes.Map(func(r rune) rune {
		switch r {
		case '*', '_', '\n', '\t':
			return ' '
		}
		return r
	}, d.Body)
	var out []NoticeStatement
	seen := map[int]bool{}
	add := func(m []int) {
		if seen[m[0]] {
			return
		}
		days := 0
		switch {
		case m[2] >= 0:
			days, _ = strconv.Atoi(string(text[m[2]:m[3]]))
		case m[6] >= 0: // the digits after a number word
			days, _ = strconv.Atoi(string(text[m[6]:m[7]]))
		case m[4] >= 0: // "twenty-one", "Twenty one"
			word := strings.ToLower(strings.ReplaceAll(string(text[m[4]:m[5]]), "-", " "))
			days = numberWords[strings.Join(strings.Fields(word), " ")]
		}
		if days <= 0 {
			return
		}
		seen[m[0]] = true
		out = append(out, NoticeStatement{
			Days:   days,
			Line:   d.BodyLine + bytes.Count(d.Body[:m[0]], []byte("\n")),
			Phrase: strings.Join(strings.Fields(string(text[m[0]:m[1]])), " "),
		})
	}
	for _, m := range daysNotice.FindAllSubmatchIndex(text, -1) {
		if aboutChanges(text, m[0], m[1]) {
			add(m)
		}
	}
	for _, m := range daysBefore.FindAllSubmatchIndex(text, -1) {
		start, end := paragraphAround(d.Body, m[0], m[1])
		lo, hi := max(start, m[0]-noticeWindow), min(end, m[1]+noticeWindow)
		if noticeWord.Match(text[lo:hi]) && aboutChanges(text, m[0], m[1]) {
			add(m)
		}
	}
	slices.SortStableFunc(out, func(a, b NoticeStatement) int { return cmp.Compare(a.Line, b.Line) })
	return out
}

var (
	subprocessorWord = regexp.MustCompile(`(?i)\bsub-?processors?\b`)
	changeWord       = regexp.MustCompile(`(?i)\b(?:chang|amend|modif|updat|revis|vari)\w*`)
)

// aboutChanges reports whether the sentence holding text[from:to] speaks
// of changes, and not of sub-processors.
func aboutChanges(text []byte, from, to int) bool {
	start, end := paragraphAround(text, from, to)
	if i := bytes.LastIndex(text[start:from], []byte(". ")); i >= 0 {
		start += i + 2
	}
	if i := bytes.Index(text[to:end], []byte(". ")); i >= 0 {
		end = to + i
	}
	sentence := text[start:end]
	return changeWord.Match(sentence) && !subprocessorWord.Match(sentence)
}

// paragraphAround returns the bounds of the paragraph (text between blank
// lines) holding body[from:to].
func paragraphAround(body []byte, from, to int) (int, int) {
	start := bytes.LastIndex(body[:from], []byte("\n\n"))
	if start < 0 {
		start = 0
	}
	end := bytes.Index(body[to:], []byte("\n\n"))
	if end < 0 {
		end = len(body)
	} else {
		end += to
	}
	return start, end
}

// NoticeDaysStatement returns notice_days as d's front matter gives it,
// with its line; ok is false when the front matter does not give it (the
// default, DefaultNoticeDays, is not a statement of the document's).
func NoticeDaysStatement(d *Document) (s NoticeStatement, ok bool) {
	if _, given := d.Params["notice_days"]; !given {
		return NoticeStatement{}, false
	}
	line := d.FrontMatterLine
	for i, l := range strings.Split(string(d.FrontMatter), "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "notice_days") {
			line = d.FrontMatterLine + i
			break
		}
	}
	return NoticeStatement{Days: d.NoticeDays, Line: line, Phrase: "notice_days: " + strconv.Itoa(d.NoticeDays)}, true
}

// DaysBetween returns the number of calendar days from a to b (negative
// when b is before a).
func DaysBetween(a, b Date) int {
	return int(b.Time(time.UTC).Sub(a.Time(time.UTC)).Hours() / 24)
}
