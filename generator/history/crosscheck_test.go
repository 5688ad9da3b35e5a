package history

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// followEntry is one commit of `git log --first-parent --follow
// --name-status` for one path.
type followEntry struct {
	hash   string
	date   string // %cI
	status string // A, M, D, R087...
	paths  []string
}

// gitFollow runs git log --follow for path: the oracle Read is checked
// against.
func gitFollow(tb testing.TB, g *gitRepo, ref, path string) []followEntry {
	tb.Helper()
	out := g.git("log", "--first-parent", "--follow", "-M", "--name-status",
		"--format=%x00%H %cI", ref, "--", path)
	var entries []followEntry
	for _, rec := range strings.Split(out, "\x00") {
		lines := strings.Split(strings.TrimSpace(rec), "\n")
		if len(lines) == 0 || lines[0] == "" {
			continue
		}
		hash, date, _ := strings.Cut(lines[0], " ")
		e := followEntry{hash: hash, date: date}
		for _, l := range lines[1:] {
			if l = strings.TrimSpace(l); l == "" {
				continue
			}
			f := strings.Split(l, "\t")
			e.status, e.paths = f[0], f[1:]
		}
		entries = append(entries, e)
	}
	return entries
}

// crossCheck compares every document of h with git log: its versions are
// the commits `git log --first-parent --follow` lists for its path, minus
// pure renames (R100) and deletions, and up to a rename from an
// unpublished path (a draft: see Unpublished), which is an addition; the
// dates are the committer dates with their offsets; the renames give its
// old paths; the newest version is the newest commit `git log -1
// --first-parent -- PATH` finds.
func crossCheck(t *testing.T, g *gitRepo, h *History) {
	t.Helper()
	for _, d := range h.Documents {
		entries := gitFollow(t, g, h.Head.Hash, d.Path)
		var want, wantDates []string
		deletedAt := ""
		for _, e := range entries {
			if strings.HasPrefix(e.status, "R") && Unpublished(e.paths[0]) {
				want = append(want, e.hash)
				wantDates = append(wantDates, e.date)
				break
			}
			switch {
			case e.status == "R100":
				if !slices.Contains(d.Paths, e.paths[0]) {
					t.Errorf("%s: Paths %q lack %s (renamed in %s)", d.Path, d.Paths, e.paths[0], e.hash)
				}
			case e.status == "D":
				if deletedAt == "" && len(want) == 0 {
					deletedAt = e.hash
				}
			default:
				want = append(want, e.hash)
				wantDates = append(wantDates, e.date)
				if strings.HasPrefix(e.status, "R") && !slices.Contains(d.Paths, e.paths[0]) {
					t.Errorf("%s: Paths %q lack %s (renamed in %s)", d.Path, d.Paths, e.paths[0], e.hash)
				}
			}
		}
		if got := versionCommits(d); !slices.Equal(got, want) {
			t.Errorf("%s: versions\n got %q\nwant %q (git log --first-parent --follow)", d.Path, got, want)
			continue
		}
		for i, v := range d.Versions {
			if !sameInstant(t, v.Date, wantDates[i]) {
				t.Errorf("%s: version %s date %s, git says %s", d.Path, v.Commit, v.Date.Format(time.RFC3339), wantDates[i])
			}
		}
		if d.Deleted {
			if d.DeletedAt == nil || d.DeletedAt.Hash != deletedAt {
				t.Errorf("%s: DeletedAt %+v, git log says %s", d.Path, d.DeletedAt, deletedAt)
			}
			continue
		}
		if len(entries) > 0 && entries[0].status == "R100" {
			continue // the newest commit is a pure rename: not a version
		}
		last := strings.TrimSpace(g.git("log", "-1", "--first-parent", "--format=%cI", h.Head.Hash, "--", d.Path))
		if !sameInstant(t, d.Versions[0].Date, last) {
			t.Errorf("%s: latest version date %s, git log -1 says %s", d.Path, d.Versions[0].Date.Format(time.RFC3339), last)
		}
	}
}

// sameInstant reports whether t is the instant of git's strict ISO date
// with the same UTC offset.
func sameInstant(tb testing.TB, t time.Time, iso string) bool {
	tb.Helper()
	g, err := time.Parse(time.RFC3339, iso)
	if err != nil {
		tb.Fatalf("git date %q: %v", iso, err)
	}
	_, o1 := t.Zone()
	_, o2 := g.Zone()
	return t.Equal(g) && o1 == o2
}

func TestCrossCheckRenameChains(t *testing.T) {
	// Renames in both directions, a folder move, a rename with edits in the
	// same commit as another document's edit, a rename back to an old path.
	g := newGitRepo(t)
	g.write("content/a.md", text("Alpha", 15, nil))
	g.write("content/b.md", text("Beta", 15, nil))
	g.write("content/sub/c.md", text("Gamma", 15, nil))
	g.commit("2024-01-01T10:00:00+01:00", "Start\n")
	g.git("mv", "content/sub", "content/moved")
	g.commit("2024-01-02T10:00:00+01:00", "Move folder\n")
	g.git("mv", "content/a.md", "content/alpha.md")
	g.write("content/alpha.md", text("Alpha", 15, map[int]string{3: "Changed."}))
	g.write("content/b.md", text("Beta", 15, map[int]string{4: "Changed too."}))
	g.commit("2024-01-03T10:00:00+01:00", "Rename alpha with edits\n")
	g.git("mv", "content/alpha.md", "content/a.md")
	g.commit("2024-01-04T10:00:00-03:00", "Rename alpha back\n")
	g.write("content/a.md", text("Alpha", 15, map[int]string{3: "Changed.", 8: "Again."}))
	g.commit("2024-01-05T10:00:00+00:00", "Edit alpha\n")
	g.git("mv", "content/moved/c.md", "content/c.md")
	g.write("content/c.md", strings.Repeat("entirely new text\n", 40))
	g.commit("2024-01-06T10:00:00+00:00", "Replace gamma\n")

	h := readPortal(t, g.dir, Query{Prefix: "content"})
	crossCheck(t, g, h)

	a := findDoc(h, "content/a.md")
	if want := []string{"content/alpha.md", "content/a.md"}; a == nil || !slices.Equal(a.Paths, want) {
		t.Errorf("a.md: %+v, want Paths %q", a, want)
	}
	if len(a.Versions) != 3 || len(a.Renames) != 2 {
		t.Errorf("a.md: %d versions, %d renames; want 3, 2", len(a.Versions), len(a.Renames))
	}
	// Too different to be a rename: c.md is new and moved/c.md deleted.
	c := findDoc(h, "content/c.md")
	if c == nil || len(c.Versions) != 1 || len(c.Paths) != 1 {
		t.Errorf("c.md: %+v", c)
	}
	old := findDoc(h, "content/moved/c.md")
	if old == nil || !old.Deleted || !slices.Equal(old.Paths, []string{"content/sub/c.md", "content/moved/c.md"}) {
		t.Errorf("moved/c.md: %+v", old)
	}
}
