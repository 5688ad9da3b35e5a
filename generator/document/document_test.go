package document

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/clause-portal/clause/generator/markdown"
)

func TestParseYAMLFrontMatter(t *testing.T) {
	src := "---\ntitle: Data Processing Agreement\nkind: dpa\nsummary: How we process data.\neffective: 2026-03-01\nnotice_days: 45\nlanguage: de-at\naliases: [/legal/dpa/]\n---\n# Data Processing Agreement\n\nText.\n"
	d, err := Parse("content/dpa.md", "content", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if d.Title != "Data Processing Agreement" || d.TitleFromBody {
		t.Errorf("title = %q (from body %v)", d.Title, d.TitleFromBody)
	}
	if d.Kind != KindDPA || d.Summary != "How we process data." || d.NoticeDays != 45 {
		t.Errorf("kind %q summary %q notice %d", d.Kind, d.Summary, d.NoticeDays)
	}
	if got := d.Effective.String(); got != "2026-03-01" {
		t.Errorf("effective = %q", got)
	}
	if d.Language != "de-AT" {
		t.Errorf("language = %q, want canonical de-AT", d.Language)
	}
	if len(d.Aliases) != 1 || d.Aliases[0] != "/legal/dpa/" {
		t.Errorf("aliases = %v", d.Aliases)
	}
	if d.BodyLine != 10 || !strings.HasPrefix(string(d.Body), "# Data Processing Agreement") {
		t.Errorf("body line %d, body %q", d.BodyLine, d.Body)
	}
	if d.ID != "dpa" {
		t.Errorf("id = %q", d.ID)
	}
}

func TestParseTOMLFrontMatter(t *testing.T) {
	src := "+++\ntitle = \"Cookie Policy\"\neffective = 2026-05-01\nnotice_days = 14\n+++\nBody.\n"
	d, err := Parse("content/legal/cookies.md", "content", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if d.Title != "Cookie Policy" || d.Kind != KindCookies || d.Effective.String() != "2026-05-01" || d.NoticeDays != 14 {
		t.Errorf("got %+v", d)
	}
	if d.ID != "legal/cookies" {
		t.Errorf("id = %q", d.ID)
	}
}

func TestDefaultsInferredFromNameAndBody(t *testing.T) {
	tests := []struct {
		path, src, title string
		kind             Kind
		fromBody         bool
	}{
		{"content/privacy-policy.md", "# Privacy Notice\n\nWe...", "Privacy Notice", KindPrivacy, true},
		{"content/sub-processors.md", "Intro without heading.", "Sub Processors", KindSubprocessors, false},
		{"content/data-processing-addendum.md", "## Not a title\n", "Data Processing Addendum", KindDPA, false},
		{"content/legal/DPA.md", "", "DPA", KindDPA, false},
		{"content/terms-of-service.md", "Setext Title\n============\n\nx", "Setext Title", KindTerms, true},
		{"content/security/index.md", "", "Security", KindSecurity, false},
		{"content/imprint.md", "---\ntitle: Imprint\n---\n", "Imprint", KindOther, false},
		{"content/master-subscription-agreement.md", "---\ntitle: MSA\n---\n", "MSA", KindTerms, false},
		{"content/expert-services-addendum.md", "---\ntitle: ESA\n---\n", "ESA", KindTerms, false},
		{"content/data-processing-agreement.md", "---\ntitle: DPA\n---\n", "DPA", KindDPA, false},
	}
	for _, tt := range tests {
		d, err := Parse(tt.path, "content", []byte(tt.src))
		if err != nil {
			t.Fatalf("%s: %v", tt.path, err)
		}
		if d.Title != tt.title || d.Kind != tt.kind || d.TitleFromBody != tt.fromBody {
			t.Errorf("%s: title %q kind %q fromBody %v; want %q %q %v", tt.path, d.Title, d.Kind, d.TitleFromBody, tt.title, tt.kind, tt.fromBody)
		}
		if d.NoticeDays != DefaultNoticeDays {
			t.Errorf("%s: notice days %d", tt.path, d.NoticeDays)
		}
	}
}

// TestErrorsNameFileAndLine checks that each kind of bad input is reported
// at the line of the file where it is.
func TestErrorsNameFileAndLine(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"yaml syntax", "---\ntitle: ok\nkind: : dpa\n---\nbody", "content/x.md:3: invalid YAML front matter: mapping values are not allowed"},
		{"yaml unclosed list", "---\ntitle: ok\nkind: [dpa\n---\nbody", "invalid YAML front matter: did not find expected ',' or ']'"},
		{"bad date", "---\ntitle: ok\n\neffective: 2026-13-45\n---\n", "content/x.md:4: effective: invalid date \"2026-13-45\""},
		{"unknown kind", "\n---\nkind: contract\n---\n", "content/x.md:3: unknown kind \"contract\""},
		{"notice days", "---\nnotice_days: thirty\n---\n", "content/x.md:2: notice_days must be a whole number"},
		{"negative notice", "---\nnotice_days: -1\n---\n", "content/x.md:2: notice_days -1 is out of range"},
		{"title type", "---\ntitle:\n  - a\n---\n", "content/x.md:2: title must be a string, not a list"},
		{"unclosed", "---\ntitle: x\n\n# Heading\n", "content/x.md:1: front matter opened here is never closed"},
		{"toml syntax", "+++\ntitle = \"x\"\nkind = \n+++\n", "content/x.md:3: invalid TOML front matter"},
		{"duplicate key", "---\ntitle: a\ntitle: b\n---\n", "content/x.md:3: invalid YAML front matter: mapping key \"title\" already defined at line 2"},
		{"alias escapes", "---\naliases: [\"../../etc\"]\n---\n", "content/x.md:2: alias \"../../etc\""},
		{"alias url", "---\naliases: https://evil.example/\n---\n", "must be a path on this site"},
		{"language", "---\nlanguage: not a language\n---\n", "content/x.md:2: language \"not a language\" is not a valid BCP 47 tag"},
		{"not utf8", "---\ntitle: ok\n---\nline 4\ncaf\xe9\n", "content/x.md:5: file is not valid UTF-8"},
		{"nul", "a\nb\x00", "content/x.md:2: file contains NUL bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("content/x.md", "content", []byte(tt.src))
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q\nwant it to contain %q", err, tt.want)
			}
			if !errors.Is(err, ErrContent) {
				t.Errorf("error does not wrap ErrContent")
			}
		})
	}
}

