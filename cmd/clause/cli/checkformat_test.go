package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clause-portal/clause/generator/subprocessors"
)

// TestCheckFormatGitHub: --format github prints each problem as a
// workflow command on stdout, with the file, the line and a title, and
// exits as the text format does; problems that stop the reading (broken
// front matter) are commands too.
func TestCheckFormatGitHub(t *testing.T) {
	dir := t.TempDir()
	write := func(p, s string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, p), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("content/dpa.md", "# DPA\n")
	write("content/subprocessors.md", "---\ntitle: Sub-processors\n---\n| Name | Purpose | Location |\n|---|---|---|\n| Cumulus | Hosting | Germany |\n| Faraway Pty | Analytics | Australia |\n")
	code, out, errOut := run(t, "check", "--repo", dir, "--format", "github")
	if code != ExitOK {
		t.Fatalf("warning only: exit %d\n%s%s", code, out, errOut)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if !strings.HasPrefix(lines[0], "::warning file=content/subprocessors.md,line=7,title=clause check::") {
		t.Errorf("first line is not the warning's command:\n%s", out)
	}
	if !strings.HasPrefix(lines[1], "::notice title=clause check::no base URL") || lines[len(lines)-1] != "2 documents checked: 0 errors, 1 warning" {
		t.Errorf("note and summary:\n%s", out)
	}
	if errOut != "" {
		t.Errorf("stderr in github format: %q", errOut)
	}
	if code, _, _ := run(t, "check", "--repo", dir, "--format", "github", "--strict"); code != ExitError {
		t.Errorf("--strict with a warning: exit %d", code)
	}

	write("content/privacy.md", "---\ntitle: [broken\n---\nText\n")
	code, out, _ = run(t, "check", "--repo", dir, "--format", "github")
	if code != ExitError || !strings.HasPrefix(out, "::error file=content/privacy.md,line=2,title=clause check::invalid YAML front matter") {
		t.Errorf("broken front matter: exit %d\n%s", code, out)
	}
	code, out, _ = run(t, "check", "--repo", dir, "--format", "json")
	var j checkJSON
	if err := json.Unmarshal([]byte(out), &j); err != nil || code != ExitError {
		t.Fatalf("json on broken front matter: exit %d, %v\n%s", code, err, out)
	}
	if len(j.Problems) != 1 || j.Problems[0].Path != "content/privacy.md" || j.Problems[0].Line != 2 || j.Problems[0].Severity != "error" || j.Summary.Errors != 1 {
		t.Errorf("json on broken front matter: %+v", j)
	}

	if code, _, errOut := run(t, "check", "--repo", dir, "--format", "xml"); code != ExitUsage || !strings.Contains(errOut, "text, github or json") {
		t.Errorf("--format xml: exit %d %q", code, errOut)
	}
}

// TestCheckFormatJSON: --format json prints one object with every problem
// (path, line, severity, message), the summary and the notes.
func TestCheckFormatJSON(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "content"), 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "content/subprocessors.md"), []byte("---\ntitle: Sub-processors\n---\n| Name | Purpose | Location |\n|---|---|---|\n| Cumulus | | Germany |\n| Faraway Pty | Analytics | Australia |\n"), 0o644)
	code, out, _ := run(t, "check", "--repo", dir, "--format", "json")
	if code != ExitError {
		t.Errorf("exit %d, want %d", code, ExitError)
	}
	var j struct {
		Problems []map[string]any `json:"problems"`
		Summary  map[string]int   `json:"summary"`
		Notes    []string         `json:"notes"`
	}
	if err := json.Unmarshal([]byte(out), &j); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(j.Problems) != 2 || j.Problems[0]["path"] != "content/subprocessors.md" || j.Problems[0]["line"] != float64(6) ||
		j.Problems[0]["severity"] != "error" || !strings.Contains(j.Problems[0]["message"].(string), "no purpose") ||
		j.Problems[1]["severity"] != "warning" || j.Problems[1]["line"] != float64(7) {
		t.Errorf("problems: %v", j.Problems)
	}
	if j.Summary["documents"] != 1 || j.Summary["errors"] != 1 || j.Summary["warnings"] != 1 {
		t.Errorf("summary: %v", j.Summary)
	}
	if len(j.Notes) != 1 || !strings.HasPrefix(j.Notes[0], "no base URL") {
		t.Errorf("notes: %q", j.Notes)
	}
}

// TestGitHubCommandEscaping: a message or path from content cannot end a
// workflow command early or start another: %, CR and LF are escaped in
// the message, and also ":" and "," in properties, as the runner
// unescapes them.
func TestGitHubCommandEscaping(t *testing.T) {
	p := subprocessors.Problem{Path: "content/a,b:c%.md", Line: 3, Severity: subprocessors.Error,
		Msg: "100% wrong: x,y\r\n::error file=evil.md::forged"}
	got := githubCommand(p)
	want := "::error file=content/a%2Cb%3Ac%25.md,line=3,title=clause check::100%25 wrong: x,y%0D%0A::error file=evil.md::forged"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if strings.ContainsAny(got, "\r\n") {
		t.Errorf("a line break survives: %q", got)
	}
	w := subprocessors.Problem{Path: "content/x.md", Severity: subprocessors.Warning, Msg: "whole file"}
	if got := githubCommand(w); got != "::warning file=content/x.md,title=clause check::whole file" {
		t.Errorf("line 0: %s", got)
	}
}
