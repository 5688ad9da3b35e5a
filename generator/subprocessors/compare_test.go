package subprocessors

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v3"
)

// The sub-processor list of a fictional processor over ten versions. Each
// step states what changed and what Compare must report.
var versions = []struct {
	name, src, summary string
}{
	{"initial", `# Sub-processors

## Infrastructure

| Name | Purpose | Location | Transfer mechanism | Website |
|---|---|---|---|---|
| Cumulus Cloud Hosting GmbH | Hosting | Germany | | https://cumulus-cloud.example |
| Relayfinch Mail GmbH | Email delivery | Germany | | https://relayfinch.example |
| Quayside Helpdesk Ltd | Support ticketing | United Kingdom | Adequacy decision | https://quayside-helpdesk.example |

## Affiliates

| Name | Purpose | Location | Transfer mechanism | Website |
|---|---|---|---|---|
| Northwind Ledger Inc. | Customer support | United States | SCCs | https://northwind-ledger.example |
`, ""},
	{"add a row", `# Sub-processors

## Infrastructure

| Name | Purpose | Location | Transfer mechanism | Website |
|---|---|---|---|---|
| Cumulus Cloud Hosting GmbH | Hosting | Germany | | https://cumulus-cloud.example |
| Relayfinch Mail GmbH | Email delivery | Germany | | https://relayfinch.example |
| Quayside Helpdesk Ltd | Support ticketing | United Kingdom | Adequacy decision | https://quayside-helpdesk.example |
| Ferrolens SAS | Receipt recognition | France | | https://ferrolens.example |

## Affiliates

| Name | Purpose | Location | Transfer mechanism | Website |
|---|---|---|---|---|
| Northwind Ledger Inc. | Customer support | United States | SCCs | https://northwind-ledger.example |
`, "1 added"},
	{"remove a row", `# Sub-processors

## Infrastructure

| Name | Purpose | Location | Transfer mechanism | Website |
|---|---|---|---|---|
| Cumulus Cloud Hosting GmbH | Hosting | Germany | | https://cumulus-cloud.example |
| Relayfinch Mail GmbH | Email delivery | Germany | | https://relayfinch.example |
| Ferrolens SAS | Receipt recognition | France | | https://ferrolens.example |

## Affiliates

| Name | Purpose | Location | Transfer mechanism | Website |
|---|---|---|---|---|
| Northwind Ledger Inc. | Customer support | United States | SCCs | https://northwind-ledger.example |
`, "1 removed"},
	{"rename with the same website", `# Sub-processors

## Infrastructure

| Name | Purpose | Location | Transfer mechanism | Website |
|---|---|---|---|---|
| Cumulus Cloud Hosting GmbH | Hosting | Germany | | https://cumulus-cloud.example |
| Relayfinch Messaging SE | Email delivery | Germany | | https://relayfinch.example |
| Ferrolens SAS | Receipt recognition | France | | https://ferrolens.example |

## Affiliates

| Name | Purpose | Location | Transfer mechanism | Website |
|---|---|---|---|---|
| Northwind Ledger Inc. | Customer support | United States | SCCs | https://northwind-ledger.example |
`, "1 changed"},
	{"change a location", `# Sub-processors

## Infrastructure

| Name | Purpose | Location | Transfer mechanism | Website |
|---|---|---|---|---|
| Cumulus Cloud Hosting GmbH | Hosting | Germany, Ireland | | https://cumulus-cloud.example |
| Relayfinch Messaging SE | Email delivery | Germany | | https://relayfinch.example |
| Ferrolens SAS | Receipt recognition | France | | https://ferrolens.example |

## Affiliates

| Name | Purpose | Location | Transfer mechanism | Website |
|---|---|---|---|---|
| Northwind Ledger Inc. | Customer support | United States | SCCs | https://northwind-ledger.example |
`, "1 changed"},
	{"reorder rows and re-space the table", `# Sub-processors

## Infrastructure

| Name | Purpose | Location | Transfer mechanism | Website |
|:--|:--|:--|:--|:--|
| Ferrolens SAS | Receipt recognition | France |  | https://ferrolens.example/ |
| Relayfinch Messaging SE |   Email   delivery | Germany | | https://relayfinch.example |
| Cumulus Cloud Hosting GmbH | Hosting | Germany, Ireland | | https://www.cumulus-cloud.example |

## Affiliates

| Name | Purpose | Location | Transfer mechanism | Website |
|---|---|---|---|---|
| Northwind Ledger Inc. | Customer support | United States | SCCs | https://northwind-ledger.example |
`, "no changes"},
	{"move a row to another group", `# Sub-processors

## Infrastructure

| Name | Purpose | Location | Transfer mechanism | Website |
|---|---|---|---|---|
| Relayfinch Messaging SE | Email delivery | Germany | | https://relayfinch.example |
| Cumulus Cloud Hosting GmbH | Hosting | Germany, Ireland | | https://cumulus-cloud.example |

## Affiliates

| Name | Purpose | Location | Transfer mechanism | Website |
|---|---|---|---|---|
| Northwind Ledger Inc. | Customer support | United States | SCCs | https://northwind-ledger.example |
| Ferrolens SAS | Receipt recognition | France | | https://ferrolens.example |
`, "1 moved"},
	{"switch to front matter with the same data", `---
title: Sub-processors
subprocessors:
  - name: Relayfinch Messaging SE
    purpose: Email delivery
    location: Germany
    website: https://relayfinch.example
    group: Infrastructure
  - name: Cumulus Cloud Hosting GmbH
    purpose: Hosting
    location: Germany, Ireland
    website: cumulus-cloud.example
    group: Infrastructure
  - name: Northwind Ledger Inc.
    purpose: Customer support
    location: United States
    transfer_mechanism: SCCs
    website: https://northwind-ledger.example
    group: Affiliates
  - name: Ferrolens SAS
    purpose: Receipt recognition
    location: France
    website: https://ferrolens.example
    group: Affiliates
---
Our sub-processors are listed below.
`, "no changes"},
	{"rename, add and remove at once", `+++
title = "Sub-processors"

[[subprocessors]]
name = "Relayfinch Messaging SE"
purpose = "Email delivery"
location = "Germany"
website = "https://relayfinch.example"
group = "Infrastructure"

[[subprocessors]]
name = "Cumulus Cloud Hosting GmbH"
purpose = "Hosting"
location = "Germany, Ireland"
website = "https://cumulus-cloud.example"
group = "Infrastructure"

[[subprocessors]]
name = "Northwind Ledger Corp."
purpose = "Customer support"
location = "United States"
transfer_mechanism = "SCCs"
website = "https://northwind-ledger.example"
group = "Affiliates"

[[subprocessors]]
name = "Kestrel AB"
purpose = "E-invoicing"
location = "Sweden"
website = "https://kestrel.example"
group = "Affiliates"
+++
`, "1 added, 1 removed, 1 changed"},
}

