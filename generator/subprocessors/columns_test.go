package subprocessors

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestColumnHeadersByMeaning: the headers of published sub-processor
// lists, in their own wordings, and headers of other tables that must not
// be read as fields.
func TestColumnHeadersByMeaning(t *testing.T) {
	for _, tt := range []struct {
		field   string
		headers []string
	}{
		{FieldName, []string{
			"Sub-processor", "Sub-Processors", "SUBPROCESSOR", "Subprocessor name", "Sub-processor's name", "Name of Sub-processor",
			"Entity Name", "Entity", "Legal entity", "Vendor", "Vendor name", "Supplier", "Provider", "Service provider",
			"Third party", "Third-party name", "Company", "Company name", "Name", "Registered name", "Data processor",
			"Provider of Retool-Managed LLM", "Retool Contracting Entity",
		}},
		{FieldPurpose, []string{
			"Purpose", "Purposes", "Purpose of Processing", "Processing purpose", "Services", "Relevant Services",
			"Relevant Retool Services", "Retool Product", "Purpose/Services", "Purpose / Service", "Nature of processing",
			"Nature and purpose of processing", "Description", "Description of processing", "Services provided",
			"Processing activities", "Function", "Type of service", "Sub-processor services", "Data processing activities",
		}},
		{FieldLocation, []string{
			"Location", "Locations", "Location(s)", "Country", "Countries", "Region", "Location of processing",
			"Location of Subprocessors", "Location of Sub-processor", "Hosting location", "Data location", "Server location",
			"Processing location", "Data centre location", "Data center", "Where data is processed", "Country/Region",
			"Sub-processor location", "Storage location", " location  (of processing) ",
		}},
		{FieldEntityCountry, []string{
			"Entity country", "Entity location", "Corporate location", "Company location", "Headquarters", "HQ",
			"HQ location", "Country of incorporation", "Registered office", "Domicile",
		}},
		{FieldTransferMechanism, []string{
			"Transfer mechanism", "Transfer mechanisms", "Safeguards", "Transfer safeguards", "Legal basis for transfer",
			"International transfers", "Transfer tool",
		}},
		{FieldDataCategories, []string{
			"Data categories", "Categories of personal data", "Personal data", "Personal data processed",
			"Customer data involved", "Types of data", "Data types", "Personal information",
		}},
		{FieldWebsite, []string{"Website", "URL", "Link", "Web site", "Homepage"}},
		{FieldAdded, []string{"Added", "Date added"}},
		{FieldEffective, []string{"Effective date", "Effective from"}},
		{"", []string{
			"Notes", "Clause", "Topic", "Term", "Definition", "Category", "Vendor category", "Additional information",
			"Categories of data subjects", "Governing Law", "Venue", "Typical duration", "Why And How We Process Your Information",
			"Information Categories Used", "Retool-Managed LLM", "Enterprise Support", "",
		}},
	} {
		for _, h := range tt.headers {
			if got, _ := columnField(h); got != tt.field {
				t.Errorf("columnField(%q) = %q, want %q", h, got, tt.field)
			}
		}
	}
}

// table builds a markdown table from a header row and rows of cells.
func table(header string, rows ...string) string {
	n := strings.Count(header, "|") - 1
	return header + "\n" + strings.Repeat("|---", n) + "|\n" + strings.Join(rows, "\n") + "\n"
}

