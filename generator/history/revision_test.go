package history

import (
	"errors"
	"testing"

	"github.com/clause-portal/clause/internal/gittest"
)

// TestAtRevision resolves revisions as git rev-parse does (the oracle) and
// walks first parents to the commit wanted.
func TestAtRevision(t *testing.T) {
	g := gittest.New(t)
	var commits []string
	for i, d := range []string{"2026-01-01T10:00:00Z", "2026-02-01T10:00:00Z", "2026-03-01T10:00:00Z", "2026-04-01T10:00:00Z"} {
		g.Write("content/dpa.md", "# DPA\n\n"+string(rune('a'+i))+"\n")
		commits = append(commits, g.Commit(d, "v"))
	}
	g.Git("tag", "-a", "v2", "-m", "tag", commits[1])
	r, err := Open(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	any := func(string) bool { return true }
	for _, rev := range []string{"HEAD", "HEAD~1", "HEAD~2", "HEAD^", "main~3", "v2", "v2~1", commits[2], "HEAD~1^"} {
		got, err := r.AtRevision(rev, any, 100)
		if err != nil {
			t.Errorf("%s: %v", rev, err)
			continue
		}
		if want := g.Git("rev-parse", rev+"^{commit}"); got != want {
			t.Errorf("%s = %s, git says %s", rev, got, want)
		}
	}
	// The newest of the wanted commits at or before the revision.
	only := func(h string) bool { return h == commits[0] || h == commits[2] }
	if got, _ := r.AtRevision("HEAD", only, 100); got != commits[2] {
		t.Errorf("HEAD: %s, want %s", got, commits[2])
	}
	if got, _ := r.AtRevision("HEAD~2", only, 100); got != commits[0] {
		t.Errorf("HEAD~2: %s, want %s", got, commits[0])
	}
	if _, err := r.AtRevision("HEAD~9", any, 100); err == nil {
		t.Error("HEAD~9 of a 4-commit history resolved")
	}
	if _, err := r.AtRevision("nope", any, 100); !errors.Is(err, ErrRefNotFound) {
		t.Errorf("unknown name: %v", err)
	}
}