func TestListEvolvingOverVersions(t *testing.T) {
	var prev *Register
	for i, v := range versions {
		r, _ := extract(t, v.src)
		if i > 0 {
			c := Compare(prev, r)
			if got := c.Summary(); got != v.summary {
				t.Errorf("version %d (%s): %s; want %s\n%s", i, v.name, got, v.summary, describeChanges(c))
			}
			if c.Empty() != (v.summary == "no changes") {
				t.Errorf("version %d: Empty() = %v", i, c.Empty())
			}
		}
		prev = r
	}

	at := func(i int) Changes {
		old, _ := extract(t, versions[i-1].src)
		new, _ := extract(t, versions[i].src)
		return Compare(old, new)
	}
	if c := at(1); c.Added[0].Name != "Ferrolens SAS" || c.Added[0].Group != "Infrastructure" {
		t.Errorf("added %+v", c.Added)
	}
	if c := at(2); c.Removed[0].Name != "Quayside Helpdesk Ltd" {
		t.Errorf("removed %+v", c.Removed)
	}
	want := []FieldChange{{FieldName, "Relayfinch Mail GmbH", "Relayfinch Messaging SE"}}
	if c := at(3); !slices.Equal(c.Changed[0].Fields, want) {
		t.Errorf("rename: %+v", c.Changed[0].Fields)
	}
	want = []FieldChange{{FieldLocation, "Germany", "Germany, Ireland"}}
	if c := at(4); !slices.Equal(c.Changed[0].Fields, want) || !slices.Equal(c.Changed[0].New.Locations, []string{"DE", "IE"}) {
		t.Errorf("location: %+v", c.Changed[0])
	}
	c := at(6)
	want = []FieldChange{{FieldGroup, "Infrastructure", "Affiliates"}}
	if len(c.Moved) != 1 || c.Moved[0].New.Name != "Ferrolens SAS" || !slices.Equal(c.Moved[0].Fields, want) {
		t.Errorf("moved: %+v", c.Moved)
	}
	if c.Substantive() {
		t.Error("a move alone is not substantive")
	}
	c = at(8)
	if c.Added[0].Name != "Kestrel AB" || c.Removed[0].Name != "Ferrolens SAS" ||
		c.Changed[0].Fields[0] != (FieldChange{FieldName, "Northwind Ledger Inc.", "Northwind Ledger Corp."}) {
		t.Errorf("version 8: %s", describeChanges(c))
	}
	if !c.Substantive() {
		t.Error("version 8 is substantive")
	}
}