// TestTwoPurposeColumns: "Purpose of Processing" gives the purpose
// wherever it stands, and the text of a weaker purpose column ("Relevant
// Services") is kept in it: it tells the two Amazon rows apart.
func TestTwoPurposeColumns(t *testing.T) {
	rows := []string{
		"| Amazon Web Services, Inc. | Cloud Offerings | Hosting | United States |",
		"| Amazon Web Services, Inc. | Workflows | Hosting | United States |",
		"| Neon, Inc. | Database | | United States |",
		"| Helpful Ltd | - | Support tools | Ireland |",
	}
	src := "# Sub-processors\n\n" + table("| Entity Name | Relevant Services | Purpose of Processing | Location of Subprocessors |", rows...)
	r, _ := extract(t, src)
	want := []string{
		"Hosting; Relevant Services: Cloud Offerings",
		"Hosting; Relevant Services: Workflows",
		"Relevant Services: Database",
		"Support tools",
	}
	var got []string
	for _, row := range r.Rows {
		got = append(got, row.Purpose)
		if row.Location == "" || len(row.Locations) == 0 {
			t.Errorf("%s: no location", row.Name)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("purposes = %q, want %q", got, want)
	}
	// The same with the columns the other way round.
	var swapped []string
	for _, row := range rows {
		c := strings.Split(row, "|")
		c[2], c[3] = c[3], c[2]
		swapped = append(swapped, strings.Join(c, "|"))
	}
	src = "# Sub-processors\n\n" + table("| Entity Name | Purpose of Processing | Relevant Services | Location of Subprocessors |", swapped...)
	r, _ = extract(t, src)
	got = got[:0]
	for _, row := range r.Rows {
		got = append(got, row.Purpose)
	}
	if !slices.Equal(got, want) {
		t.Errorf("swapped columns: purposes = %q, want %q", got, want)
	}
}

// TestColumnsMappedInClauseToml: a header Clause does not know is mapped
// to a field, in any case; a mapping overrides what a header means, and
// "ignore" drops a column.
func TestColumnsMappedInClauseToml(t *testing.T) {
	src := "# Sub-processors\n\n" + table("| Entity | Duty | Hosting Zone | Region | Services |",
		"| Cumulus GmbH | Hosting | Frankfurt | Germany | Compute |",
		"| Helpful Ltd | Support | Dublin | Ireland | Tickets |")
	doc := parse(t, "content/subprocessors.md", src)

	// Without a mapping: "Region" is the location, "Services" the
	// purpose, "Duty" and "Hosting Zone" nothing.
	r, problems := Extract(doc)
	if HasErrors(problems) || r.Rows[0].Location != "Germany" || r.Rows[0].Purpose != "Compute" {
		t.Fatalf("without mapping: %+v, %v", r.Rows[0], problems)
	}
	r, problems = Extract(doc, WithColumns(map[string]string{
		"hosting zone": "location", "DUTY": "purpose", "Region": "entity_country", "Services": "ignore", "Unused": "location",
	}))
	if HasErrors(problems) {
		t.Fatalf("problems: %v", problems)
	}
	got := r.Rows[1]
	if got.Location != "Dublin" || !slices.Equal(got.Locations, []string{"IE"}) || got.Purpose != "Support" || got.EntityCountry != "Ireland" {
		t.Errorf("mapped row = %+v", got)
	}
	// An unknown field is not a mapping (config.Load reports it).
	r, _ = Extract(doc, WithColumns(map[string]string{"Hosting Zone": "place"}))
	if r.Rows[0].Location != "Germany" {
		t.Errorf("unknown field mapped: %+v", r.Rows[0])
	}
}

// mappingLines reads the clause.toml lines that a problem suggests.
var mappingLines = regexp.MustCompile(`(?m)^("[^"]*") = ("[a-z_]+")$`)

// TestMissingColumnIsOneErrorAtTheTable: a table whose location column is
// not recognised is one error at its header line that names the headers,
// the missing field and the clause.toml lines that map it; with those
// lines, the table reads without errors.
func TestMissingColumnIsOneErrorAtTheTable(t *testing.T) {
	src := "---\ntitle: Sub-processors\n---\n# Sub-processors\n\n" + table("| Entity Name | Purpose of Processing | Hosting Zone |",
		"| Cumulus GmbH | Hosting | Germany |",
		"| Helpful Ltd | Support | Ireland |",
		"| Mailbird Inc. | Email | United States |")
	doc := parse(t, "content/subprocessors.md", src)
	r, problems := Extract(doc)
	var errs []Problem
	for _, p := range problems {
		if p.Severity == Error {
			errs = append(errs, p)
		}
	}
	if len(errs) != 1 || len(r.Rows) != 3 {
		t.Fatalf("want one error and 3 rows, got %d rows and %v", len(r.Rows), errs)
	}
	msg := errs[0].Error()
	for _, want := range []string{
		"content/subprocessors.md:6: ", "no location column",
		`"Entity Name", "Purpose of Processing", "Hosting Zone"`,
		"clause.toml:\n[subprocessors.columns]\n\"Hosting Zone\" = \"location\"",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not contain %q", msg, want)
		}
	}
	mapping := map[string]string{}
	for _, m := range mappingLines.FindAllStringSubmatch(msg, -1) {
		mapping[strings.Trim(m[1], `"`)] = strings.Trim(m[2], `"`)
	}
	r, problems = Extract(doc, WithColumns(mapping))
	if HasErrors(problems) || r.Rows[2].Location != "United States" {
		t.Errorf("with the suggested mapping %v: %v, %+v", mapping, problems, r.Rows[2])
	}

	// Two fields missing: one error, one line for each.
	src = "# Sub-processors\n\n" + table("| Vendor | Job | Zone |", "| A GmbH | x | Germany |", "| B Ltd | y | Ireland |")
	_, problems = Extract(parse(t, "content/subprocessors.md", src))
	if len(problems) != 1 || !strings.Contains(problems[0].Msg, "no purpose or location column") ||
		!strings.HasSuffix(problems[0].Msg, "[subprocessors.columns]\n\"Job\" = \"purpose\"\n\"Zone\" = \"location\"") {
		t.Errorf("problems = %v", problems)
	}

	// A table whose only recognised column is a name ("Entity") is the
	// list of a sub-processor document that has no other...
	src = "# Sub-processors\n\n" + table("| Entity | Job | Zone |", "| A GmbH | x | Germany |")
	if r, problems = Extract(parse(t, "content/subprocessors.md", src)); len(r.Rows) != 1 || len(problems) != 1 ||
		!strings.Contains(problems[0].Msg, `"Entity", "Job", "Zone"`) {
		t.Errorf("name-only table: rows %q, problems %v", names(r.Rows), problems)
	}
	// ...and is nothing beside one that is a list.
	src += "\n" + table("| Name | Purpose | Location |", "| B Ltd | Support | Ireland |")
	if r, problems = Extract(parse(t, "content/subprocessors.md", src)); len(r.Rows) != 1 || r.Rows[0].Name != "B Ltd" || len(problems) != 0 {
		t.Errorf("name-only table beside a list: rows %q, problems %v", names(r.Rows), problems)
	}

	// A location named by the heading needs no column.
	src = "# Sub-processors in Germany\n\n" + table("| Vendor | Purpose |", "| A GmbH | Hosting |")
	if r, problems = Extract(parse(t, "content/subprocessors.md", src)); HasErrors(problems) || r.Rows[0].Location != "Germany" {
		t.Errorf("heading location: %v, %+v", problems, r.Rows)
	}
}

