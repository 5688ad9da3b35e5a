package history

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// move renames a file of the work tree, making the folders it needs (git
// mv does not); commit stages it.
func (g *gitRepo) move(from, to string) {
	g.tb.Helper()
	if err := os.MkdirAll(filepath.Dir(filepath.Join(g.dir, to)), 0o755); err != nil {
		g.tb.Fatal(err)
	}
	if err := os.Rename(filepath.Join(g.dir, from), filepath.Join(g.dir, to)); err != nil {
		g.tb.Fatal(err)
	}
}

// versionPaths returns the Path of each of d's versions, newest first.
func versionPaths(d *Document) []string {
	var out []string
	for _, v := range d.Versions {
		out = append(out, v.Path)
	}
	return out
}

// gitFollowVersions is the oracle of the brief: the commits `git log
// --first-parent --follow` lists for path, without pure renames (R100).
func gitFollowVersions(t *testing.T, g *gitRepo, path string) []string {
	t.Helper()
	var out []string
	for _, e := range gitFollow(t, g, "HEAD", path) {
		if e.status != "R100" && e.status != "D" {
			out = append(out, e.hash)
		}
	}
	return out
}

// readAllWays reads dir with q without a cache, then with a cache filled
// first at ref fillAt (when not empty: an older commit, as if the cache
// were written by an earlier build) and then at q.Ref, then from that
// cache alone: every Read must give the same history. It returns the
// uncached one.
func readAllWays(t *testing.T, dir string, q Query, fillAt ...string) *History {
	t.Helper()
	q.Warn = func(err error) { t.Errorf("warning: %v", err) }
	want := readWith(t, dir, q)
	cached := q
	cached.Cache = filepath.Join(t.TempDir(), "cache")
	for _, ref := range fillAt {
		early := cached
		early.Ref = ref
		readWith(t, dir, early)
	}
	if got := readWith(t, dir, cached); !reflect.DeepEqual(got, want) {
		t.Errorf("the Read that fills the cache (filled before at %q) differs from a Read without one", fillAt)
	}
	if got := readWith(t, dir, cached); !reflect.DeepEqual(got, want) {
		t.Errorf("a Read from the cache (filled before at %q) differs from a Read without one", fillAt)
	}
	return want
}

// TestFollowMoveIntoContentFolder is a reorganisation: dpa.md at the root
// of the repository, edited twice, is moved to legal/, the content
// folder, and edited there. Its versions are those of `git log
// --first-parent --follow`, minus the pure rename, with their paths.
func TestFollowMoveIntoContentFolder(t *testing.T) {
	g := newGitRepo(t)
	g.write("dpa.md", text("DPA", 15, nil))
	g.write("README.md", "# Acme\n")
	g.write("legal/privacy.md", text("Privacy", 15, nil))
	c1 := g.commit("2022-01-10T09:00:00+01:00", "Add the DPA\n")
	g.write("dpa.md", text("DPA", 15, map[int]string{2: "Audits once a year."}))
	c2 := g.commit("2022-02-10T09:00:00+01:00", "Edit the DPA\n")
	g.write("README.md", "# Acme legal\n")
	g.commit("2022-02-20T09:00:00+01:00", "Edit the README\n")
	g.write("dpa.md", text("DPA", 15, map[int]string{2: "Audits once a year.", 5: "Sub-processors: see the list."}))
	c3 := g.commit("2022-03-10T09:00:00-05:00", "Edit the DPA again\n")
	g.move("dpa.md", "legal/dpa.md")
	move := g.commit("2022-04-10T09:00:00+02:00", "Move the documents to legal/\n")
	g.write("legal/dpa.md", text("DPA", 15, map[int]string{2: "Audits twice a year.", 5: "Sub-processors: see the list."}))
	c4 := g.commit("2022-05-10T09:00:00+02:00", "Edit the DPA in its new place\n")

	h := readAllWays(t, g.dir, Query{Prefix: "legal"}, c3, move)
	crossCheck(t, g, h)
	d := findDoc(h, "legal/dpa.md")
	if d == nil {
		t.Fatalf("no legal/dpa.md among %+v", h.Documents)
	}
	want := []string{c4, c3, c2, c1}
	if got := versionCommits(d); !slices.Equal(got, want) || !slices.Equal(got, gitFollowVersions(t, g, "legal/dpa.md")) {
		t.Errorf("versions %q, want %q (git log --first-parent --follow without R100)", got, want)
	}
	if got, want := versionPaths(d), []string{"legal/dpa.md", "dpa.md", "dpa.md", "dpa.md"}; !slices.Equal(got, want) {
		t.Errorf("version paths %q, want %q", got, want)
	}
	if want := []string{"dpa.md", "legal/dpa.md"}; !slices.Equal(d.Paths, want) {
		t.Errorf("Paths %q, want %q", d.Paths, want)
	}
	if len(d.Renames) != 1 || d.Renames[0] != (Rename{From: "dpa.md", To: "legal/dpa.md", Commit: d.Renames[0].Commit, Pure: true}) || d.Renames[0].Commit.Hash != move {
		t.Errorf("Renames %+v, want the pure move of %s", d.Renames, move)
	}
	for _, v := range d.Versions {
		if blob := strings.TrimSpace(g.git("rev-parse", v.Commit+":"+v.Path)); v.Blob != blob {
			t.Errorf("version %s: Blob %s, git says %s", v.Commit, v.Blob, blob)
		}
	}
	// README.md is outside the content folder and never moved into it.
	if len(h.Documents) != 2 {
		t.Errorf("documents %+v, want legal/dpa.md and legal/privacy.md", h.Documents)
	}
}

