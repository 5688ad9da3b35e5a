package subprocessors

import (
	"fmt"
	"slices"
	"strings"

	"github.com/clause-portal/clause/generator/markdown"
)

// FieldIgnore, as the field of a column in clause.toml, makes a table
// column ignored even when its header names a field.
const FieldIgnore = "ignore"

// ColumnFields returns the fields a table column can be mapped to in
// clause.toml ([subprocessors.columns]), FieldIgnore last.
func ColumnFields() []string {
	return append(slices.Clone(fieldOrder), FieldIgnore)
}

// Option configures Extract.
type Option func(*options)

type options struct {
	columns    map[string]string // labelKey(header) → field
	noValidate bool              // WithoutValidation
	tree       *markdown.Tree    // WithTree
}

// WithTree reads the rows of the body from its tree, parsed by
// markdown.Parse from the document's body, instead of parsing the body: a
// caller that renders the body too parses it once. Extract reads the tree
// without changing it; t must not have been rendered yet.
func WithTree(t *markdown.Tree) Option {
	return func(o *options) { o.tree = t }
}

// WithoutValidation skips validating the rows read: Extract then reports
// only the problems found while reading them. For registers whose
// problems nobody can fix (past versions), on which validating is a
// large part of the work.
func WithoutValidation() Option {
	return func(o *options) { o.noValidate = true }
}

// WithColumns maps table column headers to row fields, for headers that
// are not recognised or are recognised as another field: the keys are
// headers (matched ignoring case, accents, spaces and punctuation), the
// values field names (see ColumnFields). A mapped column takes precedence
// over the columns recognised from their headers. Unknown field names are
// ignored; config.Load reports them.
func WithColumns(columns map[string]string) Option {
	return func(o *options) {
		if o.columns == nil {
			o.columns = map[string]string{}
		}
		for h, f := range columns {
			f = strings.ToLower(strings.TrimSpace(f))
			if slices.Contains(ColumnFields(), f) {
				o.columns[labelKey(h)] = f
			}
		}
	}
}

// Ranks of a column for its field: when two columns of a table mean the
// same field, the one of higher rank (the leftmost of equal rank) gives
// it.
const (
	rankWeak   = 1 // "Services", "Product", "Description", "Role"
	rankFair   = 2 // "Processing activities", "Function", "Description of processing"
	rankStrong = 3 // "Purpose", "Nature of processing"
	rankMapped = 4 // mapped in clause.toml
)

// Word classes of column headers, after folding (see headerWords).
var (
	// headerStopWords say nothing about the field.
	headerStopWords = words("the a an and or relevant applicable our your its their main primary s e g etc is are we you")
	// headerPrepositions end the head of a header ("Location | of
	// processing", "Name | of sub-processor").
	headerPrepositions = words("of for by in at to with on from per under")
	transferWords      = words("transfer safeguard mechanism scc sccs adequacy dpf bcr bcrs")
	websiteWords       = words("website url homepage link web")
	// entityStrongWords name where the contracting entity is established.
	entityStrongWords = words("headquarter headquartered hq incorporation incorporated registered corporate domicile seat registration establishment")
	// entityWords name the entity; with a location word, they mean the
	// entity's country ("Entity location", "Company country").
	entityWords   = words("entity company legal contracting")
	locationWords = words("location country region where jurisdiction datacenter hosted located geography territory place")
	// nameWords name the sub-processor.
	nameWords = words("name subprocessor processor vendor supplier provider company entity thirdparty organisation organization party partner recipient firm")
	// purposeRanks are the words that say what a sub-processor does.
	purposeRanks = map[string]int{
		"purpose": rankStrong, "nature": rankStrong,
		"activity": rankFair, "processing": rankFair, "function": rankFair, "task": rankFair, "use": rankFair,
		"service": rankWeak, "product": rankWeak, "description": rankWeak, "role": rankWeak, "offering": rankWeak,
		"feature": rankWeak, "scope": rankWeak,
	}
	// kindWords head a header that says what kind of thing a column
	// lists ("Type of service", "Categories of personal data", "Vendor
	// category"): its other words decide.
	kindWords = words("type category kind")
)

