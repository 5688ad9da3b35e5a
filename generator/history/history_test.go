package history

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

// portal is the main fixture: a small legal portal with the kinds of history
// real repositories have.
type portal struct {
	*gitRepo
	c map[string]string // named commits
}

func newPortal(t *testing.T) *portal {
	t.Helper()
	g := newGitRepo(t)
	p := &portal{gitRepo: g, c: map[string]string{}}

	g.write("README.md", "# Acme legal\n")
	g.write("docs/notes.md", "Notes for editors.\n")
	g.write("content/dpa.md", text("DPA", 20, nil))
	g.write("content/privacy.md", text("Privacy", 20, nil))
	g.write("content/legal/terms.md", text("Terms", 20, nil))
	g.write("content/legal/annex/security.md", text("Security", 10, nil))
	p.c["c1"] = g.commit("2023-01-10T09:00:00+01:00", "Add DPA, privacy policy and terms\n")

	g.write("content/dpa.md", text("DPA", 20, map[int]string{2: "Sub-processors are listed on the sub-processors page."}))
	g.write("docs/notes.md", "Notes for editors, updated.\n")
	p.c["c2"] = g.commit("2023-02-01T10:00:00-05:00", "Update DPA clause 2\n\nThe list moved to its own page.\n")

	g.git("mv", "content/privacy.md", "content/privacy-policy.md")
	p.c["c3"] = g.commit("2023-02-15T12:00:00+00:00", "Rename privacy policy\n")

	g.git("mv", "content/legal/terms.md", "content/legal/terms-of-service.md")
	g.write("content/legal/terms-of-service.md", text("Terms", 20, map[int]string{5: "Fees are due within 30 days."}))
	p.c["c4"] = g.commit("2023-03-01T08:30:00+05:30", "Rename terms to terms of service\n")
	g.gitAt("2023-03-01T08:31:00+05:30", "tag", "-a", "-m", "first release", "v1")

	// A feature branch with several commits, merged with --no-ff.
	g.git("checkout", "-q", "-b", "cookies")
	g.write("content/cookies.md", text("Cookies", 8, nil))
	p.c["f1"] = g.commit("2023-03-02T09:00:00+01:00", "Add cookie policy\n")
	g.write("content/cookies.md", text("Cookies", 12, nil))
	p.c["f2"] = g.commit("2023-03-03T09:00:00+01:00", "Expand cookie policy\n")
	g.write("content/dpa.md", text("DPA", 20, map[int]string{2: "Sub-processors are listed on the sub-processors page.", 3: "Audits: once a year."}))
	p.c["f3"] = g.commit("2023-03-04T09:00:00+01:00", "Clarify DPA clause 3\n")
	g.git("checkout", "-q", "main")

	g.write("content/privacy-policy.md", text("Privacy", 20, map[int]string{7: "We keep logs for 30 days."}))
	p.c["c5"] = g.commit("2023-03-05T11:00:00+01:00", "Fix typo in privacy policy\n")

	g.gitAt("2023-03-06T15:00:00+01:00", "merge", "-q", "--no-ff", "cookies",
		"-m", "Merge pull request #12 from acme/cookies", "-m", "Add cookie policy and clarify DPA audits",
		"-m", "Reviewed by legal.")
	p.c["M"] = g.head()

	// Committed on a laptop with a wrong clock: older than its parent.
	g.write("content/privacy-policy.md", text("Privacy", 20, map[int]string{7: "We keep logs for 30 days.", 9: "Retention: 6 years."}))
	p.c["c6"] = g.commit("2023-03-01T10:00:00+01:00", "Clarify retention period\n\nAsked by a customer.\n\nChange-Type: material\nRefs: #40\n")

	g.gitAt("2023-03-08T10:00:00+01:00", "revert", "--no-edit", "HEAD")
	p.c["c7"] = g.head()

	g.git("rm", "-q", "content/cookies.md")
	p.c["c8"] = g.commit("2023-03-10T10:00:00+01:00", "Retire cookie policy\n")

	g.write("content/dpa.md", strings.ReplaceAll(g.read("content/dpa.md"), ".\n\n4.", ".  \n\n\n4."))
	p.c["c9"] = g.commit("2023-03-12T09:00:00-08:00", "Normalise whitespace in DPA\n\nChange-Type: Minor\nSigned-off-by: Clause Test <test@clause.example>\n")

	g.write("docs/notes.md", "Notes for editors, again.\n")
	g.write("README.md", "# Acme legal portal\n")
	p.c["c10"] = g.commit("2023-03-15T10:00:00+01:00", "Update notes\n")

	g.write("content/cookies.md", text("Cookies", 6, map[int]string{1: "We use no tracking cookies."}))
	p.c["c11"] = g.commit("2023-03-20T10:00:00+02:00", "Restore cookie policy\n")

	g.git("rm", "-q", "content/legal/annex/security.md")
	p.c["c12"] = g.commit("2023-03-25T10:00:00+01:00", "Remove security annex\n")

	g.write("content/privacy-policy.md", text("Privacy", 20, map[int]string{7: "We keep logs for 30 days.", 11: "Contact: privacy@acme.example."}))
	p.c["c13"] = g.commit("2023-03-28T10:00:00+01:00", "Add privacy contact\n")
	return p
}

