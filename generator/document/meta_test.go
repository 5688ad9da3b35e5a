package document

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// TestBodyAfterFrontMatterIsWhole checks bodies longer than the buffers
// the front matter parser reads with, with and without front matter, and
// with leading blank lines.
func TestBodyAfterFrontMatterIsWhole(t *testing.T) {
	var b strings.Builder
	for i := range 2000 {
		fmt.Fprintf(&b, "%d. Clause %d of a long agreement.\n\n", i, i)
	}
	body := "# Long\n\n" + b.String()
	for name, tc := range map[string]struct {
		src      string
		bodyLine int
	}{
		"yaml":              {"---\ntitle: Long\n---\n" + body, 4},
		"toml":              {"+++\ntitle = \"Long\"\n+++\n" + body, 4},
		"blank lines first": {"\n\n---\ntitle: Long\n---\n" + body, 6},
		"no front matter":   {body, 1},
		"crlf":              {strings.ReplaceAll("---\ntitle: Long\n---\n"+body, "\n", "\r\n"), 4},
	} {
		for _, parse := range []func(string, string, []byte) (*Document, error){Parse, ParseMeta} {
			d, err := parse("content/long.md", "content", []byte(tc.src))
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if string(d.Body) != body || d.BodyLine != tc.bodyLine {
				t.Errorf("%s: body of %d bytes from line %d, want %d bytes from line %d", name, len(d.Body), d.BodyLine, len(body), tc.bodyLine)
			}
		}
	}
}

// TestMetaCacheMatchesParseMeta parses versions that share their front
// matter or not, valid or not, through one MetaCache and checks each
// result against ParseMeta's.
func TestMetaCacheMatchesParseMeta(t *testing.T) {
	fm := func(eff string) string { return "---\ntitle: DPA\neffective: " + eff + "\nnotice_days: 30\n---\n" }
	srcs := []string{
		fm("2026-01-01") + "# DPA\n\nFirst text.\n",
		fm("2026-01-01") + "# DPA\n\nSecond text, same front matter.\n",
		fm("2026-06-01") + "# DPA\n\nThird text, new date.\n",
		fm("2026-13-01") + "# DPA\n\nAn invalid date.\n",
		fm("2026-13-01") + "# DPA\n\nThe same invalid date again.\n",
		"\n" + fm("2026-01-01") + "# DPA\n\nFront matter one line lower.\n",
		"# DPA\n\nNo front matter.\n",
		"---yaml\ntitle: DPA\neffective: 2026-02-01\n---  \n# DPA\n",
		"---yaml\ntitle: DPA\neffective: 2026-02-01\n---  \n# DPA\n\nSame, longer.\n",
		"+++\ntitle = \"DPA\"\neffective = 2026-03-01\n+++\nBody.\n",
		"+++\ntitle = \"DPA\"\neffective = 2026-03-01\n+++\nOther body.\n",
		"\xef\xbb\xbf---\r\ntitle: DPA\r\neffective: 2026-04-01\r\n---\r\n# DPA\r\n",
		"---\ntitle: DPA\neffective: 2026-04-01\n---",
		"---\ntitle: DPA\neffective: 2026-04-01\n",
	}
	var cache MetaCache
	for _, path := range []string{"content/dpa.md", "content/other.md"} {
		for i, src := range srcs {
			want, werr := ParseMeta(path, "content", []byte(src))
			got, gerr := cache.ParseMeta(path, "content", []byte(src))
			if (werr == nil) != (gerr == nil) || werr != nil && werr.Error() != gerr.Error() {
				t.Errorf("%s version %d: error %v, ParseMeta gives %v", path, i, gerr, werr)
				continue
			}
			if werr != nil {
				if reflect.TypeOf(werr) != reflect.TypeOf(gerr) {
					t.Errorf("%s version %d: error %T, ParseMeta gives %T", path, i, gerr, werr)
				}
				continue
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s version %d:\n got %+v\nwant %+v", path, i, got, want)
			}
		}
	}
	// Per path: 2026-01-01 on line 2 and on line 3, 2026-06-01, 2026-13-01,
	// ---yaml, TOML, CRLF (normalised to the same head as ...) and at the
	// end of the file; the unclosed one is not remembered.
	if n := len(cache.decoded); n != 2*8 {
		t.Errorf("%d front matters remembered, want 16 (8 distinct per path)", n)
	}
}

// TestFrontMatterEnd checks the quick scan MetaCache looks up with against
// where splitFrontMatter (adrg/frontmatter) ends the front matter.
func TestFrontMatterEnd(t *testing.T) {
	for _, text := range []string{
		"---\ntitle: A\n---\nBody\n",
		"\n \n---\ntitle: A\n---\nBody\n",
		"---yaml\ntitle: A\n---\n",
		"---toml\ntitle = 'A'\n---\nBody",
		"+++\ntitle = 'A'\n+++\n",
		"+++\ntitle = 'A'\n---\n+++\nBody\n",
		"---\ntitle: A\n  ---  \nBody\n",
		"---\ntitle: A\n---",
		"---\n---\n",
		"---\ntitle: A\n",
		"# No front matter\n---\n",
		"text\n",
		"",
		"  ---  \ntitle: A\n---\nBody\n",
	} {
		fm, err := splitFrontMatter("x.md", []byte(text))
		want := 0
		if err == nil && fm.raw != nil {
			want = len(text) - len(fm.body)
		}
		if got := frontMatterEnd([]byte(text)); got != want {
			t.Errorf("frontMatterEnd(%q) = %d, splitFrontMatter ends it at %d (err %v)", text, got, want, err)
		}
	}
}

// TestMetaCacheKeepsNoText: what MetaCache remembers of a version holds
// neither its text nor a slice of the buffer it was read from (a git
// object, which would stay in memory): changing that buffer afterwards
// changes nothing the cache gives for the next version.
func TestMetaCacheKeepsNoText(t *testing.T) {
	var c MetaCache
	first := []byte("---\ntitle: Data Processing Agreement\neffective: 2026-01-01\n---\n# DPA\n\nThe processor acts on instructions.\n")
	if _, err := c.ParseMeta("content/dpa.md", "content", first); err != nil {
		t.Fatal(err)
	}
	for k, e := range c.decoded {
		if e.doc.Source != nil || e.doc.Body != nil {
			t.Errorf("%q: the remembered document keeps its text", k.path)
		}
	}
	const want = "title: Data Processing Agreement\neffective: 2026-01-01\n"
	for i := range first {
		first[i] = 'x' // the buffer is reused for another object
	}
	second := []byte("---\ntitle: Data Processing Agreement\neffective: 2026-01-01\n---\n# DPA\n\nThe processor acts on documented instructions.\n")
	d, err := c.ParseMeta("content/dpa.md", "content", second)
	if err != nil {
		t.Fatal(err)
	}
	if string(d.FrontMatter) != want || d.Title != "Data Processing Agreement" || !strings.Contains(string(d.Body), "documented") {
		t.Errorf("after the first text's buffer changed: front matter %q (want %q), title %q, body %q", d.FrontMatter, want, d.Title, d.Body)
	}
}
