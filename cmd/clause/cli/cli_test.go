package cli

import (
	"bytes"
	"os"
	"path/filepath"
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
}