func (p *portal) commits(names ...string) []string {
	var out []string
	for _, n := range names {
		h, ok := p.c[n]
		if !ok {
			panic("no commit " + n)
		}
		out = append(out, h)
	}
	return out
}

func readPortal(t *testing.T, dir string, q Query) *History {
	t.Helper()
	r := openRepo(t, dir)
	h, err := r.Read(context.Background(), q)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return h
}

func TestReadPortal(t *testing.T) {
	p := newPortal(t)
	h := readPortal(t, p.dir, Query{Prefix: "content"})

	if h.Head.Hash != p.c["c13"] || h.Head.Subject != "Add privacy contact" {
		t.Errorf("Head = %+v, want c13", h.Head)
	}
	var paths []string
	for _, d := range h.Documents {
		paths = append(paths, d.Path)
	}
	wantPaths := []string{"content/cookies.md", "content/dpa.md", "content/legal/annex/security.md",
		"content/legal/terms-of-service.md", "content/privacy-policy.md"}
	if !slices.Equal(paths, wantPaths) {
		t.Fatalf("documents = %q, want %q", paths, wantPaths)
	}

	tests := []struct {
		path     string
		versions []string
		paths    []string
		deleted  string // DeletedAt commit name
	}{
		{"content/cookies.md", p.commits("c11", "M"), []string{"content/cookies.md"}, ""},
		{"content/dpa.md", p.commits("c9", "M", "c2", "c1"), []string{"content/dpa.md"}, ""},
		{"content/legal/annex/security.md", p.commits("c1"), []string{"content/legal/annex/security.md"}, "c12"},
		{"content/legal/terms-of-service.md", p.commits("c4", "c1"), []string{"content/legal/terms.md", "content/legal/terms-of-service.md"}, ""},
		{"content/privacy-policy.md", p.commits("c13", "c7", "c6", "c5", "c1"), []string{"content/privacy.md", "content/privacy-policy.md"}, ""},
	}
	r := openRepo(t, p.dir)
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			d := findDoc(h, tt.path)
			if got := versionCommits(d); !slices.Equal(got, tt.versions) {
				t.Errorf("versions = %q, want %q", got, tt.versions)
			}
			if !slices.Equal(d.Paths, tt.paths) {
				t.Errorf("Paths = %q, want %q", d.Paths, tt.paths)
			}
			if d.Deleted != (tt.deleted != "") {
				t.Errorf("Deleted = %v", d.Deleted)
			}
			if tt.deleted != "" && (d.DeletedAt == nil || d.DeletedAt.Hash != p.c[tt.deleted]) {
				t.Errorf("DeletedAt = %+v, want %s", d.DeletedAt, tt.deleted)
			}
			for _, v := range d.Versions {
				blob := strings.TrimSpace(p.git("rev-parse", v.Commit+":"+v.Path))
				if v.Blob != blob {
					t.Errorf("version %s: Blob = %s, git says %s", v.Commit, v.Blob, blob)
				}
				data, err := r.Blob(v.Blob)
				if err != nil || int64(len(data)) != v.Size {
					t.Errorf("Blob(%s): %d bytes, %v; Size = %d", v.Blob, len(data), err, v.Size)
				}
			}
		})
	}

	privacy := findDoc(h, "content/privacy-policy.md")
	if len(privacy.Renames) != 1 || !privacy.Renames[0].Pure || privacy.Renames[0].Commit.Hash != p.c["c3"] ||
		privacy.Renames[0].From != "content/privacy.md" {
		t.Errorf("privacy renames = %+v, want the pure rename of c3", privacy.Renames)
	}
	if v := privacy.Versions[len(privacy.Versions)-1]; v.Path != "content/privacy.md" {
		t.Errorf("first privacy version path = %s", v.Path)
	}
	terms := findDoc(h, "content/legal/terms-of-service.md")
	if len(terms.Renames) != 1 || terms.Renames[0].Pure {
		t.Errorf("terms renames = %+v, want one rename with edits", terms.Renames)
	}
	if terms.Versions[0].Path != "content/legal/terms-of-service.md" || terms.Versions[1].Path != "content/legal/terms.md" {
		t.Errorf("terms version paths = %s, %s", terms.Versions[0].Path, terms.Versions[1].Path)
	}
}

