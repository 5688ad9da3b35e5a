package portal

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/clause-portal/clause/internal/gittest"
)

var tbody = regexp.MustCompile(`(?s)<tbody>.*</tbody>`)

// TestRegisterTableHTMLMatchesTemplate builds a register page twice, with
// its table written by the theme's template from register.rows and by
// Clause (register.table_html, as for a register of more than
// RegisterTableRows rows): the two tables must be the same bytes, with
// values html/template escapes (quotes, "+", "&", "<", NUL), websites it
// normalises, data categories, groups and a row that takes effect later.
func TestRegisterTableHTMLMatchesTemplate(t *testing.T) {
	r := gittest.New(t)
	r.Write("content/subprocessors.md", `---
title: Sub-processors
notice_days: 30
subprocessors:
  - name: "Ampersand & <Sons> \"Quoted\" O'Brien + Co"
    purpose: "Hosting <script>alert(1)</script> & backups"
    location: Côte d'Ivoire, Germany and the USA
    entity_country: "Ireland & \"UK\""
    transfer_mechanism: SCCs + DPF
    data_categories: ["Names & emails", "IP <addresses>"]
    website: "https://ampersand.example/a b/ä?x=1&y=\"2\"+3#frag"
    group: Infrastructure & hosting
  - name: "Plain Mail GmbH\u0000"
    purpose: Email delivery
    location: Frankfurt
    group: Communication
  - name: Later Analytics SAS
    purpose: Product analytics
    location: France
    website: http://later.example/
    group: Communication
    effective: 2027-01-15
---
The list is kept in front matter.
`)
	r.Commit("2026-11-20T10:00:00Z", "Publish")
	page := func(rows int) string {
		t.Helper()
		mustBuild(t, r.Dir, Options{Force: true, registerTableRows: rows})
		html := readFile(t, filepath.Join(r.Dir, "public", "subprocessors", "index.html"))
		return tbody.FindString(html)
	}
	fromTemplate, fromGo := page(0), page(1)
	if !strings.Contains(fromTemplate, "Ampersand &amp; &lt;Sons&gt; &#34;Quoted&#34; O&#39;Brien &#43; Co") ||
		!strings.Contains(fromTemplate, `class="upcoming-row"`) || !strings.Contains(fromTemplate, "%c3%a4") {
		t.Fatalf("the test's rows did not reach the template as expected:\n%s", fromTemplate)
	}
	if fromGo != fromTemplate {
		t.Errorf("the table written by Clause differs from the template's\ntemplate:\n%s\nClause:\n%s", fromTemplate, fromGo)
	}
}