// TestEmptyCellsAreEmptyValues: a column filled in some rows only leaves
// the others empty, without errors or placeholders.
func TestEmptyCellsAreEmptyValues(t *testing.T) {
	src := "# Sub-processors\n\n" + table("| Sub-processor | Purpose | Location | Data categories | Entity country | Website |",
		"| Cumulus GmbH | Hosting | Germany | Contact data, usage data | Germany | https://cumulus.example |",
		"| Helpful Ltd | Support | Ireland | | | |",
		"| Ledgerly AB | Bank feeds | Sweden | - |  | |",
		"| Inkwell Ltd | Printing | Ireland |")
	r, problems := extract(t, src)
	if len(r.Rows) != 4 || len(problems) != 0 {
		t.Fatalf("rows %q, problems %v", names(r.Rows), problems)
	}
	if !slices.Equal(r.Rows[0].DataCategories, []string{"Contact data", "usage data"}) {
		t.Errorf("first row categories %q", r.Rows[0].DataCategories)
	}
	for _, row := range r.Rows[1:] {
		if len(row.DataCategories) != 0 || row.EntityCountry != "" || row.Website != "" {
			t.Errorf("%s: empty cells read as %q, %q, %q", row.Name, row.DataCategories, row.EntityCountry, row.Website)
		}
	}
}

// dpaWithAnnex is a DPA whose annex lists the sub-processors, with a table
// of definitions and a list that must not be read.
const dpaWithAnnex = `---
title: Data Processing Agreement
kind: dpa
---
# Data Processing Agreement

| Term | Definition |
|---|---|
| Personal Data | Any information relating to an identified person. |

| Company | Country |
|---|---|
| Northwind Ledger Ltd | Ireland |

## 7. Sub-processors

The Processor may engage the sub-processors listed in Annex 3.

- **Cumulus Cloud GmbH** — hosting (Germany)

## Annex 3 — List of Sub-processors

| Sub-processor | Nature of processing | Data centre location | Transfer mechanism |
|---|---|---|---|
| Cumulus Cloud GmbH | Hosting | Germany | Not applicable (EEA) |
| Mailbird Inc. | Email delivery | United States | SCCs |
`

