package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clause-portal/clause/generator/config"
	"github.com/clause-portal/clause/generator/portal"
	"github.com/clause-portal/clause/internal/gittest"
)

// TestInitWritesWhatItDetected: on a repository with no configuration
// (policies at the root, a README, a LICENSE, an unreadable sub-processor
// table), clause init prints what the portal would publish and writes a
// clause.toml that parses, names the content folder, the origin's web
// address and the table's mapping; it keeps an existing one.
func TestInitWritesWhatItDetected(t *testing.T) {
	r := gittest.New(t)
	r.Write("README.md", "---\ntitle: Acme Legal\n---\n# Acme Legal\n\nOur policies.\n")
	r.Write("LICENSE.md", "CC-BY\n")
	r.Write("privacy.md", "# Privacy Policy\n\nText.\n")
	r.Write("subprocessors.md", "# Sub-processors\n\n| Entity Name | Relevant Services | Hosting Zone |\n| --- | --- | --- |\n| AWS | Hosting | Ireland |\n")
	r.Commit("2026-01-01T10:00:00Z", "Policies")
	r.Git("remote", "add", "origin", "git@github.com:acme/legal.git")

	code, out, errOut := run(t, "init", "--repo", r.Dir)
	if code != ExitOK {
		t.Fatalf("init: %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{
		"Content folder: . (detected)",
		"Home page: README.md",
		"Portal title: Acme Legal",
		"The portal would publish 2 documents:",
		"/privacy/  Privacy Policy (privacy, en, 1 version) from privacy.md",
		"Left out (not legal documents): LICENSE.md",
		"clause check finds 1 error",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("init output lacks %q:\n%s", want, out)
		}
	}
	cfg, err := config.Load(r.Dir)
	if err != nil {
		t.Fatalf("the written clause.toml does not load: %v", err)
	}
	if cfg.Title != "Acme Legal" || cfg.Content != "." || cfg.RepoURL != "https://github.com/acme/legal" || cfg.Language != "en" {
		t.Errorf("clause.toml: title %q content %q repo_url %q language %q", cfg.Title, cfg.Content, cfg.RepoURL, cfg.Language)
	}
	text, _ := os.ReadFile(filepath.Join(r.Dir, "clause.toml"))
	if !strings.Contains(string(text), `# "Hosting Zone" = "location"`) {
		t.Errorf("clause.toml does not suggest the column mapping:\n%s", text)
	}
	if code, _, errOut := run(t, "init", "--repo", r.Dir); code != ExitUsage || !strings.Contains(errOut, "--force") {
		t.Errorf("second init: %d %s", code, errOut)
	}
	if code, out, _ := run(t, "init", "--repo", r.Dir, "--print"); code != ExitOK || !strings.HasPrefix(out, "# clause.toml") {
		t.Errorf("init --print: %d %s", code, out)
	}
}

func TestWebURLOfRemotes(t *testing.T) {
	for in, want := range map[string]string{
		"git@github.com:acme/legal.git":             "https://github.com/acme/legal",
		"https://github.com/acme/legal.git":         "https://github.com/acme/legal",
		"https://user:t0ken@gitlab.com/acme/legal":  "https://gitlab.com/acme/legal",
		"ssh://git@bitbucket.org:22/acme/legal.git": "https://bitbucket.org/acme/legal",
		"/srv/git/legal.git":                        "",
		"file:///srv/git/legal.git":                 "",
	} {
		if got := portal.WebURL(in); got != want {
			t.Errorf("webURL(%q) = %q, want %q", in, got, want)
		}
	}
}