// TestFollowTwoMoves follows a document moved twice outside the content
// folder before it is moved in: old/dpa.md → dpa.md (with an edit) →
// content/dpa.md; a document moved out of the content folder and back in
// keeps its history too.
func TestFollowTwoMoves(t *testing.T) {
	g := newGitRepo(t)
	g.write("old/dpa.md", text("DPA", 15, nil))
	g.write("content/terms.md", text("Terms", 15, nil))
	c1 := g.commit("2021-01-01T10:00:00Z", "Start\n")
	g.write("old/dpa.md", text("DPA", 15, map[int]string{1: "Scope."}))
	c2 := g.commit("2021-02-01T10:00:00Z", "Edit\n")
	g.move("old/dpa.md", "dpa.md")
	g.write("dpa.md", text("DPA", 15, map[int]string{1: "Scope.", 9: "Liability is capped."}))
	c3 := g.commit("2021-03-01T10:00:00Z", "Move to the root, with an edit\n")
	g.move("content/terms.md", "archive/terms.md")
	g.commit("2021-03-15T10:00:00Z", "Archive the terms\n")
	g.write("dpa.md", text("DPA", 15, map[int]string{1: "Scope.", 9: "Liability is capped at fees paid."}))
	g.write("archive/terms.md", text("Terms", 15, map[int]string{3: "Edited while archived."}))
	c4 := g.commit("2021-04-01T10:00:00Z", "Edit the DPA and the archived terms\n")
	g.move("dpa.md", "content/dpa.md")
	g.move("archive/terms.md", "content/terms.md")
	move := g.commit("2021-05-01T10:00:00Z", "Move into content/\n")

	h := readAllWays(t, g.dir, Query{Prefix: "content"}, c2, c4)
	crossCheck(t, g, h)
	d := findDoc(h, "content/dpa.md")
	if got, want := versionCommits(d), []string{c4, c3, c2, c1}; !slices.Equal(got, want) {
		t.Errorf("dpa versions %q, want %q", got, want)
	}
	if got, want := versionPaths(d), []string{"dpa.md", "dpa.md", "old/dpa.md", "old/dpa.md"}; !slices.Equal(got, want) {
		t.Errorf("dpa version paths %q, want %q", got, want)
	}
	if want := []string{"old/dpa.md", "dpa.md", "content/dpa.md"}; !slices.Equal(d.Paths, want) {
		t.Errorf("dpa Paths %q, want %q", d.Paths, want)
	}
	if len(d.Renames) != 2 || d.Renames[0].Commit.Hash != move || d.Renames[1].Commit.Hash != c3 || d.Renames[1].Pure {
		t.Errorf("dpa Renames %+v", d.Renames)
	}
	// Out and back in: one document, not a retired content/terms.md.
	terms := findDoc(h, "content/terms.md")
	if want := []string{"content/terms.md", "archive/terms.md", "content/terms.md"}; terms == nil || len(terms.Versions) != 2 || !slices.Equal(terms.Paths, []string{"archive/terms.md", "content/terms.md"}) {
		t.Errorf("terms %+v, want 2 versions along %q", terms, want)
	}
	for _, doc := range h.Documents {
		if doc.Deleted {
			t.Errorf("retired document %s: nothing was deleted from content/ for good", doc.Path)
		}
	}
}