func describeChanges(c Changes) string {
	var b strings.Builder
	for _, r := range c.Added {
		fmt.Fprintf(&b, "  + %s [%s]\n", r.Name, r.Key)
	}
	for _, r := range c.Removed {
		fmt.Fprintf(&b, "  - %s [%s]\n", r.Name, r.Key)
	}
	for _, rc := range append(c.Changed, c.Moved...) {
		fmt.Fprintf(&b, "  ~ %s %+v\n", rc.New.Name, rc.Fields)
	}
	return b.String()
}

// The example portal's table, rewritten as front matter with the same
// data, is no change.
func TestExampleTableToFrontMatterIsNoChange(t *testing.T) {
	src, err := os.ReadFile("../../content/subprocessors.md")
	if err != nil {
		t.Fatal(err)
	}
	table, _ := extract(t, string(src))
	var list []map[string]any
	for _, r := range slices.Backward(table.Rows) {
		list = append(list, map[string]any{
			"name": r.Name, "purpose": r.Purpose, "location": r.Location, "corporate_location": r.EntityCountry,
			"transfer_mechanism": r.TransferMechanism, "website": r.Website, "group": r.Group,
		})
	}
	fm, err := yaml.Marshal(map[string]any{"title": "Sub-processors", "subprocessors": list})
	if err != nil {
		t.Fatal(err)
	}
	front, problems := extract(t, "---\n"+string(fm)+"---\nSee the list above.\n")
	if front.Source != SourceFrontMatter || len(front.Rows) != 10 || len(problems) != 0 {
		t.Fatalf("source %v, %d rows, problems %v", front.Source, len(front.Rows), problems)
	}
	if c := Compare(table, front); !c.Empty() {
		t.Errorf("table → front matter: %s\n%s", c.Summary(), describeChanges(c))
	}
	// Renaming an affiliate that shares its website with another is a
	// change of that row, not a removal and an addition.
	renamed := strings.Replace(string(src), "Northwind Ledger UK Limited", "Northwind Ledger Europe Limited", 1)
	next, _ := extract(t, renamed)
	c := Compare(table, next)
	if c.Summary() != "1 changed" || c.Changed[0].Fields[0].New != "Northwind Ledger Europe Limited" {
		t.Errorf("affiliate rename: %s\n%s", c.Summary(), describeChanges(c))
	}
}

func TestCompareSummaryAndNil(t *testing.T) {
	r, _ := extract(t, versions[0].src)
	c := Compare(nil, r)
	if c.Summary() != "4 added" || c.Empty() {
		t.Errorf("from nothing: %s", c.Summary())
	}
	if c := Compare(r, nil); c.Summary() != "4 removed" {
		t.Errorf("to nothing: %s", c.Summary())
	}
	if c := Compare(nil, nil); !c.Empty() || c.Summary() != "no changes" || c.Substantive() {
		t.Errorf("nil, nil: %s", c.Summary())
	}
}

// A second row for an existing company changes the keys of both (name and
// purpose are then needed to tell them apart), yet the existing row still
// matches its earlier version.
func TestDuplicateNameAddedKeepsIdentity(t *testing.T) {
	old, _ := extract(t, "| Name | Purpose | Location |\n|---|---|---|\n| AWS | Hosting | Ireland |\n| Stripe | Payments | Ireland |\n")
	new, _ := extract(t, "| Name | Purpose | Location |\n|---|---|---|\n| Stripe | Payments | Ireland |\n| AWS | Email | Ireland |\n| AWS | Hosting | Germany |\n")
	if old.Rows[0].Key != "aws" || new.Rows[1].Key != "aws/email" || new.Rows[2].Key != "aws/hosting" {
		t.Errorf("keys %q, %q, %q", old.Rows[0].Key, new.Rows[1].Key, new.Rows[2].Key)
	}
	c := Compare(old, new)
	if c.Summary() != "1 added, 1 changed" || c.Added[0].Purpose != "Email" || c.Changed[0].Fields[0].Field != FieldLocation {
		t.Errorf("%s\n%s", c.Summary(), describeChanges(c))
	}
}
