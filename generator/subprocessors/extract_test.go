package subprocessors

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/clause-portal/clause/generator/document"
)

// parse builds a document from inline markdown.
func parse(t *testing.T, path, src string) *document.Document {
	t.Helper()
	doc, err := document.Parse(path, "content", []byte(src))
	if err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	return doc
}

// extract parses and extracts, failing the test on any error problem.
func extract(t *testing.T, src string) (*Register, []Problem) {
	t.Helper()
	r, problems := Extract(parse(t, "content/subprocessors.md", src))
	for _, p := range problems {
		if p.Severity == Error {
			t.Errorf("unexpected problem: %v", p)
		}
	}
	return r, problems
}

func names(rows []Row) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.Name
	}
	return out
}

func TestExampleContentHasTenRowsInTwoGroups(t *testing.T) {
	src, err := os.ReadFile("../../content/subprocessors.md")
	if err != nil {
		t.Fatal(err)
	}
	r, problems := Extract(parse(t, "content/subprocessors.md", string(src)))
	if HasErrors(problems) {
		t.Errorf("problems: %v", problems)
	}
	problems = append(problems, Validate(r)...)
	if HasErrors(problems) {
		t.Errorf("Validate: %v", problems)
	}
	if r.Source != SourceBody || r.NoticeDays != 30 {
		t.Errorf("source %v, notice days %d", r.Source, r.NoticeDays)
	}
	count := map[string]int{}
	for _, row := range r.Rows {
		count[row.Group]++
	}
	if len(r.Rows) != 10 || count["Infrastructure and service providers"] != 8 || count["Affiliates"] != 2 {
		t.Errorf("rows per group = %v (total %d), want 8 + 2", count, len(r.Rows))
	}
	if got := r.Groups(); !slices.Equal(got, []string{"Infrastructure and service providers", "Affiliates"}) {
		t.Errorf("groups = %q", got)
	}
	first, last := r.Rows[0], r.Rows[9]
	if first.Name != "Cumulus Cloud Hosting GmbH" || first.Line != 13 || first.Website != "https://cumulus-cloud.example" ||
		!slices.Equal(first.Locations, []string{"DE"}) || first.EntityCountry != "Germany" || first.Key != "cumulus-cloud.example" {
		t.Errorf("first row = %+v", first)
	}
	if r.Rows[5].Name != "Inkwell Print & Post Ltd" {
		t.Errorf("ampersand: %q", r.Rows[5].Name)
	}
	if last.Name != "Northwind Ledger Inc." || last.Line != 29 || !slices.Equal(last.Locations, []string{"US"}) ||
		last.TransferMechanism != "SCCs (Module 3)" {
		t.Errorf("last row = %+v", last)
	}
	// The two affiliates share a website: the name tells them apart.
	if r.Rows[8].Key != "northwind-ledger.example/northwind-ledger-uk" || last.Key != "northwind-ledger.example/northwind-ledger" {
		t.Errorf("affiliate keys %q, %q", r.Rows[8].Key, last.Key)
	}
}

// A table as found in the wild: a duplicate name with another purpose,
// ragged spacing, tabs, trailing and doubled pipes, links and inline
// markup in cells, escaped pipes, an empty row and a row with an extra
// cell.
const messyTable = `# Sub-processors

## Infrastructure

|  Vendor name |Services provided| Hosting location | Transfer safeguards | Categories of personal data
| :--- | --- | :---: | --- | --- |
| **Amazon Web Services EMEA SARL** | Cloud hosting	(compute) | Germany,  Ireland | — | Account data; usage data |
|Amazon Web Services EMEA SARL|Email delivery (` + "`SES`" + `)|Ireland|n/a|Email addresses|
| [Twilio Inc.](https://www.twilio.com/) | SMS \| voice notifications | United States (us-east-1) | *EU-U.S. DPF* | Phone numbers ||
Acme   Analytics  Ltd | Product analytics with ` + "`a \\| b`" + ` | U.S. |  | Usage data
|  |  |  |  |  |
| Zeta GmbH | Support | Deutschland | | | extra cell |

## Affiliates

| Entity name | Function | Country | Website |
|---|---|---|---|
| Example Group Ltd | Support | UK | [Website](https://group.example/) |
`

