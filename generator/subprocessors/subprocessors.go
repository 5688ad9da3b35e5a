// Package subprocessors reads the sub-processor list of a document into a
// Register of rows, validates it, and compares two versions of it.
//
// Rows come from the front matter key "subprocessors" (a list of
// mappings) when the document has it, and otherwise from the body: GFM
// tables whose headers name a sub-processor column and a purpose or
// location column, and bullet lists of the form "[Name](url). Purpose." or
// "**Name** — purpose" under a heading or lead-in sentence that names the
// list or its location. Outside a document of kind subprocessors (a DPA
// and its annexes), only tables that say they list sub-processors are
// read.
//
// Columns. Table headers are recognised by what they mean, in the
// wordings of published lists ("Entity Name", "Relevant Services",
// "Purpose of Processing", "Location of Subprocessors"; see columnField);
// WithColumns maps any other header to a field (clause.toml's
// [subprocessors.columns]). A table that lacks a purpose or location
// column is one problem at the table, not one per row.
//
// Identity. Every row has a Key that stays the same across versions of the
// list as long as the sub-processor does: the host of its website, or its
// name without legal suffixes ("Ltd", "GmbH", "Inc.") when it has no
// website. When two rows of one register would share a key (two affiliates
// with one website, one company listed for two purposes), the key is made
// longer, in this order, until it is unique: name, purpose, location, group.
// Compare matches rows by Key first and then by progressively coarser
// identities, so that a rename with the same website is a change and not a
// removal plus an addition.
//
// Moves. A row that only changed group (moved from the "Infrastructure"
// table to the "Affiliates" table) is reported in Changes.Moved, not in
// Changes.Changed: Changes.Empty is false, but Changes.Substantive, which
// tells whether a notice period should start, is not affected by it.
//
// Locations. Row.Location is the text as written; Row.Locations the ISO
// 3166-1 alpha-2 codes (and the region codes EU, EEA and WORLD) read from
// it with the country table in countries.go: names, common aliases
// ("USA", "U.S.", "UK", "Deutschland"), codes, and the data-centre cities
// that lists name ("Frankfurt"). A location in which no country can be
// found is a warning, not an error: the row is still published as written,
// but transfers cannot be checked. Transfers are checked against the EEA
// and the adequacy decisions in force in 2026 (see Validate).
//
// The package renders nothing and writes nothing: the site, the API and
// the CLI build on its values.
package subprocessors

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/clause-portal/clause/generator/document"
)

// Source says where the rows of a register were read from.
type Source int

// The sources of a register's rows.
const (
	// SourceNone: the document lists no sub-processors.
	SourceNone Source = iota
	// SourceFrontMatter: the front matter key "subprocessors".
	SourceFrontMatter
	// SourceBody: tables and bullet lists in the markdown body.
	SourceBody
)

// String returns "none", "front matter" or "body".
func (s Source) String() string {
	switch s {
	case SourceFrontMatter:
		return "front matter"
	case SourceBody:
		return "body"
	}
	return "none"
}

// Register is the sub-processor list of one version of a document.
type Register struct {
	// Path is the document's path, used in problems.
	Path string
	// Source is where the rows were read from.
	Source Source
	// Effective is the document's effective date, the date a row without
	// its own takes effect.
	Effective document.Date
	// NoticeDays is the document's notice period for changes, in days.
	NoticeDays int
	// Rows are the sub-processors in document order.
	Rows []Row
}

// Row is one sub-processor entry.
type Row struct {
	// Name is the sub-processor's name as written, inline markdown removed.
	Name string `json:"name"`
	// Purpose is what the sub-processor does (the service, the nature of
	// the processing).
	Purpose string `json:"purpose"`
	// Location is the location of processing as written.
	Location string `json:"location"`
	// Locations are the countries and regions read from Location: ISO
	// 3166-1 alpha-2 codes, or RegionEU, RegionEEA, RegionWorld.
	Locations []string `json:"locations"`
	// EntityCountry is where the contracting entity is established, as
	// written.
	EntityCountry string `json:"entity_country,omitempty"`
	// TransferMechanism is the safeguard for transfers outside the EEA
	// (adequacy, SCCs, DPF…), as written.
	TransferMechanism string `json:"transfer_mechanism,omitempty"`
	// DataCategories are the categories of personal data processed.
	DataCategories []string `json:"data_categories,omitempty"`
	// Website is the sub-processor's web address, from a website column or
	// field, or from a link on its name.
	Website string `json:"website,omitempty"`
	// Added is the date the row was added, if given.
	Added document.Date `json:"added"`
	// Effective is the date the row takes effect, if given; see
	// Register.EffectiveDate.
	Effective document.Date `json:"effective"`
	// Group is the heading the row is listed under (for front matter rows,
	// the "group" field).
	Group string `json:"group,omitempty"`
	// Line is the row's 1-based line in the source file.
	Line int `json:"line,omitempty"`
	// Key identifies the sub-processor across versions (see the package
	// documentation). It is unique within a register.
	Key string `json:"key"`
}

