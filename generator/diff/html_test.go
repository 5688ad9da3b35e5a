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

// TestRedlineInTheReadersWords: the words a redline adds (folded runs,
// moves, tables, re-paragraphed runs) are the reader's when Words gives
// them, in the plural form Words.Plural chooses; English otherwise.
func TestRedlineInTheReadersWords(t *testing.T) {
	old := "# Terms\n\nOne.\n\nTwo.\n\nThree.\n\nFour.\n\nFive.\n\nThe clause that moves away from here.\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\nFirst half of a paragraph. Second half of it.\n\nLast.\n"
	new := "# Terms\n\nThe clause that moves away from here.\n\nOne.\n\nTwo.\n\nThree.\n\nFour.\n\nFive.\n\n| A | B |\n|---|---|\n| 1 | 3 |\n\nFirst half of a paragraph.\n\nSecond half of it.\n\nLast.\n"
	r := Compare(markdown.Blocks([]byte(old)), markdown.Blocks([]byte(new)))
	de := &Words{
		Unchanged:     map[string]string{"one": "{{ .Count }} unveränderter Absatz", "other": "{{ .Count }} unveränderte Absätze"},
		ReadInFull:    "im Volltext lesen",
		MovedFrom:     "Verschoben von",
		MovedTo:       "Verschoben nach",
		Line:          "Zeile {{ .Count }}",
		Table:         "Tabelle {{ .Count }}",
		Reparagraphed: map[string]string{"one": "Neu gegliedert: {{ .Count }} Absatz → {{ .To }}", "other": "Neu gegliedert: {{ .Count }} Absätze → {{ .To }}"},
		Plural:        func(n int) string { return map[bool]string{true: "one", false: "other"}[n == 1] },
	}
	for _, c := range []struct {
		words     *Words
		want, not []string
	}{
		{de, []string{"unveränderte Absätze", "Verschoben von", "Verschoben nach", "Zeile ", `aria-label="Tabelle 1"`, "Neu gegliedert: 1 Absatz → 2"}, []string{"unchanged block", "Moved", "Table", "Re-paragraphed", "line "}},
		{nil, []string{"unchanged blocks", "Moved from", "Moved to", "line ", `aria-label="Table 1"`, "Re-paragraphed: 1 paragraph → 2"}, nil},
	} {
		for _, omit := range []bool{false, true} {
			var b strings.Builder
			if err := WriteHTML(&b, r, HTMLOptions{Omit: omit, LinkBase: "/terms/versions/b/", Words: c.words}); err != nil {
				t.Fatal(err)
			}
			html := b.String()
			for _, w := range c.want {
				if !strings.Contains(html, w) {
					t.Errorf("omit %v, words %v: lacks %q in\n%s", omit, c.words != nil, w, html)
				}
			}
			for _, w := range c.not {
				if strings.Contains(html, w) {
					t.Errorf("omit %v: %q in\n%s", omit, w, html)
				}
			}
			if omit && c.words != nil && !strings.Contains(html, "im Volltext lesen") {
				t.Errorf("omitted run not in German:\n%s", html)
			}
		}
	}
}

// TestRedlineIDPrefixAndLevel: with IDPrefix every id the redline writes
// starts with it and every link within the redline reaches one of them;
// with Level its headings stand below that level. The defaults write what
// Level 1 and no prefix write.
func TestRedlineIDPrefixAndLevel(t *testing.T) {
	old := "# Terms\n\n## 1. Scope\n\nOne.\n\nTwo.\n\nThree.\n\nFour.\n\nFive.\n\nThe clause that moves away from here.\n\n## 2. Term\n\n### 2.1 End\n\nOn notice.\n"
	new := "# Terms\n\n## 1. Scope\n\nThe clause that moves away from here.\n\nOne.\n\nTwo.\n\nThree.\n\nFour.\n\nFive.\n\n## 2. Term\n\n### 2.1 End\n\nOn written notice.\n"
	r := Compare(markdown.Blocks([]byte(old)), markdown.Blocks([]byte(new)))
	write := func(o HTMLOptions) string {
		var b strings.Builder
		if err := WriteHTML(&b, r, o); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	if write(HTMLOptions{}) != write(HTMLOptions{Level: 1}) {
		t.Error("Level 0 and Level 1 write different redlines")
	}
	plain := write(HTMLOptions{})
	out := write(HTMLOptions{IDPrefix: "p_", Level: 2})
	ids := regexp.MustCompile(` id="([^"]*)"`).FindAllStringSubmatch(out, -1)
	if len(ids) < 3 { // the move's two ends and the headings
		t.Fatalf("%d ids in\n%s", len(ids), out)
	}
	have := map[string]bool{}
	for _, m := range ids {
		if !strings.HasPrefix(m[1], "p_") {
			t.Errorf("id %q lacks the prefix", m[1])
		}
		have[m[1]] = true
	}
	if len(ids) != len(regexp.MustCompile(` id="`).FindAllString(plain, -1)) {
		t.Errorf("the prefix changed the number of ids")
	}
	links := regexp.MustCompile(`href="#([^"]*)"`).FindAllStringSubmatch(out, -1)
	if len(links) < 2 {
		t.Fatalf("%d links within the redline in\n%s", len(links), out)
	}
	for _, m := range links {
		if !have[m[1]] {
			t.Errorf("link to #%s, which the redline does not have", m[1])
		}
	}
	// Every heading one level deeper, the first an h3.
	levels := func(page string) (l []int) {
		for _, m := range regexp.MustCompile(`<h([1-6])[ >]`).FindAllStringSubmatch(page, -1) {
			n, _ := strconv.Atoi(m[1])
			l = append(l, n)
		}
		return l
	}
	a, b := levels(plain), levels(out)
	if len(a) < 3 || len(a) != len(b) || b[0] != 3 {
		t.Fatalf("headings %v without Level, %v with Level 2", a, b)
	}
	for i := range a {
		if b[i] != a[i]+1 {
			t.Errorf("heading %d: h%d without Level, h%d with Level 2", i, a[i], b[i])
		}
	}
}