func TestSeveralErrorsReportedTogether(t *testing.T) {
	_, err := Parse("content/x.md", "content", []byte("---\nkind: nope\neffective: soon\n---\n"))
	var list Errors
	if !errors.As(err, &list) || len(list) != 2 {
		t.Fatalf("want 2 errors, got %v", err)
	}
	if list[0].Line != 2 || list[1].Line != 3 {
		t.Errorf("lines %d, %d; want 2, 3", list[0].Line, list[1].Line)
	}
}

func TestRefusesHugeFilesAndAliasBombs(t *testing.T) {
	huge := make([]byte, MaxSize+1)
	for i := range huge {
		huge[i] = 'a'
	}
	if _, err := Parse("content/x.md", "content", huge); err == nil || !strings.Contains(err.Error(), "limited to 4 MiB") {
		t.Errorf("huge file: %v", err)
	}
	bomb := "---\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n" +
		"b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n" +
		"e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n" +
		"h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\ni: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n---\n"
	_, err := Parse("content/x.md", "content", []byte(bomb))
	if err == nil || !strings.Contains(err.Error(), "content/x.md") {
		t.Errorf("alias bomb: %v", err)
	}
}

func TestCRLFAndBOM(t *testing.T) {
	d, err := Parse("content/x.md", "content", []byte("\xef\xbb\xbf---\r\ntitle: Terms\r\n---\r\n# Heading\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	if d.Title != "Terms" || string(d.Body) != "# Heading\n" || d.BodyLine != 4 {
		t.Errorf("title %q body %q line %d", d.Title, d.Body, d.BodyLine)
	}
}

func TestEmptyFrontMatterAndBody(t *testing.T) {
	d, err := Parse("content/cookie-notice.md", "content", []byte("---\n---\n"))
	if err != nil {
		t.Fatal(err)
	}
	if d.Title != "Cookie Notice" || d.Kind != KindCookies {
		t.Errorf("got %q %q", d.Title, d.Kind)
	}
}

// TestSlugGivesTheURL: the URL path front matter gives (Docusaurus slug,
// Jekyll permalink, Hugo url) is the document's ID; a path that climbs out
// is an error at its line.
func TestSlugGivesTheURL(t *testing.T) {
	for _, tt := range []struct{ path, fm, id string }{
		{"content/pages/privacy/dpa.md", "slug: /dpa", "dpa"},
		{"content/pages/privacy/dpa.md", "slug: data-processing", "pages/privacy/data-processing"},
		{"content/legal/terms.md", "permalink: /terms-of-service/", "terms-of-service"},
		{"content/legal/terms.md", "url: /Legal/Terms.html", "legal/terms"},
		{"content/legal/terms.md", "slug: /", "legal/terms"},
	} {
		d, err := Parse(tt.path, "content", []byte("---\n"+tt.fm+"\n---\n# T\n"))
		if err != nil {
			t.Fatalf("%s: %v", tt.fm, err)
		}
		if d.ID != tt.id {
			t.Errorf("%s in %s: ID %q, want %q", tt.fm, tt.path, d.ID, tt.id)
		}
	}
	_, err := Parse("content/x.md", "content", []byte("---\ntitle: X\nslug: ../../etc\n---\n"))
	if err == nil || !strings.Contains(err.Error(), "content/x.md:3: slug \"../../etc\" is not a usable URL path") {
		t.Errorf("climbing slug: %v", err)
	}
}

// TestRefusesDeepNesting checks that a body markdown would take minutes
// over is a content error at its file line, after the front matter.
func TestRefusesDeepNesting(t *testing.T) {
	src := "---\ntitle: DPA\n---\n\n# DPA\n\n" + strings.Repeat(">", 5000) + " quoted\n"
	_, err := Parse("content/dpa.md", "content", []byte(src))
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrContent) || !errors.Is(err, markdown.ErrLimit) {
		t.Fatalf("got %v, want a content error wrapping markdown.ErrLimit", err)
	}
	if e.Line != 7 || !strings.HasPrefix(err.Error(), "content/dpa.md:7: ") || !strings.Contains(err.Error(), "nested 5000 levels") {
		t.Errorf("got %q, want it at content/dpa.md:7", err)
	}
	// ParseMeta does not read the body.
	if _, err := ParseMeta("content/dpa.md", "content", []byte(src)); err != nil {
		t.Errorf("ParseMeta: %v", err)
	}
}

// TestDateStringAsSprintf checks Date.String, which formats the usual
// dates itself, against the Sprintf it stands for, on every day of years
// at the edges and on dates outside the usual ranges.
func TestDateStringAsSprintf(t *testing.T) {
	var dates []Date
	for _, y := range []int{-1, 0, 1, 9, 10, 99, 100, 999, 1000, 1999, 2026, 9999, 10000, 123456} {
		for m := time.Month(-1); m <= 13; m++ {
			for _, d := range []int{-5, 0, 1, 9, 10, 28, 31, 99, 100} {
				dates = append(dates, Date{Year: y, Month: m, Day: d})
			}
		}
	}
	for _, d := range dates {
		want := fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
		if d.IsZero() {
			want = ""
		}
		if got := d.String(); got != want {
			t.Errorf("%#v.String() = %q, want %q", d, got, want)
		}
	}
}