// Extract reads the sub-processor register of a document. Rows come from
// the front matter key "subprocessors" if present (even as an empty list),
// else from the body. A body list that differs from the front matter list
// is reported as a warning, since readers see one and the API the other;
// a sub-processor document with no list at all is a warning too.
//
// Outside a document of kind subprocessors (a DPA and its annexes), only
// the front matter list and tables of sub-processors are read, not bullet
// lists, and a table must say that it lists sub-processors (see the
// package documentation): a Register with Source SourceNone means the
// document has no sub-processor list.
//
// The problems include those of Validate, so callers need not call it
// again; a problem of severity Error means the register is not fit to
// publish. Problems are ordered by line. The register is never nil.
func Extract(doc *document.Document, opts ...Option) (*Register, []Problem) {
	o := &options{}
	for _, opt := range opts {
		opt(o)
	}
	r := &Register{Path: doc.Path, Effective: doc.Effective, NoticeDays: doc.NoticeDays}
	var problems []Problem
	fmRows, fmLine, present, fmProblems := fromFrontMatter(doc)
	bodyRows, bodyProblems, lacking := fromBody(doc, o)
	switch {
	case present:
		lacking = nil
		r.Source, r.Rows = SourceFrontMatter, fmRows
		problems = append(problems, fmProblems...)
		if len(bodyRows) > 0 {
			body := &Register{Rows: bodyRows}
			prepare(body)
			prepare(r)
			if c := Compare(r, body); !c.Empty() {
				problems = append(problems, Problem{Path: doc.Path, Line: bodyRows[0].Line, Severity: Warning,
					Msg: fmt.Sprintf("this sub-processor list differs from the front matter list and is ignored: the front matter list (line %d) takes precedence (%s); keep one of them",
						fmLine, sourceDifference(c))})
			}
		}
	case len(bodyRows) > 0:
		r.Source, r.Rows = SourceBody, bodyRows
		problems = append(problems, bodyProblems...)
	default:
		problems = append(problems, bodyProblems...)
		if doc.Kind == document.KindSubprocessors {
			problems = append(problems, Problem{Path: doc.Path, Line: doc.BodyLine, Severity: Warning,
				Msg: `no sub-processors found: add a table with the columns "Name", "Purpose" and "Location", or a "subprocessors:" list in the front matter`})
		}
	}
	prepare(r)
	if !o.noValidate {
		problems = append(problems, validate(r, lacking)...)
	}
	sortProblems(problems)
	return r, problems
}

// sourceDifference describes how a body list differs from the front matter
// list, given the changes from the latter to the former.
func sourceDifference(c Changes) string {
	var parts []string
	count := func(n int, what string) {
		switch {
		case n == 1:
			parts = append(parts, "1 row "+what)
		case n > 1:
			parts = append(parts, fmt.Sprintf("%d rows %s", n, what))
		}
	}
	count(len(c.Added), "only in the body")
	count(len(c.Removed), "only in the front matter")
	count(len(c.Changed)+len(c.Moved), "different")
	return strings.Join(parts, ", ")
}

// prepare derives Locations from Location (an empty list, not nil, when
// none is known) and assigns keys.
func prepare(r *Register) {
	locs := locations{}
	for i := range r.Rows {
		r.Rows[i].Locations, _ = locs.parse(r.Rows[i].Location)
		if r.Rows[i].Locations == nil {
			r.Rows[i].Locations = []string{}
		}
	}
	assignKeys(r)
}

// keyParts returns the components of a row's identity, most significant
// first: website host (if any), name, purpose, location, group.
func keyParts(row Row) []string {
	parts := []string{}
	if h := websiteHost(row.Website); h != "" {
		parts = append(parts, h)
	}
	loc := strings.Join(row.Locations, "-")
	if loc == "" {
		loc = slug(row.Location)
	}
	parts = append(parts, slug(normName(row.Name)), slug(row.Purpose), strings.ToLower(loc), slug(row.Group))
	if parts[0] == "" {
		parts[0] = "unnamed" // a row without a usable name (an error) still needs a key
	}
	return parts
}

