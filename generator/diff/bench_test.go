package diff

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/clause-portal/clause/generator/markdown"
)

// Vocabulary for generated DPA text.
var (
	benchSubjects = []string{"The Processor", "The Controller", "Each party", "The Sub-processor", "The supervisory authority", "The data subject"}
	benchVerbs    = []string{"shall notify", "shall assist", "may audit", "shall ensure that", "shall not transfer", "shall document", "may object to", "shall delete"}
	benchObjects  = []string{"the Personal Data", "any Personal Data Breach", "the technical and organisational measures", "all Sub-processors",
		"the records of processing", "each request from a data subject", "the Standard Contractual Clauses", "the documented instructions"}
	benchTails = []string{"without undue delay", "within 48 hours", "on 30 days' written notice", "in accordance with Article 28 GDPR",
		"at the Controller's expense", "unless Union or Member State law requires otherwise", "for the duration of the Agreement",
		"taking into account the nature of the processing", "as set out in Annex II", "to the extent reasonably possible"}
	benchTitles = []string{"Definitions", "Scope", "Instructions", "Confidentiality", "Security", "Sub-processors", "Transfers", "Assistance",
		"Breach notification", "Audits", "Deletion", "Liability", "Term", "Governing law"}
	benchVendors   = []string{"Acme Cloud", "Beta Mail", "Gamma Support", "Delta Analytics", "Epsilon Pay", "Zeta Search", "Eta Backup", "Theta CDN"}
	benchCountries = []string{"Ireland", "Germany", "France", "Netherlands", "United States", "Canada", "Japan", "Switzerland"}
)

func pick(r *rand.Rand, words []string) string { return words[r.IntN(len(words))] }

// benchSentence returns a clause sentence of 20–40 words.
func benchSentence(r *rand.Rand) string {
	var parts []string
	for n := 1 + r.IntN(3); n > 0; n-- {
		parts = append(parts, pick(r, benchSubjects)+" "+pick(r, benchVerbs)+" "+pick(r, benchObjects)+" "+pick(r, benchTails))
	}
	return strings.Join(parts, ", and ") + "."
}

// benchSection is a section of a generated DPA: a heading and its
// paragraphs, list items and tables (a table is one chunk of rows).
type benchSection []string

// benchDPA generates a DPA of about size bytes, deterministically from
// seed: numbered sections of clauses, lettered lists and now and then a
// sub-processor table.
func benchDPA(seed uint64, size int) []benchSection {
	r := rand.New(rand.NewPCG(seed, 7))
	doc := []benchSection{{"# Data Processing Agreement"}}
	for s, total := 1, 0; total < size; s++ {
		sec := benchSection{fmt.Sprintf("## %d %s", s, pick(r, benchTitles))}
		for c := 1; c <= 3+r.IntN(4); c++ {
			sec = append(sec, wrap(fmt.Sprintf("%d.%d %s", s, c, benchSentence(r)), 72))
		}
		for i := 0; i < r.IntN(4); i++ {
			sec = append(sec, fmt.Sprintf("- (%c) %s", 'a'+i, benchSentence(r)))
		}
		if s%8 == 6 {
			rows := []string{"| Sub-processor | Location | Purpose |", "|---|---|---|"}
			for i := 0; i < 10; i++ {
				rows = append(rows, fmt.Sprintf("| %s %d | %s | %s |", pick(r, benchVendors), i, pick(r, benchCountries), pick(r, benchObjects)))
			}
			sec = append(sec, strings.Join(rows, "\n"))
		}
		doc = append(doc, sec)
		total = len(join(doc))
	}
	return doc
}

func wrap(s string, width int) string {
	var b strings.Builder
	col := 0
	for i, w := range strings.Fields(s) {
		if i > 0 && col+1+len(w) > width {
			b.WriteByte('\n')
			col = 0
		} else if i > 0 {
			b.WriteByte(' ')
			col++
		}
		b.WriteString(w)
		col += len(w)
	}
	return b.String()
}

// join assembles a generated document's markdown.
func join(doc []benchSection) []byte {
	var chunks []string
	for _, sec := range doc {
		chunks = append(chunks, sec...)
	}
	return []byte(strings.Join(chunks, "\n\n") + "\n")
}

func clone(doc []benchSection) []benchSection {
	out := make([]benchSection, len(doc))
	for i, sec := range doc {
		out[i] = append(benchSection(nil), sec...)
	}
	return out
}