func TestRealWorldTable(t *testing.T) {
	r, problems := extract(t, messyTable)
	want := []Row{
		{Name: "Amazon Web Services EMEA SARL", Purpose: "Cloud hosting (compute)", Location: "Germany, Ireland", Locations: []string{"DE", "IE"},
			DataCategories: []string{"Account data", "usage data"}, Group: "Infrastructure", Line: 7, Key: "amazon-web-services-emea/cloud-hosting-compute"},
		{Name: "Amazon Web Services EMEA SARL", Purpose: "Email delivery (SES)", Location: "Ireland", Locations: []string{"IE"},
			TransferMechanism: "n/a", DataCategories: []string{"Email addresses"}, Group: "Infrastructure", Line: 8, Key: "amazon-web-services-emea/email-delivery-ses"},
		{Name: "Twilio Inc.", Purpose: "SMS | voice notifications", Location: "United States (us-east-1)", Locations: []string{"US"},
			TransferMechanism: "EU-U.S. DPF", DataCategories: []string{"Phone numbers"}, Website: "https://www.twilio.com/", Group: "Infrastructure", Line: 9, Key: "twilio.com"},
		{Name: "Acme Analytics Ltd", Purpose: "Product analytics with a | b", Location: "U.S.", Locations: []string{"US"},
			DataCategories: []string{"Usage data"}, Group: "Infrastructure", Line: 10, Key: "acme-analytics"},
		{Name: "Zeta GmbH", Purpose: "Support", Location: "Deutschland", Locations: []string{"DE"}, Group: "Infrastructure", Line: 12, Key: "zeta"},
		{Name: "Example Group Ltd", Purpose: "Support", Location: "UK", Locations: []string{"GB"}, Website: "https://group.example/",
			Group: "Affiliates", Line: 18, Key: "group.example"},
	}
	if len(r.Rows) != len(want) {
		t.Fatalf("got %d rows %q, want %d", len(r.Rows), names(r.Rows), len(want))
	}
	for i, w := range want {
		if d := diffRows(w, r.Rows[i], true); len(d) > 0 || w.Line != r.Rows[i].Line || w.Key != r.Rows[i].Key ||
			!slices.Equal(w.Locations, r.Rows[i].Locations) {
			t.Errorf("row %d:\n got %+v\nwant %+v\ndiff %v", i, r.Rows[i], w, d)
		}
	}
	// Acme processes in the U.S. with no mechanism: the one warning.
	if len(problems) != 1 || problems[0].Line != 10 || !strings.Contains(problems[0].Msg, "United States") {
		t.Errorf("problems = %v", problems)
	}
}

func TestBulletLists(t *testing.T) {
	src := `# Sub-processors

Sub-processors located in the European Union:

- [Hetzner Online GmbH](https://www.hetzner.com). Hosting of the production environment.
- **Brevo SAS** — transactional email (France)
- [Mollie B.V.](https://www.mollie.com). Payment processing, e.g. card payments. Location: Netherlands. Data categories: billing data; payment details.

Sub-processors located in the United States:

- **Zendesk, Inc.** — customer support ticketing. Transfer mechanism: EU-U.S. Data Privacy Framework.
- [Sentry](https://sentry.io): error monitoring; hosted in the U.S.

## How to object

- **By email** — write to dpo@example.com
- **By post** — to our registered address
`
	r, problems := extract(t, src)
	want := []struct{ name, purpose, location, website, mechanism string }{
		{"Hetzner Online GmbH", "Hosting of the production environment", "European Union", "https://www.hetzner.com", ""},
		{"Brevo SAS", "transactional email", "France", "", ""},
		{"Mollie B.V.", "Payment processing, e.g. card payments", "Netherlands", "https://www.mollie.com", ""},
		{"Zendesk, Inc.", "customer support ticketing", "United States", "", "EU-U.S. Data Privacy Framework"},
		{"Sentry", "error monitoring", "U.S.", "https://sentry.io", ""},
	}
	if len(r.Rows) != len(want) {
		t.Fatalf("rows = %q", names(r.Rows))
	}
	for i, w := range want {
		got := r.Rows[i]
		if got.Name != w.name || got.Purpose != w.purpose || got.Location != w.location || got.Website != w.website ||
			got.TransferMechanism != w.mechanism || got.Group != "Sub-processors" || len(got.Locations) != 1 {
			t.Errorf("row %d = %+v", i, got)
		}
	}
	if got := r.Rows[2].DataCategories; !slices.Equal(got, []string{"billing data", "payment details"}) {
		t.Errorf("data categories = %q", got)
	}
	if r.Rows[0].Line != 5 || r.Rows[4].Line != 12 {
		t.Errorf("lines %d, %d", r.Rows[0].Line, r.Rows[4].Line)
	}
	// Sentry is in the U.S. without a mechanism; nothing else is wrong.
	if len(problems) != 1 || problems[0].Line != 12 {
		t.Errorf("problems = %v", problems)
	}
}

func TestListsAndTablesThatAreNotSubprocessors(t *testing.T) {
	src := `# Data Processing Agreement

## Definitions

- **Personal Data** — any information relating to an identified person.
- **Processing** — any operation performed on personal data.

| Clause | Topic |
|---|---|
| 5 | Security |

| Name | Notes |
|---|---|
| Alice | none |
`
	r, problems := Extract(parse(t, "content/dpa.md", src))
	if len(r.Rows) != 0 || r.Source != SourceNone || len(problems) != 0 {
		t.Errorf("rows %q, source %v, problems %v", names(r.Rows), r.Source, problems)
	}
	// A list under a heading that names sub-processors is still not a list
	// of them when its items do not look like companies.
	src = `# Sub-processors

## How we announce new sub-processors

- **Email** — write to us to subscribe.
- **Feed** — follow the Atom feed of this page.

## Sub-processors

- **Relayfinch Mail GmbH** — email delivery
- **Cumulus** — hosting (Germany)
`
	r, problems = Extract(parse(t, "content/subprocessors.md", src))
	if got := names(r.Rows); !slices.Equal(got, []string{"Relayfinch Mail GmbH", "Cumulus"}) {
		t.Errorf("rows %q", got)
	}
	// Relayfinch has no location: an error, as it should be.
	if len(problems) != 1 || problems[0].Line != 10 || problems[0].Severity != Error {
		t.Errorf("problems %v", problems)
	}
	// In a sub-processor document, finding nothing is worth a warning.
	_, problems = Extract(parse(t, "content/subprocessors.md", "# Sub-processors\n\nWe use none.\n"))
	if len(problems) != 1 || problems[0].Severity != Warning || problems[0].Line != 1 {
		t.Errorf("problems = %v", problems)
	}
}

