package clause_test

import (
	"io/fs"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/clause-portal/clause"
	"github.com/clause-portal/clause/generator/site"
	"github.com/clause-portal/clause/internal/browsertest"
)

func TestThemeIsEmbedded(t *testing.T) {
	for _, name := range []string{"layouts/baseof.html", "layouts/page.html", "layouts/home.html", "assets/css/clause.css", "layouts/_partials/hooks/footer.html"} {
		if _, err := fs.Stat(clause.Theme(), name); err != nil {
			t.Errorf("theme lacks %s: %v", name, err)
		}
	}
}

// TestNetlifyGoVersionMatchesGoMod keeps the Go version Netlify installs in
// step with go.mod.
func TestNetlifyGoVersionMatchesGoMod(t *testing.T) {
	gomod, err := os.ReadFile("go.mod")
	if err != nil {
		t.Fatal(err)
	}
	netlify, err := os.ReadFile("netlify.toml")
	if err != nil {
		t.Fatal(err)
	}
	goDirective := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindSubmatch(gomod)
	netlifyGo := regexp.MustCompile(`(?m)^\s*GO_VERSION = "(\d+\.\d+)(\.\d+)?"`).FindSubmatch(netlify)
	if goDirective == nil || netlifyGo == nil {
		t.Fatalf("go directive %q or GO_VERSION %q not found", goDirective, netlifyGo)
	}
	if string(goDirective[1]) != string(netlifyGo[1]) {
		t.Errorf("netlify.toml GO_VERSION %s, go.mod go %s", netlifyGo[1], goDirective[1])
	}
	if !strings.Contains(string(netlify), `Content-Security-Policy = "`+site.ContentSecurityPolicy+`"`) {
		t.Error("netlify.toml's Content-Security-Policy differs from site.ContentSecurityPolicy")
	}
	rules := browsertest.NetlifyRules(t, "netlify.toml")
	for path, want := range map[string]string{
		"/dpa/":                   site.ContentSecurityPolicy,
		"/dpa/versions/a1b2c3/":   site.ContentSecurityPolicy,
		"/dpa/compare/":           site.CompareContentSecurityPolicy,
		"/dpa/compare/a1b2/c3d4/": site.CompareContentSecurityPolicy,
	} {
		if got := rules(path)["Content-Security-Policy"]; got != want || want != site.ContentSecurityPolicyFor(path) {
			t.Errorf("netlify.toml sends %s the policy %q; site.ContentSecurityPolicyFor gives %q", path, got, site.ContentSecurityPolicyFor(path))
		}
	}
	if !strings.Contains(string(netlify), `for = "`+site.ComparePaths+`"`) {
		t.Errorf("netlify.toml has no rule for %s", site.ComparePaths)
	}
	if !strings.Contains(string(netlify), `publish = "public"`) {
		t.Error("netlify.toml does not publish the output folder public")
	}
}
