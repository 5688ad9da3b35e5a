package history

import (
	"testing"

	"github.com/clause-portal/clause/internal/gitgen"
)

// generateHistory creates a repository in dir with about commits commits
// (all branches) over at most docs documents under content/, with
// gitgen.Generate.
func generateHistory(tb testing.TB, dir string, commits, docs int, seed uint64) {
	tb.Helper()
	requireGit(tb)
	if err := gitgen.Generate(dir, gitgen.Options{Commits: commits, Documents: docs, Seed: seed}); err != nil {
		tb.Fatal(err)
	}
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
