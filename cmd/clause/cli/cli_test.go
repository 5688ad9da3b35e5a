package cli

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/clause-portal/clause/internal/gittest"
)

func run(t *testing.T, args ...string) (ExitCode, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Main(args, &IO{Out: &out, ErrOut: &errOut, In: strings.NewReader(""), Getenv: func(string) string { return "" }})
	return code, out.String(), errOut.String()
}

func TestExitCodes(t *testing.T) {
	r := gittest.New(t)
	r.Write("content/dpa.md", "---\ntitle: DPA\n---\nText\n")
	r.Commit("2026-01-01T10:00:00Z", "DPA")

	code, out, errOut := run(t, "build", "--repo", r.Dir)
	if code != ExitOK || !strings.Contains(out, "Built 1 documents (1 commits of history) into public") {
		t.Fatalf("build: code %d, out %q, err %q", code, out, errOut)
	}

	for _, args := range [][]string{
		{"nope"},
		{"build", "--no-such-flag"},
		{"build", "extra-arg"},
		{"version", "x"},
	} {
		code, _, errOut := run(t, args...)
		if code != ExitUsage {
			t.Errorf("%v: exit %d, want %d (stderr %q)", args, code, ExitUsage, errOut)
		}
		if !strings.Contains(errOut, "--help") && !strings.Contains(errOut, "unknown command") {
			t.Errorf("%v: usage error does not point to help: %q", args, errOut)
		}
	}

	r.Write("content/dpa.md", "---\ntitle: DPA\nkind: contract\n---\nText\n")
	code, _, errOut = run(t, "build", "--repo", r.Dir)
	if code != ExitError {
		t.Errorf("bad content: exit %d", code)
	}
	if !strings.HasPrefix(errOut, "content/dpa.md:3: unknown kind \"contract\"") || !strings.Contains(errOut, "nothing was published") {
		t.Errorf("bad content: stderr %q", errOut)
	}

	code, _, errOut = run(t, "build", "--repo", t.TempDir())
	if code != ExitError || !strings.Contains(errOut, "content folder content does not exist") {
		t.Errorf("missing content: exit %d, stderr %q", code, errOut)
	}
}

// TestQuietStillWarns: --quiet drops the progress and the summary line,
// not the warnings (a portal without a base URL, a sub-processor without a
// transfer mechanism): they are what a build log is read for.
func TestQuietStillWarns(t *testing.T) {
	r := gittest.New(t)
	r.Write("docs/terms.md", "# Terms\n")
	r.Commit("2026-01-01T10:00:00Z", "Terms")
	code, stdout, stderr := run(t, "build", "-q", "--repo", r.Dir, "--content", "docs", "--out", filepath.Join(t.TempDir(), "site"))
	if code != ExitOK || stdout != "" || !strings.Contains(stderr, "warning: no base URL") {
		t.Fatalf("quiet build without a base URL: %d %q %q", code, stdout, stderr)
	}
}

