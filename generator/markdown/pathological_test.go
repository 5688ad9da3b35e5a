package markdown

import (
	"bytes"
	"strings"
	"testing"
)

// pathological returns bodies whose shape made markdown parsing take time
// quadratic in their size: deep block quotes, deep lists, runs of link
// openers. BenchmarkPathological and the fuzz seeds use them.
func pathological() []struct {
	name string
	body []byte
} {
	// nestedList is a list nested levels deep, each level indented under
	// the one before as a writer would indent it.
	nestedList := func(levels int) []byte {
		var b strings.Builder
		for i := range levels {
			b.WriteString(strings.Repeat("  ", i))
			b.WriteString("- item\n")
		}
		return []byte(b.String())
	}
	return []struct {
		name string
		body []byte
	}{
		{"quote-400k", []byte(strings.Repeat(">", 400_000) + " text\n")},
		{"quote-spaced-200k", []byte(strings.Repeat("> ", 200_000) + "text\n")},
		{"brackets-400k", []byte(strings.Repeat("[", 400_000))},
		{"nested-lists-1000", nestedList(1000)},
		{"inline-lists-200k", []byte(strings.Repeat("- ", 200_000) + "text\n")},
		{"link-openers-100k", []byte(strings.Repeat("[a](", 100_000))},
		{"setext-100k", []byte(strings.Repeat("a\n=\n", 100_000))},
		{"emphasis-400k", []byte(strings.Repeat("*a ", 133_000))},
		{"backticks-400k", []byte(strings.Repeat("`", 400_000))},
		{"angle-400k", []byte(strings.Repeat("<a ", 133_000))},
		{"table-row-400k", []byte("| a | b |\n|---|---|\n" + strings.Repeat("| x ", 100_000) + "\n")},
		{"html-comments-400k", []byte(strings.Repeat("<!--", 100_000))},
		{"nested-brackets-400k", []byte(strings.Repeat("[", 200_000) + "a" + strings.Repeat("]", 200_000))},
		{"emphasis-nested-400k", []byte(strings.Repeat("*a **a ", 30_000) + "b" + strings.Repeat(" a** a*", 30_000))},
		{"link-emphasis-400k", []byte(strings.Repeat("[ a_", 100_000))},
		{"links-paragraph-280k", []byte(strings.Repeat("See [a][r] and [b][r].\n", 12_000) + "\n[r]: https://x.example\n")},
		// As deep as Clause parses, on every other line of 1 MiB: beyond
		// the budget of nesting work (refused)...
		{"quotes-at-limit-1m", bytes.Repeat([]byte(strings.Repeat(">", MaxNesting)+" text\n\n"), 10_000)},
		{"lists-at-limit-1m", bytes.Repeat(nestedList(MaxNesting), 100)},
		// ... and within it, with text between the deep lines (parsed).
		{"quotes-within-budget-1m", bytes.Repeat([]byte(strings.Repeat(">", MaxNesting)+" text\n\n"+strings.Repeat("The processor shall keep records. ", 20)+"\n\n"), 1_300)},
		{"lists-within-budget-1m", bytes.Repeat(append(nestedList(MaxNesting), strings.Repeat("The processor shall keep records. ", 600)+"\n\n"...), 30)},
		{"lazy-lines-at-limit-1m", []byte(strings.Repeat(">", MaxNesting) + " text\n" + strings.Repeat("x\n", 500_000))},
	}
}

// BenchmarkPathological runs Render and Blocks on each pathological body.
// Run one at a time to see its time and peak memory:
//
//	/usr/bin/time -v go test -run '^$' -bench 'Pathological/quote-400k$' -benchtime 1x ./generator/markdown
func BenchmarkPathological(b *testing.B) {
	for _, c := range pathological() {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.body)))
			b.ReportAllocs()
			for b.Loop() {
				_, _ = Render(c.body)
				Blocks(c.body)
			}
		})
	}
}
