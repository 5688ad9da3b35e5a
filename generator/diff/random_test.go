package diff

import (
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/clause-portal/clause/generator/markdown"
)

// TestRandomEditsKeepInvariants edits a numbered DPA at random the ways
// this package must recognise (clauses inserted, removed and moved with
// renumbering, paragraphs split and merged, words changed, list items
// renumbered) and checks every redline's invariants (checkRedline) and
// writers. The fuzz targets reach these paths only by chance.
func TestRandomEditsKeepInvariants(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	words := strings.Fields("the processor shall notify controller of any personal data breach without undue delay and assist with audits records sub-processors transfers")
	sentence := func() string {
		n := 4 + rng.IntN(10)
		w := make([]string, n)
		for i := range w {
			w[i] = words[rng.IntN(len(words))]
		}
		return strings.ToUpper(w[0][:1]) + strings.Join(w, " ")[1:] + "."
	}
	type section struct {
		title string
		paras [][]string // paragraphs of sentences
		items bool
	}
	render := func(secs []section, style int) string {
		var b strings.Builder
		b.WriteString("# DPA\n\nPreamble text.\n\n")
		for n, s := range secs {
			switch style {
			case 0:
				fmt.Fprintf(&b, "## %d %s\n\n", n+1, s.title)
			case 1:
				fmt.Fprintf(&b, "## Part\n\n%d. **%s**\n\n", n+1, s.title)
			}
			for k, p := range s.paras {
				if s.items {
					fmt.Fprintf(&b, "%d. %s\n", k+1, strings.Join(p, " "))
					continue
				}
				if style == 0 && k > 0 {
					fmt.Fprintf(&b, "%d.%d ", n+1, k)
				}
				b.WriteString(strings.Join(p, " ") + "\n\n")
			}
			b.WriteString("\n")
		}
		return b.String()
	}
	var seen Stats
	for iter := 0; iter < 300; iter++ {
		var secs []section
		for s := 0; s < 3+rng.IntN(6); s++ {
			sec := section{title: fmt.Sprintf("Topic %d", s), items: rng.IntN(5) == 0}
			for p := 0; p < 1+rng.IntN(3); p++ {
				var ss []string
				for k := 0; k < 1+rng.IntN(3); k++ {
					ss = append(ss, sentence())
				}
				sec.paras = append(sec.paras, ss)
			}
			secs = append(secs, sec)
		}
		style := rng.IntN(2)
		old := render(secs, style)
		for e := 0; e < 1+rng.IntN(3); e++ {
			s := rng.IntN(len(secs))
			sec := &secs[s]
			switch rng.IntN(6) {
			case 0: // insert a section
				secs = append(secs[:s], append([]section{{title: "New", paras: [][]string{{sentence()}}}}, secs[s:]...)...)
			case 1: // remove a section
				if len(secs) > 1 {
					secs = append(secs[:s], secs[s+1:]...)
				}
			case 2: // move a section
				m := secs[s]
				secs = append(secs[:s], secs[s+1:]...)
				to := rng.IntN(len(secs) + 1)
				secs = append(secs[:to], append([]section{m}, secs[to:]...)...)
			case 3: // split a paragraph
				p := rng.IntN(len(sec.paras))
				if len(sec.paras[p]) > 1 {
					k := 1 + rng.IntN(len(sec.paras[p])-1)
					a, b := sec.paras[p][:k:k], sec.paras[p][k:]
					sec.paras = append(sec.paras[:p], append([][]string{a, b}, sec.paras[p+1:]...)...)
				}
			case 4: // merge two paragraphs
				if len(sec.paras) > 1 {
					p := rng.IntN(len(sec.paras) - 1)
					merged := append(append([]string{}, sec.paras[p]...), sec.paras[p+1]...)
					sec.paras = append(sec.paras[:p], append([][]string{merged}, sec.paras[p+2:]...)...)
				}
			case 5: // change a word
				p := rng.IntN(len(sec.paras))
				k := rng.IntN(len(sec.paras[p]))
				sec.paras[p] = append([]string{}, sec.paras[p]...)
				sec.paras[p][k] = strings.Replace(sec.paras[p][k], " ", " amended ", 1)
			}
		}
		new := render(secs, style)
		ob, nb := markdown.Blocks([]byte(old)), markdown.Blocks([]byte(new))
		r := Compare(ob, nb)
		checkRedline(t, ob, nb, r)
		if t.Failed() {
			t.Fatalf("iteration %d:\n--- old\n%s\n--- new\n%s", iter, old, new)
		}
		for _, f := range []func() error{
			func() error { return WriteText(io.Discard, r, TextOptions{}) },
			func() error { return WriteHTML(io.Discard, r, HTMLOptions{}) },
			func() error { return WriteJSON(io.Discard, r) },
		} {
			if err := f(); err != nil {
				t.Fatal(err)
			}
		}
		seen.Renumbered += r.Renumbered
		seen.Reparagraphed += r.Reparagraphed
		seen.Moved += r.Moved
		if self := Compare(nb, nb); !self.Identical() {
			t.Fatalf("iteration %d: new compared with itself: %+v", iter, self.Stats)
		}
	}
	// The edits reached what they are for.
	if seen.Renumbered == 0 || seen.Reparagraphed == 0 || seen.Moved == 0 {
		t.Errorf("no renumbering, re-paragraphing or move in any redline: %+v", seen)
	}
}