// TestFollowDeletedAndAddedAgainOutside moves into the content folder a
// file that was deleted and added again at the same path outside it: as
// under the content folder (and as `git log --follow` shows), the earlier
// file at that path is the same document.
func TestFollowDeletedAndAddedAgainOutside(t *testing.T) {
	g := newGitRepo(t)
	g.write("policy.md", text("Policy", 12, nil))
	g.write("content/dpa.md", text("DPA", 12, nil))
	c1 := g.commit("2020-01-01T10:00:00Z", "Start\n")
	g.write("policy.md", text("Policy", 12, map[int]string{2: "Edited."}))
	c2 := g.commit("2020-02-01T10:00:00Z", "Edit\n")
	g.git("rm", "-q", "policy.md")
	c3 := g.commit("2020-03-01T10:00:00Z", "Remove the policy\n")
	g.write("policy.md", strings.Repeat("a policy written anew\n", 30))
	c4 := g.commit("2020-04-01T10:00:00Z", "Write the policy again\n")
	g.write("policy.md", strings.Repeat("a policy written anew\n", 30)+"One more line.\n")
	c5 := g.commit("2020-05-01T10:00:00Z", "Edit it\n")
	g.move("policy.md", "content/policy.md")
	g.commit("2020-06-01T10:00:00Z", "Move it into content/\n")

	h := readAllWays(t, g.dir, Query{Prefix: "content"}, c3, c5)
	crossCheck(t, g, h)
	d := findDoc(h, "content/policy.md")
	if got, want := versionCommits(d), []string{c5, c4, c2, c1}; !slices.Equal(got, want) {
		t.Errorf("versions %q, want %q", got, want)
	}
	if len(h.Documents) != 2 {
		t.Errorf("documents %+v: a file deleted outside the content folder is no document of its own", h.Documents)
	}
}

// TestFollowMoveWithEdit moves a document into the content folder with an
// edit in the same commit, among other files deleted outside it: the
// source is found by similarity, and the move is a version.
func TestFollowMoveWithEdit(t *testing.T) {
	g := newGitRepo(t)
	g.write("policies/privacy.md", text("Privacy", 20, nil))
	g.write("policies/cookies.md", text("Cookies", 20, nil))
	g.write("notes/unrelated.md", strings.Repeat("meeting notes\n", 50))
	c1 := g.commit("2023-01-01T10:00:00+01:00", "Start\n")
	g.write("policies/privacy.md", text("Privacy", 20, map[int]string{4: "Retention: 6 years."}))
	c2 := g.commit("2023-02-01T10:00:00+01:00", "Edit privacy\n")
	g.move("policies/privacy.md", "site/content/privacy-policy.md")
	g.write("site/content/privacy-policy.md", text("Privacy", 20, map[int]string{4: "Retention: 6 years.", 7: "Contact our DPO."}))
	g.git("rm", "-q", "notes/unrelated.md", "policies/cookies.md")
	g.write("site/content/new.md", strings.Repeat("a new document\n", 40))
	move := g.commit("2023-03-01T10:00:00+01:00", "Move privacy into the site, with an edit\n")

	h := readAllWays(t, g.dir, Query{Prefix: "site/content"}, c1)
	crossCheck(t, g, h)
	d := findDoc(h, "site/content/privacy-policy.md")
	if got, want := versionCommits(d), []string{move, c2, c1}; !slices.Equal(got, want) {
		t.Errorf("versions %q, want %q", got, want)
	}
	if len(d.Renames) != 1 || d.Renames[0].Pure || d.Renames[0].From != "policies/privacy.md" {
		t.Errorf("Renames %+v, want one with edits from policies/privacy.md", d.Renames)
	}
	if n := findDoc(h, "site/content/new.md"); n == nil || len(n.Versions) != 1 || len(n.Paths) != 1 {
		t.Errorf("new.md %+v: not similar to anything deleted, it is new", n)
	}
	if len(h.Documents) != 2 {
		t.Errorf("%d documents, want 2: files deleted outside the content folder are not documents", len(h.Documents))
	}
}

