package subprocessors

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/clause-portal/clause/generator/document"
)

func problemStrings(ps []Problem) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Error()
	}
	return out
}

func TestValidateFrontMatterRows(t *testing.T) {
	src := `---
title: Sub-processors
subprocessors:
  - name: Cumulus
    purpose: Hosting
    location: Germany
  - name: Nowhere Ltd
    purpose: Storage
    location: Narnia
  - purpose: Backups
    location: Ireland
  - name: Stripe
    purpose: Payments
    location: USA
  - name: Cumulus GmbH
    purpose: Hosting
    location: Germany
  - name: Bad
    purpose: x
    location: Brazil, India
    transfer_mechanism: SCCs
    website: "javascript:alert(1)"
    added: 2026-13-01
    colour: blue
  - name: Lonely
---
Body.
`
	_, problems := Extract(parse(t, "content/subprocessors.md", src))
	const p = "content/subprocessors.md:"
	want := []string{
		p + `7: warning: sub-processor "Nowhere Ltd": unknown location "Narnia": name countries (e.g. "Germany", "United States"), "EU" or "EEA"`,
		p + `10: sub-processor row has no name`,
		p + `12: warning: sub-processor "Stripe": processing in the United States, but no transfer mechanism is given: name the EU-U.S. Data Privacy Framework (if the recipient is certified) or SCCs`,
		p + `15: duplicate sub-processor "Cumulus GmbH": same name, purpose and location as line 4`,
		p + `18: sub-processor "Bad": website "javascript:alert(1)" is not an http or https address`,
		p + `23: subprocessors: added: invalid date "2026-13-01": want YYYY-MM-DD`,
		p + `24: warning: subprocessors: unknown field "colour" (known: name, purpose, location, entity_country, transfer_mechanism, data_categories, website, added, effective, group)`,
		p + `25: sub-processor "Lonely" has no purpose: say what it does`,
		p + `25: sub-processor "Lonely" has no location of processing: name the countries where it processes data`,
	}
	if got := problemStrings(problems); !slices.Equal(got, want) {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !HasErrors(problems) || !errors.Is(problems[1], document.ErrContent) || errors.Is(problems[0], document.ErrContent) {
		t.Error("errors (not warnings) wrap document.ErrContent")
	}
}

func TestValidateTableRowsAndTransfers(t *testing.T) {
	src := `# Sub-processors

| Name | Purpose | Location | Transfer mechanism | Added |
|---|---|---|---|---|
| Globex | Analytics | India | | |
| Initech | CDN | Global | Not applicable (EEA) | 1 March 2026 |
| Hooli | Search | United States | EU-U.S. Data Privacy Framework | 2026-03-01 |
| Umbrella | Backups | Switzerland, Japan, Canada | | |
| Vandelay | Import | Europe | | 31/02/2026 |
| | Storage | Ireland | | |
`
	r, problems := Extract(parse(t, "content/subprocessors.md", src))
	const p = "content/subprocessors.md:"
	want := []string{
		p + `5: warning: sub-processor "Globex": processing in India, outside the EEA and without an adequacy decision, but no transfer mechanism is given (e.g. SCCs)`,
		p + `6: warning: sub-processor "Initech": processing in any country (worldwide), outside the EEA and without an adequacy decision, but no transfer mechanism is given (e.g. SCCs)`,
		p + `9: column "Added": invalid date "31/02/2026": want YYYY-MM-DD`,
		p + `9: warning: sub-processor "Vandelay": unknown location "Europe": name countries (e.g. "Germany", "United States"), "EU" or "EEA"`,
		p + `10: sub-processor row has no name`,
	}
	if got := problemStrings(problems); !slices.Equal(got, want) {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if r.Rows[1].Added.String() != "2026-03-01" || r.Rows[2].Added != r.Rows[1].Added {
		t.Errorf("added dates %v, %v", r.Rows[1].Added, r.Rows[2].Added)
	}
}

func TestProblemFormat(t *testing.T) {
	for _, tt := range []struct {
		p    Problem
		want string
	}{
		{Problem{Path: "content/sp.md", Line: 3, Severity: Error, Msg: "bad"}, "content/sp.md:3: bad"},
		{Problem{Path: "content/sp.md", Line: 3, Severity: Warning, Msg: "odd"}, "content/sp.md:3: warning: odd"},
		{Problem{Path: "content/sp.md", Severity: Error, Msg: "whole file"}, "content/sp.md: whole file"},
	} {
		if got := tt.p.Error(); got != tt.want {
			t.Errorf("%q, want %q", got, tt.want)
		}
	}
	if Error.String() != "error" || Warning.String() != "warning" {
		t.Error("severity names")
	}
}

func TestTOMLFrontMatterLines(t *testing.T) {
	src := "+++\ntitle = \"Sub-processors\"\n\n[[subprocessors]]\nname = \"A\"\npurpose = \"Hosting\"\nlocation = \"Germany\"\n\n[[subprocessors]]\nname = \"B\"\npurpose = \"Mail\"\nlocation = \"Atlantis\"\nadded = \"soon\"\n+++\n"
	r, problems := Extract(parse(t, "content/sp.md", src))
	if len(r.Rows) != 2 || r.Rows[0].Line != 4 || r.Rows[1].Line != 9 {
		t.Errorf("rows %+v", r.Rows)
	}
	want := []string{
		`content/sp.md:9: warning: sub-processor "B": unknown location "Atlantis": name countries (e.g. "Germany", "United States"), "EU" or "EEA"`,
		`content/sp.md:13: subprocessors: added: invalid date "soon": want YYYY-MM-DD`,
	}
	if got := problemStrings(problems); !slices.Equal(got, want) {
		t.Errorf("problems:\n%s", strings.Join(got, "\n"))
	}
}

func TestFrontMatterTakesPrecedence(t *testing.T) {
	src := "---\nsubprocessors:\n  - name: A\n    purpose: Hosting\n    location: Germany\n    data_categories: [Contact data, Usage data]\n---\n| Name | Purpose | Location |\n|---|---|---|\n| A | Hosting | Germany |\n| B | Mail | Ireland |\n"
	r, problems := Extract(parse(t, "content/subprocessors.md", src))
	if r.Source != SourceFrontMatter || len(r.Rows) != 1 || !slices.Equal(r.Rows[0].DataCategories, []string{"Contact data", "Usage data"}) {
		t.Errorf("register %+v", r)
	}
	want := []string{`content/subprocessors.md:10: warning: this sub-processor list differs from the front matter list and is ignored: the front matter list (line 2) takes precedence (1 row only in the body, 1 row different); keep one of them`}
	if got := problemStrings(problems); !slices.Equal(got, want) {
		t.Errorf("problems %q", got)
	}
}

func TestParseLocation(t *testing.T) {
	tests := []struct {
		in      string
		codes   []string
		unknown []string
	}{
		{"Germany, Ireland", []string{"DE", "IE"}, nil},
		{"EU/EEA", []string{"EU", "EEA"}, nil},
		{"United States (us-east-1)", []string{"US"}, nil},
		{"AWS eu-west-1 (Ireland)", []string{"IE"}, nil},
		{"USA", []string{"US"}, nil},
		{"U.S.", []string{"US"}, nil},
		{"UK", []string{"GB"}, nil},
		{"Deutschland", []string{"DE"}, nil},
		{"de", []string{"DE"}, nil},
		{"Frankfurt, DE", []string{"DE"}, nil},
		{"Germany and the Netherlands", []string{"DE", "NL"}, nil},
		{"Korea, Republic of", []string{"KR"}, nil},
		{"Bosnia and Herzegovina; Trinidad and Tobago", []string{"BA", "TT"}, nil},
		{"Côte d'Ivoire", []string{"CI"}, nil},
		{"Türkiye", []string{"TR"}, nil},
		{"United States (New Jersey)", []string{"US"}, nil},
		{"Ireland (EU)", []string{"IE", "EU"}, nil},
		{"Worldwide", []string{"WORLD"}, nil},
		{"Germany, Narnia", []string{"DE"}, []string{"Narnia"}},
		{"Europe", nil, []string{"Europe"}},
		{"it", []string{"IT"}, nil},
		{"Various", nil, []string{"Various"}},
	}
	for _, tt := range tests {
		codes, unknown := parseLocation(tt.in)
		if !slices.Equal(codes, tt.codes) || !slices.Equal(unknown, tt.unknown) {
			t.Errorf("parseLocation(%q) = %q, %q; want %q, %q", tt.in, codes, unknown, tt.codes, tt.unknown)
		}
	}
}

func TestContextLocation(t *testing.T) {
	for in, want := range map[string]string{
		"Sub-processors located in the United States:":          "United States",
		"Sub-processors in the EU/EEA:":                         "EU/EEA",
		"United Kingdom":                                        "United Kingdom",
		"Sub-processors located outside the EEA:":               "",
		"The following companies act as sub-processors.":        "",
		"We provide IT support to customers.":                   "",
		"Hosted in Germany and Ireland, for all customers:":     "Germany and Ireland",
		"Customer support (United Kingdom)":                     "United Kingdom",
		"Sub-processors in accordance with clause 6 of the DPA": "",
	} {
		heading := !strings.HasSuffix(in, ":") && !strings.HasSuffix(in, ".")
		if got := contextLocation(in, heading); got != want {
			t.Errorf("contextLocation(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCountryTable(t *testing.T) {
	if len(countries) != 249 {
		t.Errorf("%d countries, want the 249 of ISO 3166-1", len(countries))
	}
	seen := map[string]bool{}
	for _, c := range countries {
		if len(c.code) != 2 || strings.ToUpper(c.code) != c.code || seen[c.code] {
			t.Errorf("bad or duplicate code %q", c.code)
		}
		seen[c.code] = true
		if got := countriesIndex().byAlias[aliasKey(c.name)]; got != c.code {
			t.Errorf("%s resolves to %s, want %s", c.name, got, c.code)
		}
	}
	for _, c := range []string{"AD", "AR", "CA", "FO", "GG", "IL", "IM", "JP", "JE", "NZ", "KR", "CH", "GB", "UY"} {
		if !Adequate(c) || InEEA(c) {
			t.Errorf("%s should be adequate, not EEA", c)
		}
	}
	if Adequate("US") || InEEA("US") || !InEEA("NO") || !InEEA("EU") || len(eea) != 32 {
		t.Error("EEA / adequacy table")
	}
	if CountryName("DE") != "Germany" || CountryName("EEA") != "European Economic Area" || CountryName("XX") != "" {
		t.Error("CountryName")
	}
}

func TestDeadline(t *testing.T) {
	published := time.Date(2026, 3, 31, 23, 30, 0, 0, time.UTC)
	berlin := time.FixedZone("CEST", 2*60*60)
	for _, tt := range []struct {
		loc  *time.Location
		days int
		want string
	}{
		{nil, 30, "2026-04-30"},
		{time.UTC, 30, "2026-04-30"},
		{berlin, 30, "2026-05-01"}, // already 1 April in Berlin
		{berlin, 0, "2026-04-01"},
		{time.UTC, -5, "2026-03-31"},
		{time.UTC, 365, "2027-03-31"},
	} {
		if got := Deadline(published, tt.days, tt.loc).String(); got != tt.want {
			t.Errorf("Deadline(%v, %d, %v) = %s, want %s", published, tt.days, tt.loc, got, tt.want)
		}
	}
	r := &Register{NoticeDays: 14}
	if got := r.Deadline(published, nil).String(); got != "2026-04-14" {
		t.Errorf("register deadline %s", got)
	}
}

func TestUpcoming(t *testing.T) {
	src := "---\neffective: 2026-05-01\nsubprocessors:\n  - {name: A, purpose: Hosting, location: Germany, effective: 2026-01-01}\n  - {name: B, purpose: Mail, location: Ireland}\n  - {name: C, purpose: Support, location: France, effective: 2026-06-15}\n---\n"
	r, _ := extract(t, src)
	day := func(s string) document.Date { d, _ := document.ParseDate(s); return d }
	for _, tt := range []struct {
		today string
		want  []string
	}{
		{"2025-12-31", []string{"A", "B", "C"}},
		{"2026-04-30", []string{"B", "C"}},
		{"2026-05-01", []string{"C"}},
		{"2026-06-15", nil},
	} {
		if got := names(r.Upcoming(day(tt.today))); !slices.Equal(got, tt.want) {
			t.Errorf("Upcoming(%s) = %q, want %q", tt.today, got, tt.want)
		}
	}
	if got := r.EffectiveDate(r.Rows[1]).String(); got != "2026-05-01" {
		t.Errorf("B takes effect on %s", got)
	}
}

// TestWithoutValidation reads the same rows without the validation
// problems.
func TestWithoutValidation(t *testing.T) {
	src := `# Sub-processors

| Name | Purpose | Location | Transfer mechanism |
|---|---|---|---|
| Globex | Analytics | India | |
| Vandelay | Import | Europe | |
| | Storage | Ireland | |
`
	r, problems := Extract(parse(t, "content/subprocessors.md", src))
	r2, problems2 := Extract(parse(t, "content/subprocessors.md", src), WithoutValidation())
	if len(problems) == 0 || len(problems2) != 0 {
		t.Errorf("problems %q, without validation %q", problemStrings(problems), problemStrings(problems2))
	}
	if !reflect.DeepEqual(r, r2) {
		t.Errorf("register without validation %+v, want %+v", r2, r)
	}
}