func TestQuietAndOut(t *testing.T) {
	r := gittest.New(t)
	r.Write("docs/terms.md", "# Terms\n")
	r.Commit("2026-01-01T10:00:00Z", "Terms")
	out := filepath.Join(t.TempDir(), "site")
	code, stdout, stderr := run(t, "build", "-q", "--repo", r.Dir, "--content", "docs", "--out", out, "--base-url", "https://legal.example.com/")
	if code != ExitOK || stdout != "" || stderr != "" {
		t.Fatalf("quiet build: %d %q %q", code, stdout, stderr)
	}
	b, err := os.ReadFile(filepath.Join(out, "terms", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `<link rel="canonical" href="https://legal.example.com/terms/">`) {
		t.Error("--base-url not applied")
	}
}

func TestHelpAndVersion(t *testing.T) {
	code, out, _ := run(t, "--help")
	if code != ExitOK || !strings.Contains(out, "build") || !strings.Contains(out, "version") {
		t.Errorf("--help: %d %q", code, out)
	}
	code, out, _ = run(t, "build", "--help")
	for _, flag := range []string{"--repo", "--content", "--out", "--base-url", "--allow-shallow", "--no-git", "--quiet"} {
		if !strings.Contains(out, flag) {
			t.Errorf("build --help lacks %s", flag)
		}
	}
	if code != ExitOK {
		t.Errorf("build --help exit %d", code)
	}
	code, out, _ = run(t, "version")
	if code != ExitOK || !strings.HasPrefix(out, "clause ") || !strings.Contains(out, "hugo v0.165.0") {
		t.Errorf("version: %d %q", code, out)
	}
	for _, flag := range []string{"--version", "-v"} {
		code, got, _ := run(t, flag)
		if code != ExitOK || got != out {
			t.Errorf("%s: %d %q, want the line of clause version %q", flag, code, got, out)
		}
	}
}

func TestDescribeBuild(t *testing.T) {
	vcs := []debug.BuildSetting{{Key: "vcs.revision", Value: "3d9772c1a2b4e5f60718293a4b5c6d7e8f901234"}, {Key: "vcs.time", Value: "2026-12-02T17:10:00Z"}}
	for _, tc := range []struct {
		name, stamped string
		bi            *debug.BuildInfo
		want          string
	}{
		{"release", "v1.2.3", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs}, "clause v1.2.3 (commit 3d9772c1a2b4, 2026-12-02; hugo v"},
		{"go install", "", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.4"}}, "clause v1.2.4 (hugo v"},
		{"checkout", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: append(vcs, debug.BuildSetting{Key: "vcs.modified", Value: "true"})}, "clause (devel) (commit 3d9772c1a2b4 with uncommitted changes, 2026-12-02; hugo v"},
		{"no build info", "", nil, "clause (devel) (hugo v"},
	} {
		if got := describeBuild(tc.stamped, tc.bi); !strings.HasPrefix(got, tc.want) {
			t.Errorf("%s: %q, want it to start with %q", tc.name, got, tc.want)
		}
	}
}

func TestLog(t *testing.T) {
	r := gittest.New(t)
	r.Write("clause.toml", "time_zone = \"Europe/Berlin\"\n")
	r.Write("content/dpa.md", "---\ntitle: DPA\neffective: 2026-02-01\n---\nv1\n")
	r.Write("content/privacy.md", "# Privacy\n")
	first := r.Commit("2026-01-10T09:00:00Z", "Publish")
	r.Write("content/dpa.md", "---\ntitle: DPA\n---\nv2\n")
	second := r.Commit("2026-07-01T09:00:00Z", "Fix typo\n\nChange-Type: minor")

	code, out, errOut := run(t, "log", "dpa", "--repo", r.Dir)
	if code != ExitOK {
		t.Fatalf("log: %d %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 5 || lines[0] != "dpa — DPA" || lines[1] != "content/dpa.md, 2 versions" {
		t.Fatalf("log output:\n%s", out)
	}
	if !strings.HasPrefix(lines[3], "2026-07-01 11:00 CEST") || !strings.Contains(lines[3], second[:7]) || !strings.Contains(lines[3], "minor") || !strings.Contains(lines[3], "in force") {
		t.Errorf("newest row: %q", lines[3])
	}
	if !strings.HasPrefix(lines[4], "2026-01-10 10:00 CET") || !strings.Contains(lines[4], first[:7]) || !strings.Contains(lines[4], "2026-02-01") || !strings.Contains(lines[4], "superseded") {
		t.Errorf("oldest row: %q", lines[4])
	}

	code, out, _ = run(t, "log", "--json", "--repo", r.Dir)
	var all struct {
		Documents []struct {
			ID       string `json:"id"`
			Versions []struct {
				Commit   string `json:"commit"`
				Material bool   `json:"material"`
			} `json:"versions"`
		} `json:"documents"`
	}
	if err := json.Unmarshal([]byte(out), &all); err != nil || code != ExitOK {
		t.Fatalf("log --json: %d %v\n%s", code, err, out)
	}
	if len(all.Documents) != 2 || all.Documents[0].ID != "dpa" || len(all.Documents[0].Versions) != 2 ||
		all.Documents[0].Versions[0].Commit != second || all.Documents[0].Versions[0].Material || !all.Documents[0].Versions[1].Material {
		t.Errorf("log --json: %+v", all)
	}

	// The same objects as the published API.
	if code, _, _ := run(t, "build", "-q", "--repo", r.Dir); code != ExitOK {
		t.Fatal("build failed")
	}
	_, one, _ := run(t, "log", "content/dpa.md", "--json", "--repo", r.Dir)
	published, err := os.ReadFile(filepath.Join(r.Dir, "public", "api", "documents.json"))
	if err != nil {
		t.Fatal(err)
	}
	var api struct {
		Documents []json.RawMessage `json:"documents"`
	}
	if err := json.Unmarshal(published, &api); err != nil {
		t.Fatal(err)
	}
	var a, b any
	json.Unmarshal(api.Documents[0], &a)
	json.Unmarshal([]byte(one), &b)
	if !reflect.DeepEqual(a, b) {
		t.Errorf("clause log --json differs from /api/documents.json:\n%s\n%s", api.Documents[0], one)
	}

	code, _, errOut = run(t, "log", "nope", "--repo", r.Dir)
	if code != ExitUsage || !strings.Contains(errOut, `no document "nope" (documents: dpa, privacy)`) {
		t.Errorf("unknown document: %d %q", code, errOut)
	}
}

func TestProgressOnlyOnTerminal(t *testing.T) {
	r := gittest.New(t)
	r.Write("content/dpa.md", "# DPA\n")
	r.Commit("2026-01-10T09:00:00Z", "Publish")
	var out, errOut bytes.Buffer
	streams := &IO{Out: &out, ErrOut: &errOut, In: strings.NewReader(""), Getenv: func(string) string { return "" }, IsTerminal: true}
	base := "--base-url=https://legal.example.com/" // else build warns that there is none
	if code := Main([]string{"build", base, "--repo", r.Dir}, streams); code != ExitOK {
		t.Fatal(errOut.String())
	}
	if !strings.Contains(errOut.String(), "Reading history: 1 commits") || !strings.Contains(errOut.String(), "Rendering 1 documents") {
		t.Errorf("no progress on a terminal: %q", errOut.String())
	}
	errOut.Reset()
	if code := Main([]string{"build", "--quiet", base, "--repo", r.Dir}, streams); code != ExitOK || errOut.Len() != 0 {
		t.Errorf("--quiet printed %q", errOut.String())
	}
	_, _, stderr := run(t, "build", base, "--repo", r.Dir)
	if stderr != "" {
		t.Errorf("progress printed when not a terminal: %q", stderr)
	}
}

func TestDiff(t *testing.T) {
	r := gittest.New(t)
	r.Write("content/dpa.md", "---\ntitle: DPA\neffective: 2026-01-01\n---\n## 1. Breach\n\nNotice within 72 hours.\n")
	first := r.Commit("2026-01-10T09:00:00Z", "Publish")
	r.Write("content/dpa.md", "---\ntitle: DPA\neffective: 2026-06-01\n---\n## 1. Breach\n\nNotice within 48 hours.\n")
	second := r.Commit("2026-05-10T09:00:00Z", "48 hours")

	code, out, errOut := run(t, "diff", "dpa", "--repo", r.Dir)
	if code != ExitOK {
		t.Fatalf("diff: %d %s", code, errOut)
	}
	for _, want := range []string{"DPA: ", "(" + first[:7] + ", 2026-01-10) → ", "(" + second[:7] + ", 2026-05-10)", "Effective date: 1 January 2026 → 1 June 2026", "1 clause changed", "~ Notice within [-72-]{+48+} hours."} {
		if !strings.Contains(out, want) {
			t.Errorf("diff output lacks %q:\n%s", want, out)
		}
	}

	// A date names the version in force then; WORKTREE the uncommitted file.
	r.Write("content/dpa.md", "---\ntitle: DPA\neffective: 2026-06-01\n---\n## 1. Breach\n\nNotice within 24 hours.\n")
	_, out, _ = run(t, "diff", "dpa", "2026-03-15", "--repo", r.Dir)
	if !strings.Contains(out, "working tree (uncommitted)") || !strings.Contains(out, "[-72-]{+24+}") {
		t.Errorf("date → worktree:\n%s", out)
	}
	_, out, _ = run(t, "diff", "dpa", second[:8], "WORKTREE", "--repo", r.Dir, "--color", "always")
	if !strings.Contains(out, "\x1b[31;9m48\x1b[0m") || !strings.Contains(out, "\x1b[32m24\x1b[0m") {
		t.Errorf("colour output: %q", out)
	}
	// Colour is automatic on a terminal, unless NO_COLOR.
	for env, wantColor := range map[string]bool{"": true, "1": false} {
		var o strings.Builder
		Main([]string{"diff", "dpa", "--repo", r.Dir}, &IO{Out: &o, ErrOut: io.Discard, In: strings.NewReader(""), OutIsTerminal: true,
			Getenv: func(k string) string {
				if k == "NO_COLOR" {
					return env
				}
				return ""
			}})
		if got := strings.Contains(o.String(), "\x1b["); got != wantColor {
			t.Errorf("NO_COLOR=%q: colour %v", env, got)
		}
	}

	_, out, _ = run(t, "diff", "dpa", "HEAD", "WORKTREE", "--repo", r.Dir, "--format", "json")
	var js struct {
		Document string `json:"document"`
		From     struct {
			Commit string `json:"commit"`
		} `json:"from"`
		To struct {
			Worktree bool `json:"worktree"`
		} `json:"to"`
		Summary string `json:"summary"`
		Redline struct {
			Blocks []struct {
				Op    string `json:"op"`
				Spans []struct {
					Op   string `json:"op"`
					Text string `json:"text"`
				} `json:"spans"`
			} `json:"blocks"`
		} `json:"redline"`
	}
	if err := json.Unmarshal([]byte(out), &js); err != nil {
		t.Fatalf("json: %v\n%s", err, out)
	}
	if js.Document != "dpa" || js.From.Commit != second || !js.To.Worktree || js.Summary != "1 clause changed" {
		t.Errorf("json: %+v", js)
	}
	_, out, _ = run(t, "diff", "dpa", first[:7], second[:7], "--repo", r.Dir, "--format", "html")
	if !strings.HasPrefix(out, "<!DOCTYPE html>") || !strings.Contains(out, "<del>72</del><ins>48</ins>") {
		t.Errorf("html:\n%s", out)
	}

	for _, args := range [][]string{{"diff", "dpa", "nope"}, {"diff", "dpa", "1999-01-01"}, {"diff", "nodoc"}, {"diff", "dpa", "--format", "pdf"}} {
		code, _, errOut := run(t, append(args, "--repo", r.Dir)...)
		if code != ExitUsage {
			t.Errorf("%v: exit %d (%s)", args, code, errOut)
		}
	}
}

func TestCheck(t *testing.T) {
	dir := t.TempDir() // check needs no git: it runs on shallow clones in pull requests
	write := func(p, s string) {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, p), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("content/dpa.md", "# DPA\n")
	write("content/subprocessors.md", "---\ntitle: Sub-processors\n---\n| Name | Purpose | Location |\n|---|---|---|\n| Cumulus | Hosting | Germany |\n| Faraway Pty | Analytics | Australia |\n")
	code, out, errOut := run(t, "check", "--repo", dir)
	if code != ExitOK || out != "2 documents checked: 0 errors, 1 warning\n" || !strings.HasPrefix(errOut, "content/subprocessors.md:7: warning:") {
		t.Errorf("warning only: %d %q %q", code, out, errOut)
	}
	if !strings.Contains(errOut, "\nnote: no base URL: the sitemap") {
		t.Errorf("no note on the missing base URL: %q", errOut)
	}
	t.Setenv("URL", "https://legal.example.com") // as on Netlify
	if _, _, errOut := run(t, "check", "--repo", dir); strings.Contains(errOut, "base URL") {
		t.Errorf("base URL from $URL, still a note: %q", errOut)
	}
	t.Setenv("URL", "javascript:alert(1)")
	if code, _, errOut := run(t, "check", "--repo", dir); code == ExitOK || !strings.Contains(errOut, "environment variable URL") {
		t.Errorf("a javascript: base URL passes check: %d %q", code, errOut)
	}
	t.Setenv("URL", "")
	if code, _, _ := run(t, "check", "--strict", "--repo", dir); code != ExitError {
		t.Errorf("--strict with a warning: exit %d", code)
	}
	write("content/subprocessors.md", "---\ntitle: Sub-processors\n---\n| Name | Purpose | Location |\n|---|---|---|\n| Cumulus | | Germany |\n")
	code, _, errOut = run(t, "check", "--repo", dir)
	if code != ExitError || !strings.HasPrefix(errOut, "content/subprocessors.md:6: ") {
		t.Errorf("row without purpose: %d %q", code, errOut)
	}
	write("content/dpa.md", "---\nkind: nda\n---\n")
	code, _, errOut = run(t, "check", "--repo", dir)
	if code != ExitError || !strings.HasPrefix(errOut, "content/dpa.md:2: unknown kind \"nda\"") {
		t.Errorf("bad front matter: %d %q", code, errOut)
	}
}

// TestHistoryCacheFolder: the history cache goes to .git/clause/ by
// default, to $CLAUSE_CACHE_DIR when set, to --cache-dir over both, and
// nowhere with --no-cache, for build and log alike.
func TestHistoryCacheFolder(t *testing.T) {
	r := gittest.New(t)
	r.Write("content/dpa.md", "---\ntitle: DPA\n---\nText\n")
	r.Commit("2026-01-01T10:00:00Z", "DPA")
	envDir, flagDir := t.TempDir(), t.TempDir()
	files := func(dir string) int {
		m, _ := filepath.Glob(filepath.Join(dir, "history-*"))
		return len(m)
	}
	gitDir := filepath.Join(r.Dir, ".git", "clause")
	for _, tc := range []struct {
		env          string
		args         []string
		git, e, flag int
	}{
		{"", []string{"log", "--no-cache"}, 0, 0, 0},
		{envDir, []string{"log"}, 0, 1, 0},
		{envDir, []string{"build", "--quiet", "--cache-dir", flagDir}, 0, 1, 1},
		{"", []string{"build", "--quiet"}, 1, 1, 1},
	} {
		var out, errOut bytes.Buffer
		getenv := func(k string) string {
			if k == "CLAUSE_CACHE_DIR" {
				return tc.env
			}
			return ""
		}
		args := append(tc.args, "--repo", r.Dir)
		if code := Main(args, &IO{Out: &out, ErrOut: &errOut, In: strings.NewReader(""), Getenv: getenv}); code != ExitOK {
			t.Fatalf("%v: code %d: %s", args, code, errOut.String())
		}
		if got := [3]int{files(gitDir), files(envDir), files(flagDir)}; got != [3]int{tc.git, tc.e, tc.flag} {
			t.Errorf("after %v with CLAUSE_CACHE_DIR=%q: cache files in .git/clause, $CLAUSE_CACHE_DIR, --cache-dir: %v, want %v",
				tc.args, tc.env, got, [3]int{tc.git, tc.e, tc.flag})
		}
	}
}

// TestDiffTakesGitRevisions: FROM and TO may be any git revision (HEAD~1,
// a tag, a commit that did not touch the document): the version that was
// the document's newest there.
func TestDiffTakesGitRevisions(t *testing.T) {
	r := gittest.New(t)
	r.Write("content/dpa.md", "## 1. Breach\n\nNotice within 72 hours.\n")
	r.Commit("2026-01-10T09:00:00Z", "Publish")
	r.Git("tag", "v1")
	r.Write("content/dpa.md", "## 1. Breach\n\nNotice within 48 hours.\n")
	second := r.Commit("2026-05-10T09:00:00Z", "48 hours")
	r.Write("content/other.md", "# Other\n")
	r.Commit("2026-06-10T09:00:00Z", "Another document")
	for _, args := range [][]string{{"v1", "HEAD"}, {"HEAD~2", "HEAD~1"}, {"v1", second}} {
		code, out, errOut := run(t, append([]string{"diff", "dpa", "--repo", r.Dir}, args...)...)
		if code != ExitOK || !strings.Contains(out, "~ Notice within [-72-]{+48+} hours.") {
			t.Errorf("diff %v: %d\n%s%s", args, code, out, errOut)
		}
	}
	code, _, errOut := run(t, "diff", "dpa", "nonsense", "HEAD", "--repo", r.Dir)
	if code == ExitOK || !strings.Contains(errOut, "git revision (HEAD~1, a tag, a branch, a commit)") {
		t.Errorf("unknown revision: %d %s", code, errOut)
	}
}

// TestCheckReportsEveryErrorAtOnce: a broken front matter in one document
// does not hide the sub-processor table errors of another; check says it
// found errors, not that it published nothing.
func TestCheckReportsEveryErrorAtOnce(t *testing.T) {
	r := gittest.New(t)
	r.Write("content/privacy.md", "---\ntitle: [broken\n---\nText\n")
	r.Write("content/subprocessors.md", "---\ntitle: Sub-processors\nkind: subprocessors\n---\n| Sub-processor | Purpose | Location |\n|---|---|---|\n| | Hosting | DE |\n| Acme | | FR |\n")
	r.Commit("2026-01-01T10:00:00Z", "Publish")
	code, _, errOut := run(t, "check", "--repo", r.Dir)
	want := "content/privacy.md:2: invalid YAML front matter: did not find expected ',' or ']'\n" +
		"content/subprocessors.md:7: sub-processor row has no name\n" +
		"content/subprocessors.md:8: sub-processor \"Acme\" has no purpose: say what it does\n" +
		"clause: 3 errors in content\n"
	if code != ExitError || errOut != want {
		t.Errorf("check: exit %d, stderr\n%s\nwant\n%s", code, errOut, want)
	}
	code, _, errOut = run(t, "build", "--repo", r.Dir)
	if code != ExitError || !strings.HasSuffix(errOut, "clause: 3 errors in content; nothing was published\n") {
		t.Errorf("build: exit %d, stderr %q", code, errOut)
	}
}
