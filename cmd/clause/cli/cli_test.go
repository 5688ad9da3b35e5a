package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
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
	if code := Main([]string{"build", "--repo", r.Dir}, streams); code != ExitOK {
		t.Fatal(errOut.String())
	}
	if !strings.Contains(errOut.String(), "Reading history: 1 commits") || !strings.Contains(errOut.String(), "Rendering 1 documents") {
		t.Errorf("no progress on a terminal: %q", errOut.String())
	}
	errOut.Reset()
	if code := Main([]string{"build", "--quiet", "--repo", r.Dir}, streams); code != ExitOK || errOut.Len() != 0 {
		t.Errorf("--quiet printed %q", errOut.String())
	}
	_, _, stderr := run(t, "build", "--repo", r.Dir)
	if stderr != "" {
		t.Errorf("progress printed when not a terminal: %q", stderr)
	}
}
