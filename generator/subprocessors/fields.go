package subprocessors

import (
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode"

	"github.com/clause-portal/clause/generator/document"
)

// The field names of a row, as used in front matter keys and in
// FieldChange.Field.
const (
	// FieldName is Row.Name.
	FieldName = "name"
	// FieldPurpose is Row.Purpose.
	FieldPurpose = "purpose"
	// FieldLocation is Row.Location.
	FieldLocation = "location"
	// FieldEntityCountry is Row.EntityCountry (front matter also accepts
	// "corporate_location").
	FieldEntityCountry = "entity_country"
	// FieldTransferMechanism is Row.TransferMechanism.
	FieldTransferMechanism = "transfer_mechanism"
	// FieldDataCategories is Row.DataCategories.
	FieldDataCategories = "data_categories"
	// FieldWebsite is Row.Website.
	FieldWebsite = "website"
	// FieldAdded is Row.Added.
	FieldAdded = "added"
	// FieldEffective is Row.Effective.
	FieldEffective = "effective"
	// FieldGroup is Row.Group.
	FieldGroup = "group"
)

// fieldOrder lists the fields in the order they are compared and reported.
var fieldOrder = []string{
	FieldName, FieldPurpose, FieldLocation, FieldEntityCountry, FieldTransferMechanism,
	FieldDataCategories, FieldWebsite, FieldAdded, FieldEffective, FieldGroup,
}

// labels maps normalised column headers and front matter keys (see
// labelKey) to fields. Tables in the wild name their columns in many ways;
// these are the wordings found in published sub-processor lists.
var labels = map[string]string{}

func init() {
	for field, words := range map[string][]string{
		FieldName: {
			"name", "names", "subprocessor", "subprocessors", "subprocessorname", "nameofsubprocessor",
			"supplier", "suppliername", "vendor", "vendorname", "provider", "providername",
			"serviceprovider", "company", "companyname", "entity", "entityname", "legalentity",
			"legalname", "processor", "thirdparty", "organisation", "organization",
		},
		FieldPurpose: {
			"purpose", "purposes", "purposeofprocessing", "processingpurpose", "service", "services",
			"serviceprovided", "servicesprovided", "description", "descriptionofprocessing",
			"descriptionofservices", "natureofprocessing", "natureandpurpose",
			"natureandpurposeofprocessing", "function", "activity", "processingactivity",
			"processingactivities", "role",
		},
		FieldLocation: {
			"location", "locations", "country", "countries", "hostinglocation", "locationofprocessing",
			"locationsofprocessing", "processinglocation", "processinglocations", "datalocation",
			"region", "regions", "countryofprocessing", "processingcountry", "datacenterlocation",
			"datacentrelocation", "serverlocation", "hostingcountry", "hostingregion",
			"datastoragelocation", "storagelocation", "locationofdata",
		},
		FieldEntityCountry: {
			"corporatelocation", "entitylocation", "entitycountry", "headquarters", "headquarteredin",
			"hq", "registeredoffice", "corporatecountry", "countryofincorporation", "companylocation",
		},
		FieldTransferMechanism: {
			"transfermechanism", "transfermechanisms", "safeguards", "safeguard", "transfersafeguard",
			"transfersafeguards", "legalbasisfortransfer", "legalbasisfortransfers", "transferbasis",
			"transfertool", "appropriatesafeguards", "internationaltransfers", "transfer",
		},
		FieldDataCategories: {
			"datacategories", "categoriesofpersonaldata", "personaldata", "categoriesofdata",
			"datatypes", "typesofdata", "typesofpersonaldata", "personaldataprocessed",
			"dataprocessed", "categoriesofpersonaldataprocessed",
		},
		FieldWebsite:   {"website", "websites", "url", "link", "web", "homepage", "site", "webaddress"},
		FieldAdded:     {"added", "dateadded", "addedon", "since"},
		FieldEffective: {"effective", "effectivedate", "effectivefrom", "effectiveon", "startdate"},
		FieldGroup:     {"group"},
	} {
		for _, w := range words {
			labels[w] = field
		}
	}
}

// labelKey normalises a column header or key: letters and digits only,
// lower case, accents removed ("Sub-processor" → "subprocessor",
// "Location of processing" → "locationofprocessing").
func labelKey(s string) string {
	var b strings.Builder
	for _, w := range wordsOf(s) {
		b.WriteString(w.norm)
	}
	return b.String()
}

// fieldFor returns the field a header or key names, or "" when it names
// none. A parenthetical is ignored if the full text is not recognised
// ("Location (of processing)" → location).
func fieldFor(label string) string {
	if f, ok := labels[labelKey(label)]; ok {
		return f
	}
	if i := strings.IndexByte(label, '('); i > 0 {
		return labels[labelKey(label[:i])]
	}
	return ""
}