func words(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// headerWords folds a header into words: lower case, accents removed,
// plurals made singular ("Categories" → "category", "Services" →
// "service"), and compounds joined ("Sub-processor" → "subprocessor",
// "third party" → "thirdparty", "data centre" → "datacenter").
func headerWords(s string) []string {
	var out []string
	ws := foldedWords(s)
	for i := 0; i < len(ws); i++ {
		w := ws[i]
		next := ""
		if i+1 < len(ws) {
			next = singular(ws[i+1])
		}
		switch {
		case w == "sub" && (next == "processor" || next == "processing"):
			w, i = "sub"+next, i+1
		case w == "third" && next == "party":
			w, i = "thirdparty", i+1
		case w == "data" && (next == "center" || next == "centre"):
			w, i = "datacenter", i+1
		case w == "web" && next == "site":
			w, i = "website", i+1
		}
		out = append(out, singular(w))
	}
	return out
}

// singular returns the singular of an English plural noun, roughly:
// enough for the words of headerWords' classes.
func singular(w string) string {
	switch {
	case len(w) <= 3 || strings.HasSuffix(w, "ss") || strings.HasSuffix(w, "us"):
		return w
	case strings.HasSuffix(w, "ies"):
		return w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "sses"), strings.HasSuffix(w, "xes"):
		return w[:len(w)-2]
	case strings.HasSuffix(w, "s"):
		return w[:len(w)-1]
	}
	return w
}

// columnField returns the field a table column header means, and its rank
// among columns of the same field (see rankStrong), or "" when it names
// none. It recognises the wordings of published sub-processor lists by
// what they mean, not only by their exact text:
//
//   - a header with several wordings ("Purpose/Services") means what its
//     first recognised wording means;
//   - transfer words ("Transfer mechanism", "Safeguards"), website words
//     ("URL") and dates ("Date added") come first;
//   - "Headquarters", "Corporate location" and "Entity country" are the
//     entity's country, any other location word ("Location of
//     Sub-processors", "Hosting region", "Where data is processed") the
//     location of processing;
//   - otherwise the head of the header (its last word before "of", "for"…)
//     decides between a name ("Entity Name", "Service provider") and a
//     purpose ("Relevant Services", "Purpose of Processing");
//   - "Personal data", "Customer data involved" and "Categories of data"
//     are data categories ("Categories of data subjects" is nothing);
//   - failing all these, any purpose word, then any name word.
func columnField(header string) (field string, rank int) {
	for _, alt := range strings.Split(header, "/") {
		if f, r := columnFieldOf(alt); f != "" {
			return f, r
		}
	}
	return "", 0
}

func columnFieldOf(header string) (string, int) {
	var ws []string
	for _, w := range headerWords(header) {
		if !headerStopWords[w] {
			ws = append(ws, w)
		}
	}
	if len(ws) == 0 {
		return "", 0
	}
	has := func(class map[string]bool) bool {
		return slices.ContainsFunc(ws, func(w string) bool { return class[w] })
	}
	hasWord := func(w string) bool { return slices.Contains(ws, w) }
	purposeRank := func() int {
		r := 0
		for _, w := range ws {
			r = max(r, purposeRanks[w])
		}
		return r
	}
	if f, ok := labels[labelKey(header)]; ok {
		if f == FieldPurpose {
			return f, max(purposeRank(), rankWeak)
		}
		return f, rankWeak
	}
	head := ws
	if i := slices.IndexFunc(ws, func(w string) bool { return headerPrepositions[w] }); i >= 0 {
		head = ws[:i]
	}
	headWord := ""
	if len(head) > 0 {
		headWord = head[len(head)-1]
	}
	dataWords := hasWord("data") || hasWord("pii") || hasWord("information") && (hasWord("personal") || hasWord("customer") || hasWord("user"))
	switch {
	case hasWord("subject"): // categories of data subjects
		return "", 0
	case headWord == "name": // "Registered name", "Name of data centre"
		return FieldName, rankWeak
	case has(transferWords):
		return FieldTransferMechanism, rankWeak
	case has(websiteWords):
		return FieldWebsite, rankWeak
	case hasWord("added") || hasWord("since"):
		return FieldAdded, rankWeak
	case hasWord("effective"):
		return FieldEffective, rankWeak
	case has(entityStrongWords), has(entityWords) && has(locationWords):
		return FieldEntityCountry, rankWeak
	case has(locationWords):
		return FieldLocation, rankWeak
	case nameWords[headWord]:
		return FieldName, rankWeak
	case purposeRanks[headWord] > 0:
		return FieldPurpose, purposeRank()
	case kindWords[headWord]:
		switch {
		case dataWords:
			return FieldDataCategories, rankWeak
		case purposeRank() > 0:
			return FieldPurpose, rankWeak
		}
		return "", 0
	case dataWords:
		return FieldDataCategories, rankWeak
	case purposeRank() > 0:
		return FieldPurpose, purposeRank()
	case has(nameWords):
		return FieldName, rankWeak
	}
	return "", 0
}