// editWord replaces, inserts or drops a word of a chunk.
func editWord(r *rand.Rand, chunk string, how int) string {
	words := strings.Fields(chunk)
	k := 1 + r.IntN(len(words)-1)
	switch how % 3 {
	case 0:
		words[k] = "promptly"
	case 1:
		words = append(words[:k], append([]string{"reasonably"}, words[k:]...)...)
	default:
		words = append(words[:k], words[k+1:]...)
	}
	return strings.Join(words, " ")
}

// scatteredEdits edits a word in about 2% of the blocks, inserts and
// deletes two clauses, moves a section and swaps two rows of a table.
func scatteredEdits(doc []benchSection, blocks int) []benchSection {
	r := rand.New(rand.NewPCG(99, 1))
	out := clone(doc)
	for n := blocks / 50; n > 0; {
		sec := out[1+r.IntN(len(out)-1)]
		if i := 1 + r.IntN(len(sec)-1); !strings.HasPrefix(sec[i], "|") {
			sec[i] = editWord(r, sec[i], n)
			n--
		}
	}
	out[5] = append(out[5][:2], append(benchSection{"The Processor shall appoint a data protection officer."}, out[5][2:]...)...)
	out[30] = append(out[30], "The Processor shall keep a register of all transfers.")
	out[12] = append(out[12][:1], out[12][2:]...)
	out[40] = append(out[40][:2], out[40][3:]...)
	// Move section 50 before section 10.
	moved := out[50]
	out = append(out[:50], out[51:]...)
	out = append(out[:10], append([]benchSection{moved}, out[10:]...)...)
	// Swap two rows of the first table.
	for _, sec := range out {
		if last := sec[len(sec)-1]; strings.HasPrefix(last, "|") {
			rows := strings.Split(last, "\n")
			rows[3], rows[4] = rows[4], rows[3]
			sec[len(sec)-1] = strings.Join(rows, "\n")
			break
		}
	}
	return out
}

// everyBlockEdited changes one word in every block, table rows included.
func everyBlockEdited(doc []benchSection) []benchSection {
	r := rand.New(rand.NewPCG(5, 5))
	out := clone(doc)
	for _, sec := range out {
		for i, chunk := range sec {
			if !strings.HasPrefix(chunk, "|") {
				sec[i] = editWord(r, chunk, 0)
				continue
			}
			rows := strings.Split(chunk, "\n")
			for k := range rows {
				if k != 1 {
					rows[k] = strings.Replace(rows[k], " | ", " | amended ", 1)
				}
			}
			sec[i] = strings.Join(rows, "\n")
		}
	}
	return out
}

func BenchmarkCompare(b *testing.B) {
	base := benchDPA(1, 60_000)
	old := markdown.Blocks(join(base))
	cases := []struct {
		name string
		new  []byte
	}{
		{"identical", join(base)},
		{"scattered-edits", join(scatteredEdits(base, len(old)))},
		{"every-block-edited", join(everyBlockEdited(base))},
		{"complete-rewrite", join(benchDPA(2, 60_000))},
	}
	for _, c := range cases {
		new := markdown.Blocks(c.new)
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(join(base)) + len(c.new)))
			var r *Redline
			for b.Loop() {
				r = Compare(old, new)
			}
			b.ReportMetric(float64(len(old)), "old-blocks")
			b.ReportMetric(float64(r.Changed+r.Inserted+r.Deleted+r.Moved), "changes")
		})
	}
}

// TestCompareIsBounded checks that the worst case (every block different)
// takes well under a second, and that the benchmark documents have the
// intended shape.
func TestCompareIsBounded(t *testing.T) {
	base := benchDPA(1, 60_000)
	if n := len(join(base)); n < 55_000 || n > 70_000 {
		t.Errorf("benchmark document is %d bytes", n)
	}
	old := markdown.Blocks(join(base))
	if len(old) < 350 || len(old) > 500 {
		t.Errorf("benchmark document has %d blocks", len(old))
	}
	r := compare(t, string(join(base)), string(join(scatteredEdits(base, len(old)))))
	if r.Inserted != 2 || r.Deleted != 2 || r.Moved < 5 || r.Changed < len(old)/60 || r.Unchanged < len(old)*9/10 {
		t.Errorf("scattered edits: %s (%+v)", r.Summary(), r.Stats)
	}
	for _, new := range [][]byte{join(benchDPA(2, 60_000)), join(everyBlockEdited(base))} {
		nb := markdown.Blocks(new)
		// The best of three runs, so that a busy machine does not fail it.
		best := time.Hour
		var r *Redline
		for range 3 {
			start := time.Now()
			r = Compare(old, nb)
			best = min(best, time.Since(start))
		}
		if best > 500*time.Millisecond {
			t.Errorf("Compare took %v", best)
		}
		checkRedline(t, old, nb, r)
	}
}