// TestFollowMoveByMergeCommit brings the move with a merged pull request:
// on the first-parent history, the merge commit is the move (with the
// edits the branch made), and the branch's own commits are not versions.
func TestFollowMoveByMergeCommit(t *testing.T) {
	g := newGitRepo(t)
	g.write("dpa.md", text("DPA", 15, nil))
	g.write("content/privacy.md", text("Privacy", 15, nil))
	c1 := g.commit("2024-01-01T10:00:00Z", "Start\n")
	g.git("checkout", "-q", "-b", "reorg")
	g.move("dpa.md", "content/dpa.md")
	b1 := g.commit("2024-01-02T10:00:00Z", "Move the DPA\n")
	g.write("content/dpa.md", text("DPA", 15, map[int]string{3: "Edited on the branch."}))
	b2 := g.commit("2024-01-03T10:00:00Z", "Edit the DPA\n")
	g.git("checkout", "-q", "main")
	g.write("dpa.md", text("DPA", 15, map[int]string{8: "Edited on main meanwhile."}))
	c2 := g.commit("2024-01-04T10:00:00Z", "Edit the DPA on main\n")
	g.gitAt("2024-01-05T10:00:00Z", "merge", "-q", "--no-ff", "reorg", "-m", "Merge pull request #7 from acme/reorg", "-m", "Move the DPA into content/")
	m := g.head()

	h := readAllWays(t, g.dir, Query{Prefix: "content"}, c2)
	crossCheck(t, g, h)
	d := findDoc(h, "content/dpa.md")
	if got, want := versionCommits(d), []string{m, c2, c1}; !slices.Equal(got, want) {
		t.Errorf("versions %q, want %q (not the branch's %s, %s)", got, want, b1, b2)
	}
	if !d.Versions[0].Merge || d.Versions[0].Subject != "Move the DPA into content/" || d.Versions[1].Path != "dpa.md" {
		t.Errorf("merge version %+v, previous path %s", d.Versions[0], d.Versions[1].Path)
	}
	if len(d.Renames) != 1 || d.Renames[0].Commit.Hash != m || d.Renames[0].Pure {
		t.Errorf("Renames %+v, want the merge, with edits", d.Renames)
	}
}

// TestDraftsAreNeverPublished renames drafts (a "_" file, a file in a "_"
// folder, one outside the content folder) into published paths: each is a
// new document whose versions start at the rename, and no text of a draft
// before it is a version of anything. Hidden files committed and deleted
// are no documents, and a document renamed to a hidden path is retired.
func TestDraftsAreNeverPublished(t *testing.T) {
	g := newGitRepo(t)
	g.write("content/_draft.md", text("DPA", 15, map[int]string{1: "DRAFT: not for publication."}))
	g.write("content/_internal/notes.md", text("Notes", 15, map[int]string{1: "Internal: our real retention is longer."}))
	g.write("content/.hidden.md", text("Hidden", 15, nil))
	g.write("_drafts/terms.md", text("Terms", 15, map[int]string{1: "DRAFT terms."}))
	g.write("content/privacy.md", text("Privacy", 15, nil))
	g.write("content/_index.md", text("Legal", 15, nil))
	c1 := g.commit("2024-03-01T10:00:00Z", "Drafts\n")
	g.write("content/_draft.md", text("DPA", 15, map[int]string{1: "DRAFT: not for publication.", 2: "Second draft."}))
	g.write("content/_internal/notes.md", text("Notes", 15, map[int]string{1: "Internal: still longer."}))
	g.write("content/.hidden.md", text("Hidden", 15, map[int]string{2: "Edited."}))
	g.write("_drafts/terms.md", text("Terms", 15, map[int]string{1: "Terms, ready."}))
	g.commit("2024-03-02T10:00:00Z", "Edit the drafts\n")
	g.move("content/_draft.md", "content/dpa.md")
	g.move("_drafts/terms.md", "content/terms.md")
	g.git("rm", "-q", "content/_internal/notes.md", "content/.hidden.md")
	g.move("content/privacy.md", "content/_old/privacy.md")
	publish := g.commit("2024-03-03T10:00:00Z", "Publish the DPA and the terms, retire the privacy policy\n")
	g.write("content/dpa.md", text("DPA", 15, map[int]string{1: "Final.", 2: "Second draft."}))
	edit := g.commit("2024-03-04T10:00:00Z", "Edit the DPA\n")

	h := readAllWays(t, g.dir, Query{Prefix: "content"}, c1)
	var got []string
	for _, d := range h.Documents {
		got = append(got, d.Path+map[bool]string{true: " (deleted)"}[d.Deleted])
	}
	want := []string{"content/_index.md", "content/dpa.md", "content/privacy.md (deleted)", "content/terms.md"}
	if !slices.Equal(got, want) {
		t.Fatalf("documents %q, want %q", got, want)
	}
	dpa := findDoc(h, "content/dpa.md")
	if got, want := versionCommits(dpa), []string{edit, publish}; !slices.Equal(got, want) {
		t.Errorf("dpa versions %q, want %q: git log --follow has the draft's too, Clause must not", got, want)
	}
	if follow := gitFollowVersions(t, g, "content/dpa.md"); len(follow) <= 2 {
		t.Errorf("git log --follow lists %q: the fixture does not test what it means to", follow)
	}
	if terms := findDoc(h, "content/terms.md"); len(terms.Versions) != 1 || terms.Versions[0].Commit != publish || len(terms.Renames) != 0 {
		t.Errorf("terms %+v, want one version, at %s", terms, publish)
	}
	if p := findDoc(h, "content/privacy.md"); p.DeletedAt == nil || p.DeletedAt.Hash != publish || !slices.Equal(p.Paths, []string{"content/privacy.md"}) {
		t.Errorf("privacy %+v, want retired at %s", p, publish)
	}

	// No text of a draft, hidden or internal file, before it was
	// published, is a version of anything (the last draft of the DPA is
	// its text at publish, and so for the terms).
	secret := map[string]string{}
	for _, spec := range []string{c1 + ":content/_draft.md", c1 + ":content/_internal/notes.md", c1 + ":content/.hidden.md", c1 + ":_drafts/terms.md",
		publish + "~1:content/_internal/notes.md", publish + "~1:content/.hidden.md"} {
		secret[strings.TrimSpace(g.git("rev-parse", spec))] = spec
	}
	for _, d := range h.Documents {
		for _, p := range d.Paths {
			if Unpublished(strings.TrimPrefix(p, "content/")) {
				t.Errorf("%s has the unpublished path %s", d.Path, p)
			}
		}
		for _, v := range d.Versions {
			if spec, ok := secret[v.Blob]; ok {
				t.Errorf("%s: version %s is the text of %s", d.Path, v.Commit, spec)
			}
		}
	}
}

