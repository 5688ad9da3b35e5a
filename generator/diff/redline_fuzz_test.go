package diff

import (
	"flag"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/clause-portal/clause/generator/markdown"
)

// maxFuzzInput is the largest pair of texts FuzzRedline times: 1 MiB.
const maxFuzzInput = 1 << 20

// FuzzRedline runs the whole path from markdown to a redline (render the
// page, split both versions into blocks, compare them, write the redline)
// on any two texts, and fails when it takes more than 1 s plus 1 s per MiB
// of input: a text must never make parsing or comparing run away. The
// seeds are spec-like documents and the shapes that once took minutes
// (deep quotes and lists, unclosed links, nested brackets).
func FuzzRedline(f *testing.F) {
	f.Add([]byte(dpa), []byte(strings.Replace(dpa, "processor", "Processor", -1)))
	f.Add([]byte(pastedDPA), []byte(strings.Replace(pastedDPA, "    2.2.", "    2.3.", 1)))
	f.Add([]byte(subprocessors), []byte(subprocessors+"| New Ltd | Hosting | Germany |\n"))
	for _, shape := range pathologicalShapes(64 << 10) {
		f.Add(shape, []byte(dpa))
		f.Add([]byte(dpa), shape)
	}
	f.Fuzz(func(t *testing.T, old, new []byte) {
		size := len(old) + len(new)
		if size > maxFuzzInput {
			t.Skip("larger than 1 MiB")
		}
		budget := time.Second + time.Duration(float64(time.Second)*float64(size)/(1<<20))
		if !fuzzing() {
			// The seeds run with every other test of a busy machine:
			// a margin against being descheduled, still far below the
			// minutes a quadratic case takes.
			budget *= 5
		}
		start := time.Now()
		if _, err := markdown.Render(new); err != nil && markdown.CheckLimits(new) == nil {
			t.Fatalf("Render: %v", err)
		}
		ob, nb := markdown.Blocks(old), markdown.Blocks(new)
		r := Compare(ob, nb)
		if err := WriteHTML(io.Discard, r, HTMLOptions{}); err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d > budget {
			t.Fatalf("%d bytes took %v, over the budget of %v", size, d, budget)
		}
	})
}

// fuzzing reports whether the test binary runs with -test.fuzz.
func fuzzing() bool {
	f := flag.Lookup("test.fuzz")
	return f != nil && f.Value.String() != ""
}

// pathologicalShapes returns texts of about size bytes in the shapes that
// made markdown parsing quadratic.
func pathologicalShapes(size int) [][]byte {
	var list strings.Builder
	for i := 0; list.Len() < size; i++ {
		list.WriteString(strings.Repeat("  ", i%200) + "- item\n")
	}
	return [][]byte{
		[]byte(strings.Repeat(">", size)),
		[]byte(strings.Repeat("> ", size/2) + "x\n"),
		[]byte(strings.Repeat("- ", size/2) + "x\n"),
		[]byte(list.String()),
		[]byte(strings.Repeat("[", size)),
		[]byte(strings.Repeat("[a](", size/4)),
		[]byte(strings.Repeat("[a](<b", size/6)),
		[]byte(strings.Repeat("[a](b (", size/7)),
		[]byte(strings.Repeat("[", size/2) + "a" + strings.Repeat("]", size/2)),
		[]byte(strings.Repeat("*a **a ", size/14) + "b" + strings.Repeat(" a** a*", size/14)),
		[]byte(strings.Repeat("<!--", size/4)),
		[]byte(strings.Repeat(strings.Repeat(">", markdown.MaxNesting)+" x\n\n", size/(markdown.MaxNesting+4))),
	}
}