// setField stores a text value in a row field. It returns an error, without
// the field name, for an unreadable date.
func setField(r *Row, field, value string) error {
	value = cleanText(value)
	switch field {
	case FieldName:
		r.Name = value
	case FieldPurpose:
		r.Purpose = value
	case FieldLocation:
		r.Location = value
	case FieldEntityCountry:
		r.EntityCountry = value
	case FieldTransferMechanism:
		r.TransferMechanism = value
	case FieldDataCategories:
		r.DataCategories = splitList(value)
	case FieldWebsite:
		r.Website = value
	case FieldGroup:
		r.Group = value
	case FieldAdded, FieldEffective:
		d, err := parseDate(value)
		if err != nil {
			return err
		}
		if field == FieldAdded {
			r.Added = d
		} else {
			r.Effective = d
		}
	}
	return nil
}

// cleanText folds runs of white space (tabs, line breaks) into one space
// and turns a cell holding only a dash into an empty value.
func cleanText(s string) string {
	if !folded(s) {
		s = strings.Join(strings.Fields(s), " ")
	}
	switch s {
	case "-", "–", "—", "--":
		return ""
	}
	return s
}

// folded reports whether s is certainly its words joined by single
// spaces, as strings.Fields and a join make it: ASCII without white space
// but single spaces between other characters. A register of 150,000 rows
// cleans every cell.
func folded(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 0x80, c == '\t', c == '\n', c == '\v', c == '\f', c == '\r':
			return false
		case c == ' ' && s[i+1] == ' ':
			return false
		}
	}
	return true
}

// placeholders are the values that say nothing (see missing).
var placeholders = []string{"", "n/a", "na", "none", "tbd", "tba", "?", "unknown", "not applicable"}

// missing reports whether a value is empty or a placeholder that says
// nothing ("N/A", "none", "TBD").
func missing(s string) bool {
	if folded(s) {
		// ASCII already clean: compared without a lower-case copy (a
		// register of 150,000 rows checks every cell).
		if s == "-" || s == "--" {
			return true // cleanText's placeholders
		}
		t := strings.Trim(s, ".")
		for _, p := range placeholders {
			if len(t) == len(p) && strings.EqualFold(t, p) {
				return true
			}
		}
		return false
	}
	switch strings.ToLower(strings.Trim(cleanText(s), ".")) {
	case "", "n/a", "na", "none", "tbd", "tba", "?", "unknown", "not applicable":
		return true
	}
	return false
}

// mechanismGiven reports whether a transfer mechanism names a safeguard,
// rather than stating that none applies ("Not applicable (EEA)").
func mechanismGiven(s string) bool {
	if missing(s) {
		return false
	}
	l := strings.ToLower(s)
	for _, p := range []string{"not applicable", "n/a", "none", "not required", "no transfer"} {
		if strings.HasPrefix(l, p) {
			return false
		}
	}
	return true
}

// splitList splits a data categories cell at commas, semicolons, line
// breaks and bullets.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(",;\n•", r) }) {
		if p = cleanText(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// dateLayouts are the date forms accepted in tables and lists besides
// YYYY-MM-DD.
var dateLayouts = []string{"2 January 2006", "January 2, 2006", "2 Jan 2006", "Jan 2, 2006", "02.01.2006"}

// parseDate reads a date in the form YYYY-MM-DD (or an RFC 3339 time), or
// written out ("1 March 2026", "March 1, 2026").
func parseDate(s string) (document.Date, error) {
	s = strings.TrimSpace(s)
	if missing(s) {
		return document.Date{}, nil
	}
	if d, err := document.ParseDate(s); err == nil {
		return d, nil
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return document.DateOf(t), nil
		}
	}
	return document.Date{}, fmt.Errorf("invalid date %q: want YYYY-MM-DD", s)
}

// websiteURL parses a website value; a bare host ("example.com") is read
// as https.
func websiteURL(w string) (*url.URL, bool) {
	w = strings.TrimSpace(w)
	if w == "" {
		return nil, false
	}
	if !strings.Contains(w, "://") && !strings.HasPrefix(strings.ToLower(w), "mailto:") {
		w = "https://" + strings.TrimPrefix(w, "//")
	}
	u, err := url.Parse(w)
	if err != nil || u.Host == "" {
		return nil, false
	}
	return u, true
}

// websiteHost returns the host of a website in lower case, without "www."
// and port, or "" when there is none.
func websiteHost(w string) string {
	u, ok := websiteURL(w)
	if !ok {
		return ""
	}
	h := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	return strings.TrimPrefix(h, "www.")
}