func TestReadMetadata(t *testing.T) {
	p := newPortal(t)
	h := readPortal(t, p.dir, Query{Prefix: "content/"})
	dpa := findDoc(h, "content/dpa.md")

	merge := dpa.Versions[1]
	if !merge.Merge || merge.Subject != "Add cookie policy and clarify DPA audits" ||
		merge.RawSubject != "Merge pull request #12 from acme/cookies" || merge.Body != "Reviewed by legal." {
		t.Errorf("merge version = %+v", merge)
	}
	minor := dpa.Versions[0]
	if minor.Material || minor.Merge || minor.Subject != "Normalise whitespace in DPA" ||
		!slices.Equal(minor.Trailers["Change-Type"], []string{"Minor"}) || len(minor.Trailers["Signed-Off-By"]) != 1 {
		t.Errorf("whitespace-only version = %+v", minor)
	}
	if minor.Body != "" {
		t.Errorf("Body = %q, want trailers left out", minor.Body)
	}
	want := time.Date(2023, 3, 12, 9, 0, 0, 0, time.FixedZone("", -8*3600))
	if !minor.Date.Equal(want) || minor.Date.Format(time.RFC3339) != "2023-03-12T09:00:00-08:00" {
		t.Errorf("Date = %s, want %s with its offset", minor.Date.Format(time.RFC3339), want)
	}

	privacy := findDoc(h, "content/privacy-policy.md")
	v := privacy.Versions
	if v[2].Subject != "Clarify retention period" || v[2].Body != "Asked by a customer." ||
		!v[2].Material || !slices.Equal(v[2].Trailers["Refs"], []string{"#40"}) {
		t.Errorf("c6 version = %+v", v[2])
	}
	// Out-of-order dates keep the first-parent order.
	if !v[2].Date.Before(v[3].Date) {
		t.Errorf("fixture: c6 (%s) should be dated before c5 (%s)", v[2].Date, v[3].Date)
	}
	// The revert brings back c5's content: same ID with a suffix.
	if v[1].SHA256 != v[3].SHA256 || v[1].ID != v[3].ID+"-2" || v[3].ID != v[3].SHA256[:12] {
		t.Errorf("revert IDs: c7 %s, c5 %s (sha %s)", v[1].ID, v[3].ID, v[3].SHA256)
	}
	if !strings.HasPrefix(v[1].Subject, `Revert "Clarify retention period"`) {
		t.Errorf("revert subject = %q", v[1].Subject)
	}
	ids := map[string]bool{}
	for _, d := range h.Documents {
		for _, v := range d.Versions {
			if len(v.Commit) != 40 || len(v.Blob) != 40 || len(v.SHA256) != 64 {
				t.Errorf("%s: bad hashes in %+v", d.Path, v)
			}
			if ids[d.Path+v.ID] {
				t.Errorf("%s: duplicate version ID %s", d.Path, v.ID)
			}
			ids[d.Path+v.ID] = true
		}
	}
}

func TestReadCrossCheckGitLog(t *testing.T) {
	p := newPortal(t)
	h := readPortal(t, p.dir, Query{Prefix: "content"})
	crossCheck(t, p.gitRepo, h)
}

func TestReadWholeRepository(t *testing.T) {
	p := newPortal(t)
	h := readPortal(t, p.dir, Query{})
	for _, want := range []string{"README.md", "docs/notes.md", "content/dpa.md"} {
		if findDoc(h, want) == nil {
			t.Errorf("no document %s", want)
		}
	}
	if got := versionCommits(findDoc(h, "docs/notes.md")); !slices.Equal(got, p.commits("c10", "c2", "c1")) {
		t.Errorf("notes versions = %q", got)
	}
	crossCheck(t, p.gitRepo, h)

	// A custom Match.
	h = readPortal(t, p.dir, Query{Prefix: "content/legal", Match: func(p string) bool { return strings.HasSuffix(p, "/security.md") }})
	if len(h.Documents) != 1 || h.Documents[0].Path != "content/legal/annex/security.md" {
		t.Errorf("Match: documents = %+v", h.Documents)
	}
}

func TestReadRefs(t *testing.T) {
	p := newPortal(t)
	for _, ref := range []string{"v1", "refs/tags/v1", p.c["c4"]} {
		h := readPortal(t, p.dir, Query{Ref: ref, Prefix: "content"})
		if h.Head.Hash != p.c["c4"] {
			t.Errorf("Ref %s: Head = %s, want c4", ref, h.Head.Hash)
		}
		if findDoc(h, "content/cookies.md") != nil || findDoc(h, "content/privacy-policy.md") == nil {
			t.Errorf("Ref %s: wrong documents", ref)
		}
	}
	h := readPortal(t, p.dir, Query{Ref: "cookies", Prefix: "content"})
	if got := versionCommits(findDoc(h, "content/cookies.md")); !slices.Equal(got, p.commits("f2", "f1")) {
		t.Errorf("branch cookies: versions = %q", got)
	}
	r := openRepo(t, p.dir)
	if _, err := r.Read(context.Background(), Query{Ref: "no-such-branch"}); !errors.Is(err, ErrRefNotFound) {
		t.Errorf("unknown ref: err = %v", err)
	}
}

func TestReadContextAndProgress(t *testing.T) {
	p := newPortal(t)
	r := openRepo(t, p.dir)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := r.Read(ctx, Query{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v", err)
	}
	var calls []int
	h, err := r.Read(context.Background(), Query{Progress: func(n int) { calls = append(calls, n) }})
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Count(p.git("rev-list", "--first-parent", "HEAD"), "\n")
	if h.Commits != want || !slices.Equal(calls, []int{want}) {
		t.Errorf("Commits = %d, progress calls %v; want %d", h.Commits, calls, want)
	}
}
