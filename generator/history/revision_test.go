package history

import (
	"errors"
	"strconv"
	"strings"
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
	for _, rev := range []string{"HEAD", "HEAD~1", "HEAD~2", "HEAD^", "main~3", "v2", "v2~1", commits[2], "HEAD~1^",
		commits[1][:7], strings.ToUpper(commits[1][:12]) + "~1", commits[3][:4], commits[2][:39]} {
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
	// An abbreviation names commits only: not the tree or blob it may
	// abbreviate, and not a hash no object has.
	for _, obj := range []string{"HEAD^{tree}", "HEAD:content/dpa.md"} {
		h := g.Git("rev-parse", obj)
		if _, err := r.AtRevision(h[:10], any, 100); !errors.Is(err, ErrRefNotFound) {
			t.Errorf("abbreviated %s %s: %v", obj, h[:10], err)
		}
	}
	if _, err := r.AtRevision(strings.Repeat("0", 12), any, 100); !errors.Is(err, ErrRefNotFound) {
		t.Errorf("abbreviation of no object: %v", err)
	}
	// Packed objects are found as well as loose ones.
	g.Git("gc", "--quiet")
	packed, err := Open(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	defer packed.Close()
	if got, err := packed.AtRevision(commits[1][:7], any, 100); got != commits[1] {
		t.Errorf("packed %s: %s, %v", commits[1][:7], got, err)
	}
}

// TestAbbrevAmbiguous: an abbreviation two commits share is an error
// naming both, as git's "short object ID is ambiguous".
func TestAbbrevAmbiguous(t *testing.T) {
	g := gittest.New(t)
	seen := map[string]string{}
	var a, b string
	// 65,536 four-digit prefixes: two of ~300 commits share one with a
	// probability above 1/2; hashes are deterministic for fixed dates.
	for i := 0; a == "" && i < 2000; i++ {
		g.Write("f.txt", strconv.Itoa(i))
		h := g.Commit("2026-01-01T10:00:00Z", "c"+strconv.Itoa(i))
		if other, ok := seen[h[:4]]; ok {
			a, b = other, h
		}
		seen[h[:4]] = h
	}
	if a == "" {
		t.Skip("no two commits share a 4-digit prefix")
	}
	r, err := Open(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	_, err = r.AtRevision(a[:4], func(string) bool { return true }, 10000)
	if !errors.Is(err, ErrAmbiguous) || !strings.Contains(err.Error(), a[:12]) || !strings.Contains(err.Error(), b[:12]) {
		t.Errorf("ambiguous %s: %v", a[:4], err)
	}
	if got, err := r.AtRevision(a[:12], func(string) bool { return true }, 10000); got != a {
		t.Errorf("%s: %s, %v", a[:12], got, err)
	}
}
