package cli

import (
	"strings"
	"testing"

	"github.com/clause-portal/clause/internal/gittest"
)

// TestCheckNamesMissingStrings: a language the theme ships no bundle for
// shows its pages' strings in English, which clause check names (a
// warning; --strict fails on it), each string it lacks at the i18n file
// that would translate it; the repository's i18n file removes the
// warnings of the strings it gives. A shipped language has none.
func TestCheckNamesMissingStrings(t *testing.T) {
	r := gittest.New(t)
	r.Write("clause.toml", "language = \"en\"\n")
	r.Write("content/en/privacy.md", "# Privacy\n\nWe care.\n")
	r.Write("content/de/privacy.md", "# Datenschutz\n\nWir achten darauf.\n")
	r.Write("content/eo/privacy.md", "# Privateco\n\nNi zorgas.\n")
	r.Write("i18n/eo.toml", "skip_to_content = \"Al la enhavo\"\n")
	r.Commit("2026-01-05T10:00:00Z", "Publish")

	code, out, errOut := run(t, "check", "--repo", r.Dir)
	all := out + errOut
	if code != ExitOK {
		t.Errorf("check: exit %d, want 0 (warnings only)\n%s", code, all)
	}
	for _, want := range []string{`i18n/eo.toml`, `"last_updated" has no eo translation`, `"redline_unchanged" has no eo translation`} {
		if !strings.Contains(all, want) {
			t.Errorf("check does not say %s:\n%s", want, all)
		}
	}
	for _, not := range []string{`"skip_to_content" has no eo`, "i18n/de.toml", "has no de translation"} {
		if strings.Contains(all, not) {
			t.Errorf("check says %s:\n%s", not, all)
		}
	}
	if code, _, _ := run(t, "check", "--strict", "--repo", r.Dir); code != ExitError {
		t.Errorf("check --strict: exit %d, want %d", code, ExitError)
	}
}
