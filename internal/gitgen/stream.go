package gitgen

import (
	"bufio"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// history writes a synthetic history as a git fast-import stream (see
// git-fast-import(1)). It tracks main's documents so that every edit,
// rename and deletion applies to a document that exists.
type history struct {
	rnd      *rand.Rand
	w        *bufio.Writer
	prefix   string // content folder
	mark     int
	main     int // mark of main's tip
	when     int64
	docs     map[string][]string // path → paragraphs, on main
	paths    []string            // live document paths
	nextName int                 // names are never reused
	created  int                 // documents created
	maxDocs  int
	commits  int
	src      int // version of the file outside the content folder
}

// writeStream writes the whole history opts describes to w, documents
// under prefix, and flushes w.
func writeStream(w *bufio.Writer, opts Options, prefix string) error {
	g := &history{
		rnd:     rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x5eed)),
		w:       w,
		prefix:  prefix,
		when:    1420070400, // 2015-01-01T00:00:00Z
		docs:    map[string][]string{},
		maxDocs: opts.Documents,
	}
	g.main = g.header("main", "Initial import\n")
	g.put("README.md", "# Acme legal portal\n")
	for range opts.Documents / 2 {
		p, paras := g.newDoc()
		g.put(p, render(paras))
		g.docs[p], g.paths = paras, append(g.paths, p)
	}
	for n := 1; g.commits < opts.Commits; n++ {
		if n%20 == 0 && len(g.paths) > 3 {
			g.featureBranch(n)
			continue
		}
		g.mainCommit()
	}
	return w.Flush()
}

var words = strings.Fields(`the processor controller shall personal data processing sub-processor
	security measures audit notice days agreement clause annex transfer standard contractual clauses
	adequacy decision confidentiality breach notification without undue delay assistance deletion return
	retention period instructions documented lawful basis data subject rights request supervisory authority
	liability termination effective date amendment customer service provider encryption access logs`)

// folders are the folders below the content folder new documents go to.
var folders = []string{"policies", "dpa", "dpa/annexes", "legal/en", "legal/de"}

func (g *history) paragraph() string {
	n := 18 + g.rnd.IntN(22)
	ws := make([]string, n)
	for i := range ws {
		ws[i] = words[g.rnd.IntN(len(words))]
	}
	return strings.ToUpper(ws[0][:1]) + strings.Join(ws, " ")[1:] + "."
}

// newDoc makes a new document at a new path: YAML front matter (title,
// kind, effective date, notice days), a title and 15 to 49 paragraphs.
func (g *history) newDoc() (string, []string) {
	g.nextName++
	g.created++
	p := fmt.Sprintf("%s/%s/doc-%03d.md", g.prefix, folders[g.nextName%len(folders)], g.nextName)
	paras := []string{g.frontMatter(g.nextName), fmt.Sprintf("# Document %d", g.nextName)}
	for range 15 + g.rnd.IntN(35) {
		paras = append(paras, g.paragraph())
	}
	return p, paras
}

// frontMatter is the YAML front matter of document n, effective from the
// day of the current commit.
func (g *history) frontMatter(n int) string {
	effective := time.Unix(g.when, 0).UTC().Format(time.DateOnly)
	return fmt.Sprintf("---\ntitle: Document %d\nkind: %s\neffective: %s\nnotice_days: 30\n---",
		n, kinds[n%len(kinds)], effective)
}

var kinds = []string{"dpa", "privacy", "terms", "cookies", "security"}

// newEffective gives an edited document a new effective date, a week after
// the current commit, as a material change announced in advance would.
func (g *history) newEffective(paras []string) {
	fm := paras[0]
	i := strings.Index(fm, "\neffective: ")
	if i < 0 {
		return
	}
	i += len("\neffective: ")
	date := time.Unix(g.when+7*86400, 0).UTC().Format(time.DateOnly)
	paras[0] = fm[:i] + date + fm[i+len(date):]
}

func render(paras []string) string { return strings.Join(paras, "\n\n") + "\n" }

// edit replaces one paragraph (not the front matter or the title) and
// returns the new text, similar enough to the old one for git's rename
// detection. The edits of every fifth commit also move the effective date
// (chosen without drawing from rnd, so that the shape of the history does
// not depend on it).
func (g *history) edit(paras []string) []string {
	out := slices.Clone(paras)
	out[2+g.rnd.IntN(len(out)-2)] = g.paragraph()
	if g.commits%5 == 0 {
		g.newEffective(out)
	}
	return out
}

// header starts a commit on branch with the given parents (marks) and
// returns its mark.
func (g *history) header(branch, msg string, parents ...int) int {
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

// put writes a file into the current commit.
func (g *history) put(path, content string) {
	fmt.Fprintf(g.w, "M 100644 inline %s\ndata %d\n%s\n", path, len(content), content)
}

func (g *history) pick() string { return g.paths[g.rnd.IntN(len(g.paths))] }

func (g *history) removePath(p string) {
	i := slices.Index(g.paths, p)
	g.paths = slices.Delete(g.paths, i, i+1)
	delete(g.docs, p)
}

// mainCommit makes one commit on main: a rename (4%), an added document
// (4%), a deletion (1%), a change outside the content folder (10%), or an
// edit of one or two documents, a tenth of them marked minor.
func (g *history) mainCommit() {
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
			dir = g.prefix + "/archive"
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
	case op < 19 || len(g.paths) == 0: // outside the content folder
		g.siteCode()
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

// siteCode commits a change outside the content folder on main.
func (g *history) siteCode() {
	var parents []int
	if g.main != 0 {
		parents = []int{g.main}
	}
	g.src++
	g.main = g.header("main", "Update site code\n", parents...)
	g.put("src/main.go", fmt.Sprintf("package main\n\n// version %d\nfunc main() {}\n", g.src))
}

// featureBranch makes a branch of three commits on a few documents
// (sometimes adding one), a commit on main elsewhere meanwhile, and a
// --no-ff merge with a GitHub-style message: five commits in all.
func (g *history) featureBranch(n int) {
	branch := fmt.Sprintf("feature/%d", n)
	touched := map[string][]string{}
	tip := g.main
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
	g.siteCode()
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