// sameWebsite reports whether two website values name the same address,
// ignoring scheme, "www.", case of the host and a trailing slash.
func sameWebsite(a, b string) bool {
	return normWebsite(a) == normWebsite(b)
}

func normWebsite(w string) string {
	u, ok := websiteURL(w)
	if !ok {
		return strings.TrimSpace(w)
	}
	return websiteHost(w) + strings.TrimRight(u.EscapedPath(), "/") + query(u)
}

func query(u *url.URL) string {
	if u.RawQuery == "" {
		return ""
	}
	return "?" + u.RawQuery
}

// legalSuffixes are company-form suffixes dropped from names for identity
// ("Cumulus Cloud Hosting GmbH" and "Cumulus Cloud Hosting" are the same
// company), as folded word sequences.
var legalSuffixes = [][]string{
	{"gmbh", "co", "kg"}, {"pty", "ltd"}, {"pte", "ltd"}, {"co", "ltd"}, {"s", "a", "r", "l"},
	{"sp", "z", "o", "o"}, {"s", "a", "s"}, {"s", "p", "a"}, {"s", "r", "l"}, {"s", "r", "o"},
	{"d", "o", "o"}, {"l", "l", "c"}, {"b", "v"}, {"n", "v"}, {"s", "a"}, {"s", "l"}, {"a", "s"},
	{"k", "k"}, {"e", "v"}, {"unlimited", "company"}, {"limited", "liability", "company"},
	{"gmbh"}, {"ltd"}, {"limited"}, {"inc"}, {"incorporated"}, {"llc"}, {"llp"}, {"lp"}, {"bv"},
	{"nv"}, {"sa"}, {"sas"}, {"sarl"}, {"sl"}, {"spa"}, {"srl"}, {"ab"}, {"as"}, {"asa"}, {"aps"},
	{"oy"}, {"oyj"}, {"ag"}, {"kg"}, {"se"}, {"co"}, {"corp"}, {"corporation"}, {"plc"}, {"ug"},
	{"kft"}, {"lda"}, {"ltda"}, {"ulc"}, {"dac"}, {"pty"}, {"pte"}, {"kk"},
}

// normName normalises a company name for identity: folded words, legal
// suffixes removed ("Relayfinch Mail GmbH" → "relayfinch mail").
func normName(s string) string {
	parts := foldedWords(s)
	for changed := true; changed; {
		changed = false
		for _, suf := range legalSuffixes {
			if len(parts) > len(suf) && equalWords(parts[len(parts)-len(suf):], suf) {
				parts = parts[:len(parts)-len(suf)]
				changed = true
				break
			}
		}
	}
	return strings.Join(parts, " ")
}

// hasLegalSuffix reports whether a name ends in a company form ("Ltd",
// "GmbH").
func hasLegalSuffix(name string) bool {
	return normName(name) != strings.Join(foldedWords(name), " ")
}

func foldedWords(s string) []string {
	if isASCII(s) {
		return asciiFoldedWords(s)
	}
	ws := wordsOf(s)
	parts := make([]string, len(ws))
	for i, w := range ws {
		parts[i] = w.norm
	}
	return parts
}

func equalWords(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return len(a) == len(b)
}

// slug turns normalised text into a key component: letters and digits of
// any script joined by hyphens.
func slug(s string) string {
	if isASCII(s) {
		return asciiSlug(s)
	}
	return strings.Join(foldedWords(s), "-")
}

// isAlnum reports whether an ASCII byte is a letter or a digit: in ASCII,
// the runes wordsOf keeps in a word (there are no ASCII marks).
func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// asciiFoldedWords is foldedWords for ASCII text, without the per-word
// bookkeeping of wordsOf: a register of 150,000 rows folds every name
// several times.
func asciiFoldedWords(s string) []string {
	n := 0
	for i := 0; i < len(s); i++ {
		if isAlnum(s[i]) && (i == 0 || !isAlnum(s[i-1])) {
			n++
		}
	}
	parts := make([]string, 0, n)
	for i := 0; i < len(s); {
		if !isAlnum(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isAlnum(s[j]) {
			j++
		}
		parts = append(parts, strings.ToLower(s[i:j]))
		i = j
	}
	return parts
}

// asciiSlug is slug for ASCII text, in one allocation.
func asciiSlug(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		if !isAlnum(s[i]) {
			i++
			continue
		}
		if len(b) > 0 {
			b = append(b, '-')
		}
		for ; i < len(s) && isAlnum(s[i]); i++ {
			c := s[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b = append(b, c)
		}
	}
	return string(b)
}

// foldSpace folds white space for comparing text values.
func foldSpace(s string) string { return strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ") }
