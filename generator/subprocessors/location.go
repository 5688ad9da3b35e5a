package subprocessors

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// A location cell is read in units: the text between top-level separators
// ("," ";" "/" "|" and line breaks), each with optional parentheticals:
//
//	"Germany, Ireland"            → DE, IE
//	"EU/EEA"                      → EU, EEA
//	"United States (us-east-1)"   → US (an unknown qualifier is ignored)
//	"AWS eu-west-1 (Ireland)"     → IE
//	"Germany and the Netherlands" → DE, NL
//
// A unit in which no country or region can be found, neither in its text
// nor in its parentheticals, is unknown and reported by Validate.

// word is one token of a text: its original spelling and its normalised
// form (lower case, accents removed).
type word struct {
	orig, norm string
}

// wordsOf splits s into words of letters and digits.
func wordsOf(s string) []word {
	var out []word
	if !isASCII(s) {
		s = norm.NFC.String(s)
	}
	fields := strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r)
	})
	for _, f := range fields {
		out = append(out, word{orig: f, norm: foldWord(f)})
	}
	return out
}

// foldWord lower-cases a word and removes accents ("Österreich" →
// "osterreich").
func foldWord(s string) string {
	if isASCII(s) {
		return strings.ToLower(s)
	}
	var b strings.Builder
	for _, r := range norm.NFKD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// aliasKey normalises a country name or alias for lookup: folded words
// joined by single spaces, without a leading "the".
func aliasKey(s string) string {
	ws := wordsOf(s)
	if len(ws) > 1 && ws[0].norm == "the" {
		ws = ws[1:]
	}
	parts := make([]string, len(ws))
	for i, w := range ws {
		parts[i] = w.norm
	}
	return strings.Join(parts, " ")
}

// filler words may stand between the countries of one unit ("Germany and
// the Netherlands").
var filler = map[string]bool{"and": true, "or": true, "the": true, "in": true, "und": true, "et": true, "plus": true}

// scanShort are the short aliases recognised in running text (headings,
// lead-in sentences), where other two-letter words ("IT", "HR", "AI") are
// far more often not countries.
var scanShort = map[string]bool{
	"us": true, "u s": true, "usa": true, "u s a": true, "uk": true, "u k": true,
	"eu": true, "e u": true, "eea": true, "e e a": true, "uae": true,
}

// matchMode says how strictly words are matched against the country table.
type matchMode int

const (
	// cellMode reads a location cell: names in any case; codes and other
	// short aliases in upper case, or in any case when they are the whole
	// unit.
	cellMode matchMode = iota
	// scanMode reads running text: capitalised names, and only the short
	// aliases in scanShort, in upper case.
	scanMode
)

// matchWords finds the countries and regions named in ws, longest alias
// first. It returns their codes in order and how many words were neither
// part of a match nor filler.
func matchWords(ws []word, mode matchMode) (codes []string, unmatched int) {
	for i := 0; i < len(ws); {
		n := 0
		var code string
		for k := min(countriesIndex().aliasSpan[ws[i].norm], len(ws)-i); k >= 1; k-- {
			c, ok := lookupWords(ws[i:i+k], mode, k == len(ws))
			if ok {
				n, code = k, c
				break
			}
		}
		if n == 0 {
			if !filler[ws[i].norm] {
				unmatched++
			}
			i++
			continue
		}
		codes = appendUnique(codes, code)
		i += n
	}
	return codes, unmatched
}

// lookupWords looks ws up as one alias. whole is set when ws is the entire
// unit being read.
func lookupWords(ws []word, mode matchMode, whole bool) (string, bool) {
	parts := make([]string, len(ws))
	letters := 0
	upper := true
	for i, w := range ws {
		parts[i] = w.norm
		letters += len([]rune(w.norm))
		if strings.ToUpper(w.orig) != w.orig {
			upper = false
		}
	}
	key := strings.Join(parts, " ")
	code, ok := countriesIndex().byAlias[key]
	if !ok {
		return "", false
	}
	short := letters <= 3
	switch mode {
	case cellMode:
		if short && !upper && !whole {
			return "", false
		}
	case scanMode:
		if short && (!upper || !scanShort[key]) {
			return "", false
		}
		if r := []rune(ws[0].orig); !short && !unicode.IsUpper(r[0]) {
			return "", false
		}
	}
	return code, true
}

// locationUnit is one unit of a location text: its text outside
// parentheses and the texts of its parentheticals.
type locationUnit struct {
	text   string
	head   string
	parens []string
}

// splitUnits splits a location text at top-level separators.
func splitUnits(s string) []locationUnit {
	var units []locationUnit
	var cur, head, paren strings.Builder
	var parens []string
	depth := 0
	flush := func() {
		if t := strings.TrimSpace(cur.String()); t != "" {
			units = append(units, locationUnit{text: t, head: strings.TrimSpace(head.String()), parens: parens})
		}
		cur.Reset()
		head.Reset()
		parens = nil
	}
	for _, r := range s {
		switch {
		case r == '(' || r == '[':
			if depth > 0 {
				paren.WriteRune(r)
			}
			depth++
			cur.WriteRune(r)
			continue
		case (r == ')' || r == ']') && depth > 0:
			depth--
			if depth == 0 {
				parens = append(parens, paren.String())
				paren.Reset()
			} else {
				paren.WriteRune(r)
			}
			cur.WriteRune(r)
			continue
		case depth == 0 && strings.ContainsRune(",;/|\n", r):
			flush()
			continue
		}
		cur.WriteRune(r)
		if depth > 0 {
			paren.WriteRune(r)
		} else {
			head.WriteRune(r)
		}
	}
	if depth > 0 && paren.Len() > 0 {
		parens = append(parens, paren.String())
	}
	flush()
	// Official names with a comma ("Korea, Republic of") are one unit.
	for i := 1; i < len(units); i++ {
		joined := units[i-1].text + ", " + units[i].text
		if _, ok := countriesIndex().byAlias[aliasKey(joined)]; ok {
			units[i-1] = locationUnit{text: joined, head: joined}
			units = append(units[:i], units[i+1:]...)
			i--
		}
	}
	return units
}

// locations reads each location text once: the rows of a register repeat
// a few locations ("Germany", "EU") over and over, and a register of
// 154,000 rows read them twice each (for its rows, for its validation).
// The lists it returns are shared between rows: never appended to in
// place (they have no room) nor changed.
type locations map[string]parsedLocation

type parsedLocation struct{ codes, unknown []string }

// parse is parseLocation(s), read once.
func (m locations) parse(s string) (codes, unknown []string) {
	if p, ok := m[s]; ok {
		return p.codes, p.unknown
	}
	codes, unknown = parseLocation(s)
	codes, unknown = slices.Clip(codes), slices.Clip(unknown)
	m[s] = parsedLocation{codes, unknown}
	return codes, unknown
}

// parseLocation reads the countries and regions named in a location text.
// It returns their codes (ISO 3166-1 alpha-2, or a Region code) in order
// of appearance, and the units in which none could be found.
// Parentheticals are read as plain words (unknown words in them are
// qualifiers such as "us-east-1"), so nesting costs nothing extra.
func parseLocation(s string) (codes, unknown []string) {
	for _, u := range splitUnits(s) {
		found, _ := matchWords(wordsOf(u.head), cellMode)
		for _, p := range u.parens {
			inner, _ := matchWords(wordsOf(p), cellMode)
			found = append(found, inner...)
		}
		if len(found) == 0 {
			unknown = append(unknown, u.text)
			continue
		}
		for _, c := range found {
			codes = appendUnique(codes, c)
		}
	}
	return codes, unknown
}

// resolves reports whether every unit of s names a country or region and
// no word of s is left over: s is nothing but a list of locations.
func resolves(s string) bool {
	units := splitUnits(s)
	if len(units) == 0 {
		return false
	}
	for _, u := range units {
		codes, unmatched := matchWords(wordsOf(u.head), scanMode)
		if len(codes) == 0 || unmatched > 0 {
			return false
		}
		for _, p := range u.parens {
			if codes, unmatched := matchWords(wordsOf(p), scanMode); len(codes) == 0 || unmatched > 0 {
				return false
			}
		}
	}
	return true
}

// maxContext is the longest heading or lead-in read for a location;
// longer text is prose, not a lead-in.
const maxContext = 500

var (
	// locatedIn finds "(located) in (the) X" phrases in running text.
	locatedIn = regexp.MustCompile(`(?i)\b(?:(?:located|based|hosted|processed|processing|stored|established|headquartered|operating|operated)\s+)?(?:in|within)\s+(?:the\s+)?((?:[^.:;!?]|\.\S)+\.?)`)
	// outside marks text about locations outside a region, which names the
	// region without placing anything in it.
	outside = regexp.MustCompile(`(?i)\boutside\b|\bnon-`)
)

// contextLocation finds the location named by a heading or a lead-in
// sentence ("Sub-processors located in the United States:"). It returns
// the location text as written, or "".
func contextLocation(s string, heading bool) string {
	s = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(s), ":"))
	if s == "" || len(s) > maxContext || outside.MatchString(s) {
		return ""
	}
	if resolves(s) {
		return s
	}
	for _, m := range locatedIn.FindAllStringSubmatch(s, -1) {
		cand := strings.TrimSpace(trimStop(m[1]))
		// Cut trailing words that are not locations ("in Germany only").
		if i := strings.IndexAny(cand, ","); i > 0 && !resolves(cand) {
			cand = strings.TrimSpace(cand[:i])
		}
		if resolves(cand) {
			return cand
		}
	}
	if heading {
		codes, _ := matchWords(wordsOf(s), scanMode)
		names := make([]string, len(codes))
		for i, c := range codes {
			names[i] = CountryName(c)
		}
		return strings.Join(names, ", ")
	}
	return ""
}

func appendUnique(list []string, s string) []string {
	for _, e := range list {
		if e == s {
			return list
		}
	}
	return append(list, s)
}
