package markdown

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// benchBodies returns a DPA of about size bytes written twice: as markdown
// with # headings, and as plain text pasted from a word processor (all-caps
// section titles, "1.1." clauses, indented sub-clauses, • bullets).
func benchBodies(size int) (md, plain []byte) {
	var m, p strings.Builder
	m.WriteString("# Data Processing Agreement\n\n")
	for s := 1; m.Len() < size; s++ {
		fmt.Fprintf(&m, "## %d. Section %d\n\n", s, s)
		fmt.Fprintf(&p, "%d. SECTION %d\n\n", s, s)
		for c := 1; c <= 5; c++ {
			sentence := fmt.Sprintf("The Processor shall process the Personal Data of clause %d.%d only on documented instructions from the Controller,\nincluding with regard to transfers of personal data to a third country,\nunless required to do so by Union or Member State law.", s, c)
			fmt.Fprintf(&m, "%d.%d %s\n\n", s, c, sentence)
			fmt.Fprintf(&p, "    %d.%d. %s\n\n", s, c, strings.ReplaceAll(sentence, "\n", "\n    "))
		}
		m.WriteString("- the name and contact details;\n- the categories of processing;\n\n")
		p.WriteString("• the name and contact details;\n• the categories of processing;\n\n")
	}
	return []byte(m.String()), []byte(p.String())
}

// exampleBody is the body of the example portal's DPA: markdown headings,
// no numbered paragraphs.
func exampleBody(b *testing.B) []byte {
	src, err := os.ReadFile("../../content/dpa.md")
	if err != nil {
		b.Fatal(err)
	}
	parts := strings.SplitN(string(src), "---\n", 3)
	return []byte(parts[len(parts)-1])
}

func BenchmarkRender(b *testing.B) {
	md, plain := benchBodies(60_000)
	for _, c := range []struct {
		name string
		body []byte
	}{{"markdown", md}, {"plain", plain}, {"example", exampleBody(b)}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Render(c.body); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkBlocks(b *testing.B) {
	md, plain := benchBodies(60_000)
	for _, c := range []struct {
		name string
		body []byte
	}{{"markdown", md}, {"plain", plain}, {"example", exampleBody(b)}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.body)))
			b.ReportAllocs()
			for b.Loop() {
				Blocks(c.body)
			}
		})
	}
}
