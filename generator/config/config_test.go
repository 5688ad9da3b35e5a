package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clause-portal/clause/generator/document"
)

func write(t *testing.T, content string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, FileName), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestDefaultsWithoutFile(t *testing.T) {
	c, err := Load(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if c.Title != "Legal" || c.Location.String() != "UTC" || c.Language != "en" || c.Path != "" {
		t.Errorf("defaults: %+v", c)
	}
}

func TestLoad(t *testing.T) {
	c, err := Load(write(t, "title = \"Acme\"\ntime_zone = \"Europe/Dublin\"\nbase_url = \"https://legal.acme.example/\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Title != "Acme" || c.Location.String() != "Europe/Dublin" || c.BaseURL != "https://legal.acme.example/" {
		t.Errorf("%+v", c)
	}
}

func TestErrorsNameTheLine(t *testing.T) {
	for src, want := range map[string]string{
		"title = \"x\"\ntimezone = \"UTC\"\n":        "clause.toml:2: unknown setting timezone",
		"title = \"x\"\n\ntime_zone = \"Mars/Base\"": "clause.toml:3: unknown time zone \"Mars/Base\"",
		"title = \n": "clause.toml:1: ",
		"title = \"x\"\nlanguage = \"../../etc\"\n": "clause.toml:2: language \"../../etc\" is not a BCP 47 language tag",
	} {
		_, err := Load(write(t, src))
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%q: error %v, want prefix %q", src, err, want)
		}
		if !errors.Is(err, document.ErrContent) {
			t.Errorf("%q: not a content error", src)
		}
	}
}

func TestCommitURL(t *testing.T) {
	h := "0123456789abcdef0123456789abcdef01234567"
	for repo, want := range map[string]string{
		"https://github.com/acme/legal":       "https://github.com/acme/legal/commit/" + h,
		"https://github.com/acme/legal.git":   "https://github.com/acme/legal/commit/" + h,
		"git@github.com:acme/legal.git":       "https://github.com/acme/legal/commit/" + h,
		"https://gitlab.com/acme/legal/":      "https://gitlab.com/acme/legal/-/commit/" + h,
		"https://bitbucket.org/acme/legal":    "https://bitbucket.org/acme/legal/commits/" + h,
		"":                                    "",
		"file:///srv/legal":                   "",
		"javascript:alert(1)//github.com/x/y": "",
	} {
		if got := CommitURL(repo, h); got != want {
			t.Errorf("CommitURL(%q) = %q, want %q", repo, got, want)
		}
	}
}

func TestSubprocessorColumns(t *testing.T) {
	c, err := Load(write(t, "title = \"x\"\n\n[subprocessors.columns]\n\"Hosting Region\" = \"location\"\n'Duty' = \"Purpose\"\nNotes = \"ignore\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"Hosting Region": "location", "Duty": "Purpose", "Notes": "ignore"}
	if len(c.Subprocessors.Columns) != len(want) {
		t.Errorf("columns = %v", c.Subprocessors.Columns)
	}
	for h, f := range want {
		if c.Subprocessors.Columns[h] != f {
			t.Errorf("columns[%q] = %q, want %q", h, c.Subprocessors.Columns[h], f)
		}
	}
	for src, want := range map[string]string{
		"[subprocessors.columns]\n\"Hosting Region\" = \"location\"\n\"Zone\" = \"place\"\n": `clause.toml:3: [subprocessors.columns] "Zone" = "place": unknown field (known: name, purpose, location,`,
		"title = \"x\"\n[subprocessors]\ncolumns = { \"Zone\" = \"where\" }\n":               `clause.toml:3: [subprocessors.columns] "Zone" = "where": unknown field`,
		"[subprocessors]\ncolumn = { \"Zone\" = \"location\" }\n":                            "clause.toml:2: unknown setting subprocessors.column, subprocessors.column.Zone (known: title, description, base_url, time_zone, language, repo_url, branch, content, include, exclude, subprocessors.columns, subscribe.email, subscribe.url, subscribe.text)",
	} {
		_, err := Load(write(t, src))
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%q: error %v, want prefix %q", src, err, want)
		}
		if !errors.Is(err, document.ErrContent) {
			t.Errorf("%q: not a content error", src)
		}
	}
}

func TestBaseURLMustBeHTTP(t *testing.T) {
	for _, bad := range []string{"javascript:alert(1)//", "JavaScript:alert(1)", "data:text/html,x", "/legal/", "legal.example.com", "ftp://legal.example.com/", "https:///path", "https://user:pw@legal.example.com/"} {
		src := "title = \"x\"\n\nbase_url = \"" + bad + "\"\n"
		_, err := Load(write(t, src))
		if err == nil || !strings.HasPrefix(err.Error(), "clause.toml:3: base_url") {
			t.Errorf("%q: error %v, want one at clause.toml:3", bad, err)
		}
		if !errors.Is(err, ErrBaseURL) || !errors.Is(err, document.ErrContent) {
			t.Errorf("%q: error %v does not wrap ErrBaseURL and ErrContent", bad, err)
		}
	}
	for _, good := range []string{"", "https://legal.example.com/", "http://localhost:1313", "HTTPS://Legal.Example.com/policies/"} {
		if err := CheckBaseURL(good); err != nil {
			t.Errorf("%q refused: %v", good, err)
		}
	}
}

func TestSubscribeSettings(t *testing.T) {
	c, err := Load(write(t, "title = \"x\"\n[subscribe]\nemail = \" dpo@acme.example \"\nurl = \"https://acme.example/updates\"\ntext = \"We email every change.\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Subscribe != (Subscribe{Email: "dpo@acme.example", URL: "https://acme.example/updates", Text: "We email every change."}) {
		t.Errorf("subscribe: %+v", c.Subscribe)
	}
	for _, tc := range []struct{ key, value string }{
		{"url", "javascript:alert(1)"},
		{"url", "/signup/"},
		{"url", "mailto:dpo@acme.example"},
		{"url", "https://user:pw@acme.example/"},
		{"email", "DPO <dpo@acme.example>"},
		{"email", "not an address"},
		{"email", "dpo@acme.example?subject=x"},
	} {
		src := "title = \"x\"\n[subscribe]\n" + tc.key + " = \"" + tc.value + "\"\n"
		_, err := Load(write(t, src))
		if err == nil || !strings.HasPrefix(err.Error(), "clause.toml:3: [subscribe] "+tc.key) {
			t.Errorf("%s = %q: error %v, want one at clause.toml:3", tc.key, tc.value, err)
		}
		if !errors.Is(err, ErrSubscribe) || !errors.Is(err, document.ErrContent) {
			t.Errorf("%s = %q: error %v does not wrap ErrSubscribe and ErrContent", tc.key, tc.value, err)
		}
	}
}

// TestLanguagesAreTags: clause.toml's languages, which become URL paths
// and attributes, are BCP 47 tags in canonical form.
func TestLanguagesAreTags(t *testing.T) {
	c, err := Load(write(t, "language = \"pt_br\"\nbinding_language = \"EN\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Language != "pt-BR" || c.BindingLanguage != "en" {
		t.Errorf("language %q, binding_language %q", c.Language, c.BindingLanguage)
	}
	if _, err := Load(write(t, "binding_language = \"x/../y\"\n")); err == nil || !strings.Contains(err.Error(), "clause.toml:1: binding_language") {
		t.Errorf("binding_language x/../y: %v", err)
	}
}