// TestHiddenFilesAreNoDocuments commits hidden and "_" files, edits them
// and deletes them: they are no documents, current or retired, with the
// default Match or another, and with the whole repository as the prefix.
func TestHiddenFilesAreNoDocuments(t *testing.T) {
	g := newGitRepo(t)
	g.write("content/dpa.md", text("DPA", 10, nil))
	g.write("content/.hidden.md", "hidden\n")
	g.write("content/_internal/notes.md", "internal notes\n")
	g.write("content/legal/.drafts/x.md", "a hidden folder\n")
	g.write("content/_draft.md", "a draft\n")
	c1 := g.commit("2024-04-01T10:00:00Z", "Start\n")
	g.write("content/.hidden.md", "hidden, edited\n")
	g.write("content/_internal/notes.md", "internal notes, edited\n")
	g.commit("2024-04-02T10:00:00Z", "Edit\n")
	g.git("rm", "-q", "-r", "content/.hidden.md", "content/_internal", "content/legal", "content/_draft.md")
	g.commit("2024-04-03T10:00:00Z", "Delete\n")

	for _, q := range []Query{
		{Prefix: "content"},
		{Prefix: "content", Match: func(string) bool { return true }, MatchKey: "all"},
		{},
	} {
		h := readAllWays(t, g.dir, q, c1)
		if len(h.Documents) != 1 || h.Documents[0].Path != "content/dpa.md" {
			t.Errorf("Prefix %q: documents %+v, want content/dpa.md only", q.Prefix, h.Documents)
		}
	}
}

func TestUnpublished(t *testing.T) {
	for p, want := range map[string]bool{
		"dpa.md": false, "legal/dpa.md": false, "_index.md": false, "legal/_index.md": false, "legal/_index.de.md": false,
		"_draft.md": true, ".hidden.md": true, "_internal/notes.md": true, "legal/.drafts/x.md": true,
		"_index/x.md": true, "a/_b/_index.md": true, "a_b/c.md": false, "x.md_": false,
	} {
		if got := Unpublished(p); got != want {
			t.Errorf("Unpublished(%q) = %v, want %v", p, got, want)
		}
	}
}