// tableColumn is what one column of a table gives.
type tableColumn struct {
	header string // as written
	field  string // the field it gives, or ""
	// extra is set for a purpose column that another purpose column
	// outranks: its text is added to the purpose (see tableColumns).
	extra bool
	// ignored is set for a column mapped to FieldIgnore in clause.toml.
	ignored bool
}

// tableColumns decides what each column of a table gives. Each field is
// given by one column: the one mapped in clause.toml, else the one whose
// header means it most strongly ("Purpose of Processing" over "Relevant
// Services"), else the leftmost. Other columns of the same field are
// ignored, except purpose columns: their text is added to the purpose as
// "; Header: text" (the service or product a sub-processor is used for
// tells rows apart that have the same purpose), or is the purpose when
// the first purpose column is empty.
func tableColumns(heads []string, o *options) []tableColumn {
	cols := make([]tableColumn, len(heads))
	ranks := make([]int, len(heads))
	for i, h := range heads {
		cols[i].header = h
		if f, ok := o.columns[labelKey(h)]; ok {
			if f == FieldIgnore {
				cols[i].ignored = true
				continue
			}
			cols[i].field, ranks[i] = f, rankMapped
			continue
		}
		cols[i].field, ranks[i] = columnField(h)
	}
	best := map[string]int{}
	for i, c := range cols {
		if c.field == "" {
			continue
		}
		if b, ok := best[c.field]; !ok || ranks[i] > ranks[b] {
			best[c.field] = i
		}
	}
	for i := range cols {
		f := cols[i].field
		if f == "" || best[f] == i {
			continue
		}
		if f == FieldPurpose {
			cols[i].extra = true
		} else {
			cols[i].field = ""
		}
	}
	return cols
}

// missingColumnsMsg is the message for a sub-processor table that lacks
// columns for some required fields: it names the headers seen and the
// clause.toml lines that would map them.
func missingColumnsMsg(cols []tableColumn, missingFields []string) string {
	var heads, candidates []string
	for _, c := range cols {
		heads = append(heads, quote(c.header))
		if c.field == "" && !c.ignored && c.header != "" {
			candidates = append(candidates, c.header)
		}
	}
	var mapping strings.Builder
	mapping.WriteString("[subprocessors.columns]")
	for i, f := range missingFields {
		h := "Column header"
		switch {
		case len(missingFields) == 1 && len(candidates) > 0 && f == FieldLocation:
			h = candidates[len(candidates)-1] // the location is mostly the last column
		case i < len(candidates):
			h = candidates[i]
		}
		fmt.Fprintf(&mapping, "\n%s = %s", quote(h), quote(f))
	}
	what := strings.Join(missingFields, " or ")
	return fmt.Sprintf("sub-processor table has no %s column: its columns are %s; if one of them gives the %s, map it in clause.toml:\n%s",
		what, strings.Join(heads, ", "), fieldWords(missingFields), mapping.String())
}

// fieldWords names fields for a reader ("purpose or location of
// processing").
func fieldWords(fields []string) string {
	out := slices.Clone(fields)
	for i, f := range out {
		if f == FieldLocation {
			out[i] = "location of processing"
		}
	}
	return strings.Join(out, " or ")
}
