package portal

import (
	"fmt"
	"strings"
	"testing"

	"github.com/clause-portal/clause/generator/markdown"
	"github.com/clause-portal/clause/internal/gittest"
)

// parsesRepo commits versions versions of a DPA that links into the
// terms, of the terms, and of a sub-processor list, each version changing
// every document: 3×versions texts in history, of size bytes in all.
func parsesRepo(t testing.TB, versions int) (r *gittest.Repo, size int) {
	r = gittest.New(t)
	for v := 1; v <= versions; v++ {
		var dpa, terms strings.Builder
		dpa.WriteString("# Data Processing Agreement\n\n")
		terms.WriteString("# Terms\n\n")
		for s := 1; s <= 10; s++ {
			fmt.Fprintf(&dpa, "## %d. Section %d\n\nThe Processor shall act on instructions, version %d; see [liability](terms.md#%d-liability-%d).\n\n", s, s, v, s, s)
			fmt.Fprintf(&terms, "## %d. Liability %d\n\nLiability is capped, version %d.\n\n", s, s, v)
		}
		r.Write("content/dpa.md", dpa.String())
		r.Write("content/terms.md", terms.String())
		var rows []string
		for i := 1; i <= v; i++ {
			rows = append(rows, fmt.Sprintf("| Vendor %d Ltd | Hosting | Germany | Not applicable (EEA) | https://v%d.example |", i, i))
		}
		sp := spHeader + strings.Join(rows, "\n") + "\n"
		r.Write("content/subprocessors.md", sp)
		size += dpa.Len() + terms.Len() + len(sp)
		r.Commit(fmt.Sprintf("2026-01-%02dT10:00:00Z", v), fmt.Sprintf("Version %d", v))
	}
	return r, size
}

// TestBuildParses counts how many times a build parses markdown for each
// text it publishes. A text is parsed for its page and for the blocks of
// its redlines, and for its register or for the anchors of links into it:
// three times at most, however many redlines, notices and links use it
// (a version's document and blocks are kept, see textCache).
func TestBuildParses(t *testing.T) {
	const versions = 12
	r, size := parsesRepo(t, versions)
	n0, b0 := markdown.Parses()
	mustBuild(t, r.Dir, Options{})
	n1, b1 := markdown.Parses()
	texts := 3 * versions
	t.Logf("%d parses for %d texts: %.1f per text; %d bytes parsed for %d bytes of text: %.1f times", n1-n0, texts, float64(n1-n0)/float64(texts), b1-b0, size, float64(b1-b0)/float64(size))
	if b1-b0 > int64(3*size) {
		t.Errorf("a build parses %d bytes for %d bytes of text: more than 3 times each", b1-b0, size)
	}
}

func TestTextCacheBudget(t *testing.T) {
	c := textCache[int]{max: 100}
	vs := make([]*Version, 5)
	for i := range vs {
		vs[i] = &Version{Summary: fmt.Sprint(i)}
	}
	c.put(vs[0], 0, 40)
	c.put(vs[1], 1, 40)
	if _, ok := c.get(vs[0]); !ok { // vs[0] is now the most recently used
		t.Fatal("vs[0] dropped within the budget")
	}
	c.put(vs[2], 2, 40) // over budget: vs[1] goes
	if _, ok := c.get(vs[1]); ok {
		t.Error("the least recently used value was kept over the budget")
	}
	for _, i := range []int{0, 2} {
		if v, ok := c.get(vs[i]); !ok || v != i {
			t.Errorf("get(vs[%d]) = %d, %v", i, v, ok)
		}
	}
	c.put(vs[3], 3, 101) // larger than the budget: not kept, nothing dropped
	if _, ok := c.get(vs[3]); ok || c.size != 80 {
		t.Errorf("a value over the budget: kept %v, size %d", ok, c.size)
	}
}
