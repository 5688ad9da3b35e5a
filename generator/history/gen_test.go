package history

import (
	"bufio"
	"fmt"
	"maps"
	"math/rand/v2"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// histGen writes a synthetic history of a legal portal as a git fast-import
// stream: documents in nested folders under content/, edited one or two at
// a time, renamed (purely or with edits, sometimes to another folder), added
// and deleted, feature branches merged with GitHub-style merge commits,
// minor-change trailers, commits outside content/, time zone offsets and
// some commit dates out of order. Paths are never reused, so that the
// git CLI's --follow is an exact oracle.
type histGen struct {
	rnd      *rand.Rand
	w        *bufio.Writer
	mark     int
	main     int // mark of main's tip
	when     int64
	docs     map[string][]string // path → paragraphs, on main
	paths    []string            // live document paths
	nextName int                 // names are never reused
	created  int                 // documents created
	maxDocs  int
	commits  int
	src      int // version of the file outside content/
}

var genWords = strings.Fields(`the processor controller shall personal data processing sub-processor
	security measures audit notice days agreement clause annex transfer standard contractual clauses
	adequacy decision confidentiality breach notification without undue delay assistance deletion return
	retention period instructions documented lawful basis data subject rights request supervisory authority
	liability termination effective date amendment customer service provider encryption access logs`)

func (g *histGen) paragraph() string {
	n := 18 + g.rnd.IntN(22)
	ws := make([]string, n)
	for i := range ws {
		ws[i] = genWords[g.rnd.IntN(len(genWords))]
	}
	return strings.ToUpper(ws[0][:1]) + strings.Join(ws, " ")[1:] + "."
}

func (g *histGen) newDoc() (string, []string) {
	g.nextName++
	g.created++
	p := fmt.Sprintf("content/%s/doc-%03d.md", []string{"policies", "dpa", "dpa/annexes", "legal/en", "legal/de"}[g.nextName%5], g.nextName)
	paras := []string{fmt.Sprintf("# Document %d", g.nextName)}
	for range 15 + g.rnd.IntN(35) {
		paras = append(paras, g.paragraph())
	}
	return p, paras
}

func render(paras []string) string { return strings.Join(paras, "\n\n") + "\n" }

// edit replaces one paragraph (not the title) and returns the new text.
func (g *histGen) edit(paras []string) []string {
	out := slices.Clone(paras)
	out[1+g.rnd.IntN(len(out)-1)] = g.paragraph()
	return out
}

// header starts a commit on branch with the given parents.
func (g *histGen) header(branch, msg string, parents ...int) int {
	g.mark++
	g.commits++
	g.when += 600 + g.rnd.Int64N(7200)
	when := g.when
	if g.rnd.IntN(50) == 0 {
		when -= 3 * 86400 // a wrong clock
	}
	tz := []string{"+0000", "+0100", "+0200", "-0500", "+0530"}[g.rnd.IntN(5)]
	fmt.Fprintf(g.w, "commit refs/heads/%s\nmark :%d\n", branch, g.mark)
	fmt.Fprintf(g.w, "author Editor <legal@acme.example> %d %s\n", when, tz)
	fmt.Fprintf(g.w, "committer Editor <legal@acme.example> %d %s\n", when, tz)
	fmt.Fprintf(g.w, "data %d\n%s\n", len(msg), msg)
	for i, p := range parents {
		if i == 0 {
			fmt.Fprintf(g.w, "from :%d\n", p)
		} else {
			fmt.Fprintf(g.w, "merge :%d\n", p)
		}
	}
	return g.mark
}

func (g *histGen) put(path, content string) {
	fmt.Fprintf(g.w, "M 100644 inline %s\ndata %d\n%s\n", path, len(content), content)
}

func (g *histGen) pick() string { return g.paths[g.rnd.IntN(len(g.paths))] }

func (g *histGen) removePath(p string) {
	i := slices.Index(g.paths, p)
	g.paths = slices.Delete(g.paths, i, i+1)
	delete(g.docs, p)
}

// mainCommit makes one commit on main.
func (g *histGen) mainCommit() {
	var parents []int
	if g.main != 0 {
		parents = []int{g.main}
	}
	switch op := g.rnd.IntN(100); {
	case op < 4 && len(g.paths) > 5: // rename, half of them with edits
		old := g.pick()
		paras := g.docs[old]
		g.nextName++
		dir := old[:strings.LastIndexByte(old, '/')]
		if g.rnd.IntN(3) == 0 {
			dir = "content/archive"
		}
		p := fmt.Sprintf("%s/renamed-%03d.md", dir, g.nextName)
		g.main = g.header("main", "Rename "+old+"\n", parents...)
		fmt.Fprintf(g.w, "R %s %s\n", old, p)
		if g.rnd.IntN(2) == 0 {
			paras = g.edit(paras)
			g.put(p, render(paras))
		}
		g.removePath(old)
		g.docs[p], g.paths = paras, append(g.paths, p)
	case op < 8 && g.created < g.maxDocs:
		p, paras := g.newDoc()
		g.main = g.header("main", "Add "+p+"\n", parents...)
		g.put(p, render(paras))
		g.docs[p], g.paths = paras, append(g.paths, p)
	case op < 9 && len(g.paths) > 20:
		p := g.pick()
		g.main = g.header("main", "Retire "+p+"\n", parents...)
		fmt.Fprintf(g.w, "D %s\n", p)
		g.removePath(p)
	case op < 19 || len(g.paths) == 0: // outside content/
		g.src++
		g.main = g.header("main", "Update site code\n", parents...)
		g.put("src/main.go", fmt.Sprintf("package main\n\n// version %d\nfunc main() {}\n", g.src))
	default:
		msg := "Update documents\n"
		if g.rnd.IntN(10) == 0 {
			msg = "Fix typos\n\nChange-Type: minor\n"
		}
		g.main = g.header("main", msg, parents...)
		for range 1 + g.rnd.IntN(2) {
			p := g.pick()
			g.docs[p] = g.edit(g.docs[p])
			g.put(p, render(g.docs[p]))
		}
	}
}

// featureBranch makes a branch of three commits on a few documents, a
// commit on main elsewhere meanwhile, and a --no-ff merge.
func (g *histGen) featureBranch(n int) {
	branch := fmt.Sprintf("feature/%d", n)
	fork := g.main
	touched := map[string][]string{}
	tip := fork
	for i := range 3 {
		if i == 0 && g.created < g.maxDocs && g.rnd.IntN(3) == 0 {
			p, paras := g.newDoc()
			tip = g.header(branch, "Add "+p+"\n", tip)
			touched[p] = paras
			g.put(p, render(paras))
			continue
		}
		p := g.pick()
		paras, ok := touched[p]
		if !ok {
			paras = g.docs[p]
		}
		paras = g.edit(paras)
		touched[p] = paras
		tip = g.header(branch, "Edit "+p+"\n", tip)
		g.put(p, render(paras))
	}
	g.src++
	g.main = g.header("main", "Update site code\n", g.main)
	g.put("src/main.go", fmt.Sprintf("package main\n\n// version %d\nfunc main() {}\n", g.src))
	msg := fmt.Sprintf("Merge pull request #%d from acme/%s\n\nUpdate %d documents\n", n, branch, len(touched))
	g.main = g.header("main", msg, g.main, tip)
	for _, p := range slices.Sorted(maps.Keys(touched)) {
		if _, ok := g.docs[p]; !ok {
			g.paths = append(g.paths, p)
		}
		g.docs[p] = touched[p]
		g.put(p, render(touched[p]))
	}
}

// generateHistory creates a repository in dir with about commits commits
// (all branches) over at most docs documents, via git fast-import.
func generateHistory(tb testing.TB, dir string, commits, docs int, seed uint64) {
	tb.Helper()
	requireGit(tb)
	runGit(tb, dir, nil, "init", "-q", "-b", "main")
	cmd := exec.Command("git", "fast-import", "--quiet")
	cmd.Dir = dir
	cmd.Env = gitEnv()
	stdin, err := cmd.StdinPipe()
	if err != nil {
		tb.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	g := &histGen{
		rnd: rand.New(rand.NewPCG(seed, seed^0x5eed)), w: bufio.NewWriterSize(stdin, 1<<20),
		when: 1420070400, docs: map[string][]string{}, maxDocs: docs,
	}
	g.main = g.header("main", "Initial import\n")
	g.put("README.md", "# Acme legal portal\n")
	for range docs / 2 {
		p, paras := g.newDoc()
		g.put(p, render(paras))
		g.docs[p], g.paths = paras, append(g.paths, p)
	}
	for n := 1; g.commits < commits; n++ {
		if n%20 == 0 && len(g.paths) > 3 {
			g.featureBranch(n)
			continue
		}
		g.mainCommit()
	}
	if err := g.w.Flush(); err != nil {
		tb.Fatal(err)
	}
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		tb.Fatalf("git fast-import: %v\n%s", err, stderr.String())
	}
	runGit(tb, dir, nil, "repack", "-adfq", "--depth=50", "--window=10")
}

// TestReadGeneratedHistory cross-checks Read with git log on a generated
// history with many renames, deletions and merges.
func TestReadGeneratedHistory(t *testing.T) {
	dir := t.TempDir()
	generateHistory(t, dir, 400, 40, 7)
	h := readPortal(t, dir, Query{Prefix: "content"})
	if len(h.Documents) < 40 {
		t.Fatalf("only %d documents", len(h.Documents))
	}
	renamed, deleted, merges := 0, 0, 0
	for _, d := range h.Documents {
		renamed += len(d.Renames)
		if d.Deleted {
			deleted++
		}
		for _, v := range d.Versions {
			if v.Merge {
				merges++
			}
		}
	}
	if renamed == 0 || deleted == 0 || merges == 0 {
		t.Fatalf("generated history lacks renames (%d), deletions (%d) or merges (%d)", renamed, deleted, merges)
	}
	crossCheck(t, &gitRepo{tb: t, dir: dir}, h)
}
