package document

import (
	"bytes"
	"reflect"
	"testing"
)

// FuzzParseMeta checks, for any input, that Parse and ParseMeta do not
// panic, that a parsed body is the end of the normalised text, and that a
// MetaCache gives what ParseMeta gives: for the input (a miss) and for the
// same front matter with another body (a hit).
func FuzzParseMeta(f *testing.F) {
	for _, s := range []string{
		"---\ntitle: A\neffective: 2026-01-01\n---\nBody\n",
		"\xef\xbb\xbf---\r\ntitle: A\r\n---\r\n# H\r\n",
		"+++\ntitle = 'A'\n+++\nBody",
		"---yaml\nnotice_days: 30\n---  \n",
		"---\ntitle: [unclosed\n---\n",
		"# No front matter\n",
		"---\na: &a [*a]\n---\n",
	} {
		f.Add([]byte(s), []byte("Other body.\n"))
	}
	f.Fuzz(func(t *testing.T, src, body []byte) {
		if len(src) > 1<<16 {
			return
		}
		if d, err := Parse("content/x.md", "content", src); err == nil {
			text := bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
			text = bytes.ReplaceAll(text, []byte("\r\n"), []byte("\n"))
			if !bytes.HasSuffix(text, d.Body) {
				t.Fatalf("body %q is not the end of the text %q", d.Body, text)
			}
		}
		var cache MetaCache
		same := func(what string, src []byte) {
			want, werr := ParseMeta("content/x.md", "content", src)
			got, gerr := cache.ParseMeta("content/x.md", "content", src)
			if (werr == nil) != (gerr == nil) || werr != nil && werr.Error() != gerr.Error() {
				t.Fatalf("%s: MetaCache error %v, ParseMeta %v", what, gerr, werr)
			}
			if werr == nil && !reflect.DeepEqual(got, want) {
				t.Fatalf("%s: MetaCache gives\n%+v\nParseMeta\n%+v", what, got, want)
			}
		}
		same("first parse", src)
		text := bytes.ReplaceAll(bytes.TrimPrefix(src, []byte("\xef\xbb\xbf")), []byte("\r\n"), []byte("\n"))
		if n := frontMatterEnd(text); n > 0 {
			same("same front matter, other body", append(bytes.Clone(text[:n]), body...))
		}
	})
}
