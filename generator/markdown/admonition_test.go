package markdown

import (
	"strings"
	"testing"
)

// TestDocusaurusAdmonitions: ":::note … :::" is a call-out box holding the
// text, not published markers; its text is compared in redlines.
func TestDocusaurusAdmonitions(t *testing.T) {
	body := []byte("# DPA\n\n:::note\n\nApplicable to customers on **any** plan.\n\n:::\n\n:::warning[Before 2026]\nOld terms apply.\n:::\n\n1. Clause text.\n\n::: not an admonition\n")
	r, err := Render(body)
	if err != nil {
		t.Fatal(err)
	}
	html := string(r.HTML)
	for _, want := range []string{
		"<aside class=\"admonition admonition-note\" role=\"note\">\n<p class=\"admonition-title\">Note</p>\n<p>Applicable to customers on <strong>any</strong> plan.</p>\n</aside>",
		"<aside class=\"admonition admonition-warning\" role=\"note\">\n<p class=\"admonition-title\">Before 2026</p>\n<p>Old terms apply.</p>\n</aside>",
		"<p>::: not an admonition</p>",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("rendered HTML lacks %q:\n%s", want, html)
		}
	}
	if strings.Contains(html, ":::note") || strings.Contains(html, "<p>:::</p>") {
		t.Errorf("admonition markers published:\n%s", html)
	}
	var texts []string
	for _, b := range Blocks(body) {
		texts = append(texts, b.Text)
	}
	joined := strings.Join(texts, "|")
	if !strings.Contains(joined, "Applicable to customers on any plan.") || strings.Contains(joined, ":::note") || strings.Contains(joined, "|:::|") {
		t.Errorf("blocks: %q", joined)
	}
}