// TestSubprocessorTableInADPA: a DPA's annex table is a register; its
// definitions, its table of companies and the bullet list in its clauses
// are not.
func TestSubprocessorTableInADPA(t *testing.T) {
	r, problems := Extract(parse(t, "content/dpa.md", dpaWithAnnex))
	if HasErrors(problems) || r.Source != SourceBody {
		t.Fatalf("source %v, problems %v", r.Source, problems)
	}
	if got := names(r.Rows); !slices.Equal(got, []string{"Cumulus Cloud GmbH", "Mailbird Inc."}) {
		t.Fatalf("rows %q", got)
	}
	if row := r.Rows[1]; row.Purpose != "Email delivery" || row.Location != "United States" || row.TransferMechanism != "SCCs" ||
		row.Group != "Annex 3 — List of Sub-processors" || row.Line != 26 {
		t.Errorf("row = %+v", row)
	}
	// Without the annex, the DPA lists no sub-processors.
	before, _, _ := strings.Cut(dpaWithAnnex, "## Annex 3")
	if r, problems = Extract(parse(t, "content/dpa.md", before)); r.Source != SourceNone || len(r.Rows) != 0 || len(problems) != 0 {
		t.Errorf("without annex: source %v, rows %q, problems %v", r.Source, names(r.Rows), problems)
	}
	// A table whose heading says "sub-processors" is one even without a
	// location column, and says what it lacks.
	annex := "---\nkind: dpa\n---\n## Annex 3: Sub-processors\n\n" + table("| Name | Purpose | Hosting Zone |", "| A GmbH | Hosting | Germany |")
	r, problems = Extract(parse(t, "content/dpa.md", annex))
	if len(r.Rows) != 1 || len(problems) != 1 || problems[0].Line != 6 || !strings.Contains(problems[0].Msg, `"Hosting Zone" = "location"`) {
		t.Errorf("annex without location column: rows %q, problems %v", names(r.Rows), problems)
	}
}

// TestTableWithoutNameColumn: in a sub-processor document whose only
// table has a purpose and a location column but no recognised name, the
// table is one error that says how to map the name; beside another list
// it is nothing.
func TestTableWithoutNameColumn(t *testing.T) {
	src := "# Sub-processors\n\n" + table("| Tool | Use | Where |", "| A GmbH | Hosting | Germany |", "| B Ltd | Support | Ireland |")
	r, problems := Extract(parse(t, "content/subprocessors.md", src))
	if len(r.Rows) != 2 || r.Rows[1].Purpose != "Support" || len(problems) != 1 || problems[0].Line != 3 ||
		!strings.HasSuffix(problems[0].Msg, "no name column: its columns are \"Tool\", \"Use\", \"Where\"; if one of them gives the name, map it in clause.toml:\n[subprocessors.columns]\n\"Tool\" = \"name\"") {
		t.Errorf("rows %+v, problems %v", r.Rows, problems)
	}
	r, problems = Extract(parse(t, "content/subprocessors.md", src), WithColumns(map[string]string{"tool": "name"}))
	if len(r.Rows) != 2 || r.Rows[0].Name != "A GmbH" || HasErrors(problems) {
		t.Errorf("mapped: rows %+v, problems %v", r.Rows, problems)
	}
	src += "\n" + table("| Name | Purpose | Location |", "| C AB | Bank feeds | Sweden |")
	if r, problems = Extract(parse(t, "content/subprocessors.md", src)); len(r.Rows) != 1 || len(problems) != 0 {
		t.Errorf("beside a list: rows %q, problems %v", names(r.Rows), problems)
	}
	// Outside a sub-processor document, such a table is not a register.
	if r, problems = Extract(parse(t, "content/dpa.md", "---\nkind: dpa\n---\n"+src)); len(r.Rows) != 1 || len(problems) != 0 {
		t.Errorf("in a DPA: rows %q, problems %v", names(r.Rows), problems)
	}
}