// firstKeyPart returns keyParts(row)[0] and len(keyParts(row)) without
// the other parts, which most rows do not need.
func firstKeyPart(row Row) (string, int) {
	if row.Website == "" && alnumWord(row.Name) {
		// One ASCII word: its slug of its name without suffixes is
		// itself in lower case.
		return strings.ToLower(row.Name), 4
	}
	if h := websiteHost(row.Website); h != "" {
		return h, 5
	}
	if p := slug(normName(row.Name)); p != "" {
		return p, 4
	}
	return "unnamed", 4
}

// alnumWord reports whether s is one word of ASCII letters and digits.
func alnumWord(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isAlnum(s[i]) {
			return false
		}
	}
	return s != ""
}

// assignKeys gives every row of r a unique Key: the shortest prefix of its
// key parts that no other row shares, or the full parts with a counter
// ("#2") for rows that are identical in all of them.
func assignKeys(r *Register) {
	level := make([]int, len(r.Rows))
	// parts[i] is keyParts of row i once its key needs more than the
	// first part; first and nparts are the first part and the number of
	// parts.
	parts := make([][]string, len(r.Rows))
	first := make([]string, len(r.Rows))
	nparts := make([]int, len(r.Rows))
	for i, row := range r.Rows {
		first[i], nparts[i] = firstKeyPart(row)
	}
	key := func(i int) string {
		if level[i] == 0 {
			return first[i]
		}
		if parts[i] == nil {
			parts[i] = keyParts(r.Rows[i])
		}
		n := min(level[i]+1, len(parts[i]))
		return strings.Join(parts[i][:n], "/")
	}
	// A row's key is computed once a round and the rows counted by key:
	// the lists of rows by key took most of the time of a large register.
	keys := make([]string, len(r.Rows))
	shared := false
	for {
		count := make(map[string]int, len(r.Rows))
		for i := range r.Rows {
			keys[i] = key(i)
			count[keys[i]]++
		}
		raised := false
		shared = false
		for i := range r.Rows {
			if count[keys[i]] > 1 {
				shared = true
				if level[i]+1 < nparts[i] {
					level[i]++
					raised = true
				}
			}
		}
		if !raised {
			break
		}
	}
	if !shared {
		// Every key is unique: no counters.
		for i := range r.Rows {
			r.Rows[i].Key = keys[i]
		}
		return
	}
	seen := make(map[string]int, len(r.Rows))
	for i := range r.Rows {
		k := keys[i]
		seen[k]++
		if seen[k] > 1 {
			k += "#" + strconv.Itoa(seen[k])
		}
		r.Rows[i].Key = k
	}
}

// Groups returns the distinct groups of the register's rows in order of
// first appearance.
func (r *Register) Groups() []string {
	var out []string
	for _, row := range r.Rows {
		if !slices.Contains(out, row.Group) {
			out = append(out, row.Group)
		}
	}
	return out
}

// EffectiveDate returns the date a row takes effect: its own effective
// date, else the register's; zero when neither is given.
func (r *Register) EffectiveDate(row Row) document.Date {
	if !row.Effective.IsZero() {
		return row.Effective
	}
	return r.Effective
}

// Upcoming returns the rows that take effect after today (see
// EffectiveDate): a page announces them ("takes effect on …") rather than
// listing them as in force.
func (r *Register) Upcoming(today document.Date) []Row {
	var out []Row
	for _, row := range r.Rows {
		if r.EffectiveDate(row).After(today) {
			out = append(out, row)
		}
	}
	return out
}

// Deadline returns the last day of the objection period for a change
// published at the given time: the publication date in the register's
// notice period (see the function Deadline).
func (r *Register) Deadline(published time.Time, loc *time.Location) document.Date {
	return Deadline(published, r.NoticeDays, loc)
}

// Deadline returns the objection deadline for a change to a sub-processor
// list: the calendar date of published in loc (UTC if nil) plus noticeDays
// days. A negative notice period counts as zero.
func Deadline(published time.Time, noticeDays int, loc *time.Location) document.Date {
	if loc == nil {
		loc = time.UTC
	}
	d := document.DateOf(published.In(loc))
	return document.DateOf(time.Date(d.Year, d.Month, d.Day+max(noticeDays, 0), 12, 0, 0, 0, time.UTC))
}