func TestHeaderWordings(t *testing.T) {
	tests := map[string]string{
		"Sub-processor": FieldName, "SUBPROCESSOR": FieldName, "Supplier": FieldName, "Vendor": FieldName,
		"Provider": FieldName, "Company": FieldName, "Entity Name": FieldName, "Name of sub-processor": FieldName,
		"Purpose": FieldPurpose, "Service": FieldPurpose, "Services": FieldPurpose, "Description of processing": FieldPurpose,
		"Nature of Processing": FieldPurpose, "Function": FieldPurpose,
		"Location": FieldLocation, "Country": FieldLocation, "Hosting location": FieldLocation,
		"Location of processing": FieldLocation, "Processing location": FieldLocation, "Data location": FieldLocation,
		"Region": FieldLocation, " location  (of processing) ": FieldLocation,
		"Corporate location": FieldEntityCountry, "Entity location": FieldEntityCountry, "Entity country": FieldEntityCountry,
		"Headquarters": FieldEntityCountry, "Registered office": FieldEntityCountry,
		"Transfer mechanism": FieldTransferMechanism, "Safeguards": FieldTransferMechanism,
		"Transfer safeguard": FieldTransferMechanism, "Legal basis for transfer": FieldTransferMechanism,
		"Data categories": FieldDataCategories, "Categories of personal data": FieldDataCategories, "Personal data": FieldDataCategories,
		"Website": FieldWebsite, "URL": FieldWebsite, "Link": FieldWebsite,
		"transfer_mechanism": FieldTransferMechanism, "corporate_location": FieldEntityCountry, "data_categories": FieldDataCategories,
		"Notes": "", "Clause": "",
	}
	for label, want := range tests {
		if got := fieldFor(label); got != want {
			t.Errorf("fieldFor(%q) = %q, want %q", label, got, want)
		}
	}
}

func TestLegalSuffixesAreNotIdentity(t *testing.T) {
	for in, want := range map[string]string{
		"Cumulus Cloud Hosting GmbH": "cumulus cloud hosting", "Sentrylane Monitoring Inc.": "sentrylane monitoring",
		"Mollie B.V.": "mollie", "Example S.A.": "example", "Kestrel E-Invoicing Network AB": "kestrel e invoicing network",
		"Acme, LLC": "acme", "Foo Pty Ltd": "foo", "Bar GmbH & Co. KG": "bar", "Ltd": "ltd", "Société Générale S.A.": "societe generale",
	} {
		if got := normName(in); got != want {
			t.Errorf("normName(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzExtract checks that no document makes extraction panic or produce a
// register whose keys are not unique.
func FuzzExtract(f *testing.F) {
	f.Add(messyTable)
	f.Add(versions[7].src)
	f.Add(versions[8].src)
	f.Add("Sub-processors in the U.S.:\n\n- **A** — b. Location: c (d\n- [x](y). z; hosted in the EU.\n")
	f.Add(dpaWithAnnex)
	f.Add("| Entity Name | Relevant Services | Purpose of Processing | Location of Subprocessors |\n|---|---|---|---|\n| A | b | | d |\n| A | | c | d |\n")
	f.Fuzz(func(t *testing.T, src string) {
		doc, err := document.Parse("content/subprocessors.md", "content", []byte(src))
		if err != nil {
			return
		}
		r, _ := Extract(doc)
		keys := map[string]bool{}
		for _, row := range r.Rows {
			if keys[row.Key] {
				t.Fatalf("duplicate key %q", row.Key)
			}
			keys[row.Key] = true
		}
		if c := Compare(r, r); !c.Empty() {
			t.Fatalf("a register differs from itself: %s", c.Summary())
		}
	})
}

func BenchmarkExtract(b *testing.B) {
	content, err := os.ReadFile("../../content/subprocessors.md")
	if err != nil {
		b.Fatal(err)
	}
	var large strings.Builder
	large.WriteString("| Name | Purpose | Location | Website |\n|---|---|---|---|\n")
	for i := range 500 {
		fmt.Fprintf(&large, "| Vendor %d GmbH | Service %d | Germany, Ireland (eu-west-1) | https://vendor%d.example |\n", i, i, i)
	}
	for _, bc := range []struct{ name, src string }{{"example", string(content)}, {"500rows", large.String()}} {
		doc, err := document.Parse("content/subprocessors.md", "content", []byte(bc.src))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				Extract(doc)
			}
		})
	}
}