// TestASCIIFold checks the ASCII fast paths of foldedWords and slug
// against the general path through wordsOf.
func TestASCIIFold(t *testing.T) {
	for _, s := range []string{"", " ", "S000123", "Relayfinch Mail GmbH", "--a--B--", "x", "AWS eu-west-1 (Ireland)", "a_b.c/d|e", "Hosting v3", "  lead  trail  ", "\t\n"} {
		ws := wordsOf(s)
		want := make([]string, len(ws))
		for i, w := range ws {
			want[i] = w.norm
		}
		if got := asciiFoldedWords(s); strings.Join(got, "\x00") != strings.Join(want, "\x00") || len(got) != len(want) {
			t.Errorf("asciiFoldedWords(%q) = %q, want %q", s, got, want)
		}
		if got, w := asciiSlug(s), strings.Join(want, "-"); got != w {
			t.Errorf("asciiSlug(%q) = %q, want %q", s, got, w)
		}
	}
	for c := 0; c < 128; c++ {
		s := "a" + string(rune(c)) + "B"
		ws := wordsOf(s)
		want := make([]string, len(ws))
		for i, w := range ws {
			want[i] = w.norm
		}
		if got := asciiSlug(s); got != strings.Join(want, "-") {
			t.Errorf("asciiSlug(%q) = %q, want %q", s, got, strings.Join(want, "-"))
		}
	}
}

// TestColumnHeadersInTheThemesLanguages: the headers of sub-processor
// lists in the languages the theme ships are read as their fields, as
// written (accents, capitals, spaces, hyphens); a German register builds
// without a column mapping.
func TestColumnHeadersInTheThemesLanguages(t *testing.T) {
	for field, headers := range map[string][]string{
		FieldName: {"Unterauftragsverarbeiter", "Name des Unterauftragsverarbeiters", "Sous-traitant", "Sous-traitants ultérieurs",
			"Subencargado", "Sub-responsabile", "Subverwerker", "Suboperador", "Nom", "Nombre", "Naam", "Navn", "Nimi", "Název"},
		FieldPurpose: {"Zweck", "Zweck der Verarbeitung", "Art und Zweck der Verarbeitung", "Finalité", "Finalité du traitement",
			"Finalidad", "Finalità", "Doel", "Finalidade", "Syfte", "Formål", "Käyttötarkoitus", "Účel", "Cel przetwarzania"},
		FieldLocation: {"Ort der Verarbeitung", "Standort", "Länder", "Lieu de traitement", "Pays", "Ubicación", "País",
			"Luogo del trattamento", "Locatie", "Localização", "Lokalizacja", "Sijainti", "Umístění"},
		FieldEntityCountry:     {"Sitz", "Firmensitz", "Siège social", "Sede", "Vestigingsland", "Siedziba"},
		FieldTransferMechanism: {"Geeignete Garantien", "Übermittlungsmechanismus", "Garanties appropriées", "Mecanismo de transferencia", "Garanzie"},
		FieldDataCategories: {"Datenkategorien", "Kategorien personenbezogener Daten", "Catégories de données personnelles",
			"Categorías de datos personales", "Categorie di dati personali", "Persoonsgegevens", "Dados pessoais", "Osobní údaje"},
		FieldWebsite: {"Webseite", "Site web", "Sitio web"},
		FieldAdded:   {"Hinzugefügt am", "Ajouté le", "Añadido", "Toegevoegd"},
	} {
		for _, h := range headers {
			if got, _ := columnField(h); got != field {
				t.Errorf("columnField(%q) = %q, want %q", h, got, field)
			}
		}
	}
	doc := parse(t, "content/de/subprocessors.md", "---\ntitle: Unterauftragsverarbeiter\nkind: subprocessors\n---\n"+
		table("| Unterauftragsverarbeiter | Zweck | Ort der Verarbeitung | Datenkategorien |",
			"| Hetzner Online GmbH | Hosting | Deutschland | Kontodaten |",
			"| Postmark | E-Mail-Versand | USA | E-Mail-Adressen |"))
	reg, problems := Extract(doc)
	if HasErrors(problems) || reg == nil || len(reg.Rows) != 2 {
		t.Fatalf("German register: %+v, problems %v", reg, problems)
	}
	if r := reg.Rows[0]; r.Name != "Hetzner Online GmbH" || r.Purpose != "Hosting" || r.Location != "Deutschland" || !slices.Equal(r.DataCategories, []string{"Kontodaten"}) {
		t.Errorf("first row read as %+v", r)
	}
}
