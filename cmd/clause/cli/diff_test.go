package cli

import (
	"strings"
	"testing"

	"github.com/clause-portal/clause/internal/gittest"
)

// revisionRepo is a history in which the DPA changes three times
// (72 → 48 → 24 hours), a commit between changes touches another
// document only, a tag and a branch point at older commits, and the
// working tree holds an uncommitted edit (12 hours).
type revisionRepo struct {
	*gittest.Repo
	before, v1, v2, other, v3 string // commit hashes
}

func newRevisionRepo(t *testing.T) *revisionRepo {
	r := &revisionRepo{Repo: gittest.New(t)}
	dpa := func(hours string) string {
		return "---\ntitle: DPA <script>alert(1)</script>\n---\n## 1. Breach\n\nNotice within " + hours + " hours.\n"
	}
	r.Write("content/privacy.md", "# Privacy\n")
	r.before = r.Commit("2026-01-01T09:00:00Z", "Privacy policy")
	r.Write("content/dpa.md", dpa("72"))
	r.v1 = r.Commit("2026-01-10T09:00:00Z", "Publish DPA")
	r.Git("tag", "-a", "dpa-1", "-m", "First DPA")
	r.Write("content/dpa.md", dpa("48"))
	r.v2 = r.Commit("2026-05-10T09:00:00Z", "48 hours")
	r.Git("branch", "release")
	r.Write("content/privacy.md", "# Privacy\n\nUpdated.\n")
	r.other = r.Commit("2026-06-10T09:00:00Z", "Privacy policy update")
	r.Write("content/dpa.md", dpa("24"))
	r.v3 = r.Commit("2026-07-10T09:00:00Z", "24 hours")
	r.Write("content/dpa.md", dpa("12"))
	return r
}

// TestDiffRevisionForms: FROM and TO take version ids, dates, any git
// revision (HEAD~N, a tag, a branch, a commit, full or abbreviated, that
// did not touch the document: the version that was the newest there) and
// WORKTREE.
func TestDiffRevisionForms(t *testing.T) {
	r := newRevisionRepo(t)
	for _, tc := range []struct {
		from, to string
		want     string
	}{
		{"dpa-1", "release", "[-72-]{+48+}"},      // annotated tag, branch
		{"HEAD~1", "HEAD", "[-48-]{+24+}"},        // HEAD~1 did not touch the DPA: the version of 10 May
		{r.other[:7], "WORKTREE", "[-48-]{+12+}"}, // abbreviated commit that did not touch it
		{r.other, r.v3[:10], "[-48-]{+24+}"},      // full hash; abbreviated hash of a version
		{"2026-06-01", "HEAD", "[-48-]{+24+}"},    // the version in force on a date
		{"release~1", "HEAD~2", "[-72-]{+48+}"},   // ancestry of a branch
		{"main~3", "2026-05-10", "[-72-]{+48+}"},  // a branch name and the day a version was published
		{"HEAD", "", "[-24-]{+12+}"},              // TO defaults to the uncommitted edit
		{"dpa-1", r.v1, "No textual change"},      // one version named twice
	} {
		args := []string{"diff", "dpa", tc.from}
		if tc.to != "" {
			args = append(args, tc.to)
		}
		code, out, errOut := run(t, append(args, "--repo", r.Dir, "--no-cache")...)
		if code != ExitOK || !strings.Contains(out, tc.want) {
			t.Errorf("%v: exit %d, want %q in\n%s%s", args, code, tc.want, out, errOut)
		}
	}
}

// TestDiffRevisionErrors: a FROM or TO that names nothing exits 2 with a
// message that says which forms are accepted and lists the versions.
func TestDiffRevisionErrors(t *testing.T) {
	r := newRevisionRepo(t)
	code, _, versions := run(t, "log", "dpa", "--repo", r.Dir, "--no-cache")
	if code != ExitOK {
		t.Fatal(versions)
	}
	for _, tc := range []struct {
		ref  string
		want string
	}{
		{"foo", `clause: clause diff: "foo": not a version id, date (YYYY-MM-DD), git revision (HEAD~1, a tag, a branch, a commit) or WORKTREE; versions of dpa: `},
		{"2025-12-31", "clause: clause diff: 2025-12-31: no version of dpa was in force yet; versions of dpa: "},
		{r.before[:8], "clause: clause diff: " + r.before[:8] + ": dpa had no version yet at that revision; versions of dpa: "},
		{"HEAD~9", `clause: clause diff: "HEAD~9": the first-parent history of HEAD has fewer commits`},
	} {
		code, out, errOut := run(t, "diff", "dpa", tc.ref, "HEAD", "--repo", r.Dir, "--no-cache")
		if code != ExitUsage || out != "" || !strings.HasPrefix(errOut, tc.want) {
			t.Errorf("%s: exit %d\n%s%s\nwant prefix %s", tc.ref, code, out, errOut, tc.want)
		}
		if tc.ref == "HEAD~9" {
			continue
		}
		// Newest first, with the publication dates.
		list := errOut[strings.Index(errOut, "versions of dpa: "):]
		v3, v1 := strings.Index(list, "(published 2026-07-10)"), strings.Index(list, "(published 2026-01-10)")
		if v3 < 0 || v1 < v3 || strings.Count(list, "(published ") != 3 {
			t.Errorf("%s: versions listed: %s", tc.ref, list)
		}
	}
}

// TestDiffMarkdown: --format markdown writes a heading with the document
// and both versions, the summary, and the changes in <del>/<ins>, with the
// document's text escaped; --max-bytes cuts it.
func TestDiffMarkdown(t *testing.T) {
	r := newRevisionRepo(t)
	code, out, errOut := run(t, "diff", "dpa", "dpa-1", "HEAD", "--format", "markdown", "--repo", r.Dir, "--no-cache")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(out, "\n")
	if !strings.HasPrefix(lines[0], `### Changes to DPA \<script\>alert(1)\</script\>: `) || !strings.Contains(lines[0], " → ") {
		t.Errorf("heading: %q", lines[0])
	}
	for _, want := range []string{
		"From ", "(" + r.v1[:7] + ", 2026-01-10) to ", "(" + r.v3[:7] + ", 2026-07-10).",
		"**1 clause changed**", "#### 1\\. Breach", "Notice within <del>72</del><ins>24</ins> hours.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "<script>") {
		t.Errorf("unescaped HTML from the document:\n%s", out)
	}

	code, out, _ = run(t, "diff", "dpa", "dpa-1", "HEAD", "--format", "markdown", "--max-bytes", "150", "--repo", r.Dir, "--no-cache")
	if code != ExitOK || !strings.Contains(out, "1 more changed block left out") || strings.Contains(out, "<ins>24</ins>") {
		t.Errorf("--max-bytes 150: %d\n%s", code, out)
	}
	if code, _, errOut := run(t, "diff", "dpa", "--format", "markdown", "--max-bytes", "-1", "--repo", r.Dir); code != ExitUsage {
		t.Errorf("--max-bytes -1: exit %d %s", code, errOut)
	}
}
