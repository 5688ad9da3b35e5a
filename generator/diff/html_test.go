package diff

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/clause-portal/clause/generator/markdown"
)

// TestRedlineHeadingsSkipNoLevel: a change deep in a document, with the
// headings above it folded away, is under an h2 at most (the page's title
// is the h1), and no heading is more than one level below the one before,
// whether the folded text is open or closed.
func TestRedlineHeadingsSkipNoLevel(t *testing.T) {
	old := "## 1. Scope\n\nText one.\n\nText two.\n\nText three.\n\n### 1.1 Detail\n\nText four.\n\n#### 1.1.1 Fine print\n\nWithin 72 hours.\n\n## 2. Term\n\nUntil ended.\n\n### 2.1 End\n\nOn notice.\n"
	new := strings.Replace(strings.Replace(old, "72", "48", 1), "On notice.", "On written notice.", 1)
	for _, omit := range []bool{true, false} {
		var b strings.Builder
		if err := WriteHTML(&b, Compare(markdown.Blocks([]byte(old)), markdown.Blocks([]byte(new))), HTMLOptions{Omit: omit}); err != nil {
			t.Fatal(err)
		}
		// With the folded runs open, and closed.
		closed := regexp.MustCompile(`(?s)<details.*?</details>`).ReplaceAllString(b.String(), "")
		for _, page := range []string{b.String(), closed} {
			levels := regexp.MustCompile(`<h([1-6])[ >]`).FindAllStringSubmatch(page, -1)
			if len(levels) < 3 {
				t.Fatalf("omit %v: %d headings in\n%s", omit, len(levels), page)
			}
			prev := 1
			for _, m := range levels {
				l, _ := strconv.Atoi(m[1])
				if l > prev+1 {
					t.Errorf("omit %v: h%d after h%d in\n%s", omit, l, prev, page)
				}
				prev = l
			}
		}
		if !strings.Contains(b.String(), `<h3 id="clause-2-1"`) {
			t.Errorf("omit %v: clause 2.1 is not an h3 under clause 2 (h2):\n%s", omit, b.String())
		}
	}
}
