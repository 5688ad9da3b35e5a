package markdown

import (
	"strings"
	"testing"
)

func TestClauseAnchors(t *testing.T) {
	body := "# DPA\n\n## 1. Definitions\n\n### 1.1 Terms\n\n## Clause 12 Liability\n\n## Annex II – Security measures\n\n## Sub-processors\n\n## Sub-processors\n\n## Übermittlung in Drittländer\n"
	r, err := Render([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		id, number string
		level      int
	}{
		{"dpa", "", 1}, {"clause-1", "1", 2}, {"clause-1-1", "1.1", 3}, {"clause-12", "12", 2},
		{"annex-ii", "", 2}, {"sub-processors", "", 2}, {"sub-processors-2", "", 2}, {"ubermittlung-in-drittlander", "", 2},
	}
	if len(r.Headings) != len(want) {
		t.Fatalf("got %d headings: %+v", len(r.Headings), r.Headings)
	}
	for i, w := range want {
		h := r.Headings[i]
		if h.ID != w.id || h.Number != w.number || h.Level != w.level {
			t.Errorf("heading %d: %+v, want id %q number %q level %d", i, h, w.id, w.number, w.level)
		}
		if !strings.Contains(string(r.HTML), `id="`+w.id+`"`) {
			t.Errorf("HTML lacks id %q", w.id)
		}
	}
	if r.Headings[2].Line != 5 {
		t.Errorf("line of 1.1 = %d, want 5", r.Headings[2].Line)
	}
}

func TestUntrustedMarkdownIsDefused(t *testing.T) {
	body := "Hello <script>alert(1)</script>\n\n<div onclick=\"x()\">raw</div>\n\n[click](javascript:alert(1))\n\n{{< youtube abc >}} and {{% param x %}}\n\n```\n{{ .Site }}\n```\n"
	r, err := Render([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	html := string(r.HTML)
	for _, bad := range []string{"<script", "onclick", "javascript:", "{{"} {
		if strings.Contains(html, bad) {
			t.Errorf("output contains %q:\n%s", bad, html)
		}
	}
	if !strings.Contains(html, "&#123;&#123;&lt; youtube abc &gt;}}") {
		t.Errorf("shortcode-like text not kept as text:\n%s", html)
	}
	unsafe, err := Render([]byte(body), WithUnsafeHTML())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(unsafe.HTML), "<script>") {
		t.Error("WithUnsafeHTML did not pass raw HTML through")
	}
}

func TestTitleAndWithoutTitle(t *testing.T) {
	body := []byte("\n# Privacy *Notice*\n\nText.\n")
	title, line, ok := Title(body)
	if !ok || title != "Privacy Notice" || line != 2 {
		t.Fatalf("Title = %q, %d, %v", title, line, ok)
	}
	r, err := Render(body, WithoutTitle(title))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(r.HTML), "<h1") || !strings.Contains(string(r.HTML), "<p>Text.</p>") {
		t.Errorf("title not dropped: %s", r.HTML)
	}
	if _, _, ok := Title([]byte("Intro.\n\n# Later heading\n")); ok {
		t.Error("a heading after the first block is not the title")
	}
}

func TestTables(t *testing.T) {
	r, err := Render([]byte("| Name | Location |\n|---|---|\n| Acme | Ireland |\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(r.HTML), "<td>Acme</td>") {
		t.Errorf("table not rendered: %s", r.HTML)
	}
}

// TestTablesScrollInANamedRegion: a table is wrapped in a focusable
// scroll container named by the heading above it (inside a list too), and
// every region has its own name.
func TestTablesScrollInANamedRegion(t *testing.T) {
	table := "| Name | Location |\n|---|---|\n| Acme | Ireland |\n"
	r, err := Render([]byte(table + "\n## 3. Sub-processors\n\nText.\n\n" + table + "\n- item\n\n  " + strings.ReplaceAll(table, "\n", "\n  ") + "\n## 4. Other\n\n" + table))
	if err != nil {
		t.Fatal(err)
	}
	html := string(r.HTML)
	for _, want := range []string{
		"<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"Table 1\">\n<table>",
		"<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-labelledby=\"clause-3\">\n<table>",
		"<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"3. Sub-processors, table 2\">\n<table>",
		"<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-labelledby=\"clause-4\">\n<table>",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("no %q in\n%s", want, html)
		}
	}
	if n := strings.Count(html, "</table>\n</div>"); n != 4 {
		t.Errorf("%d tables closed in their region, want 4:\n%s", n, html)
	}
	// A column with a sentence in it is marked long in its header.
	r, err = Render([]byte("| Name | Purpose | Country |\n|---|---|---|\n| Acme | Short | Ireland |\n| Bolt | " + strings.Repeat("word ", 12) + "| France |\n"))
	if err != nil || !strings.Contains(string(r.HTML), "<th>Name</th>\n<th class=\"long\">Purpose</th>\n<th>Country</th>") {
		t.Errorf("long column: %v\n%s", err, r.HTML)
	}
	// A second page starts counting again.
	r, err = Render([]byte(table))
	if err != nil || !strings.Contains(string(r.HTML), `aria-label="Table 1"`) {
		t.Errorf("second render: %v\n%s", err, r.HTML)
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"Data Processing Agreement": "data-processing-agreement",
		"  Terms & Conditions!  ":   "terms-conditions",
		"日本語":                       "section",
		"Rechte der Betroffenen":    "rechte-der-betroffenen",
	} {
		if got := Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestTitleFirstLine checks that Title gives the same title whether it
// reads the first line alone or the whole body.
func TestTitleFirstLine(t *testing.T) {
	for _, body := range []string{
		"# Data Processing Agreement\n\nText.\n",
		"\n\n# *Terms* of `Service` #\n\n## 1. Scope\n",
		"# Terms &amp; Conditions\n",
		"# [Terms][t]\n\n[t]: https://x.example\n",
		"Terms\n=====\n\nText.\n",
		"#Not a heading\n",
		"    # indented code\n",
		"DATA PROCESSING AGREEMENT\n\n1. SCOPE\n\nThe processor shall act.\n\n2. TERM\n\nIt lasts.\n",
	} {
		title, line, ok := Title([]byte(body))
		// The whole body, parsed as Render parses it.
		r, err := Render([]byte(body))
		if err != nil {
			t.Fatal(err)
		}
		var want string
		if len(r.Headings) > 0 && r.Headings[0].Level == 1 && r.Headings[0].Line == line {
			want = r.Headings[0].Text
		}
		if ok != (want != "") || title != want {
			t.Errorf("Title(%q) = %q, %d, %v; the first heading of the page is %q", body, title, line, ok, want)
		}
	}
}
