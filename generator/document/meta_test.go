package document

import (
	"errors"
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
				var errs Errors
				if !errors.As(gerr, &errs) {
					t.Errorf("%s version %d: error %T, want Errors", path, i, gerr)
				}
				continue
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s version %d:\n got %+v\nwant %+v", path, i, got, want)
			}
		}
	}
	// Per path: 2026-01-01 on line 2 and on line 3, 2026-06-01, 2026-13-01.
	if n := len(cache.decoded); n != 2*4 {
		t.Errorf("%d front matters decoded, want 8 (4 distinct per path)", n)
	}
}
