package diff

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"
	nethtml "golang.org/x/net/html"
)

// TestMarkdownGolden runs the cases in testdata/markdown/*.txtar: old.md
// and new.md, and the redline as WriteMarkdown writes it (want.md). A line
// "context: N" in the archive's comment sets MarkdownOptions.Context. With
// -update the want files are rewritten: review every change like code.
func TestMarkdownGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/markdown/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			a, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			r := compare(t, string(section(t, a, "old.md")), string(section(t, a, "new.md")))
			opts := MarkdownOptions{}
			for _, line := range strings.Split(string(a.Comment), "\n") {
				if v, ok := strings.CutPrefix(line, "context: "); ok {
					if opts.Context, err = strconv.Atoi(strings.TrimSpace(v)); err != nil {
						t.Fatal(err)
					}
				}
			}
			var got bytes.Buffer
			if err := WriteMarkdown(&got, r, opts); err != nil {
				t.Fatal(err)
			}
			checkMarkup(t, got.String())
			if !has(a, "want.md") {
				a.Files = append(a.Files, txtar.File{Name: "want.md"})
			}
			for k := range a.Files {
				f := &a.Files[k]
				if f.Name != "want.md" || bytes.Equal(f.Data, got.Bytes()) {
					continue
				}
				if !*update {
					t.Errorf("want.md differs; got:\n%s\nwant:\n%s", got.Bytes(), f.Data)
					continue
				}
				f.Data = got.Bytes()
				if err := os.WriteFile(file, txtar.Format(a), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

// gfm renders markdown as GitHub does for comments, as far as goldmark
// goes: GFM (tables, autolinks of www. and http:// and e-mail addresses,
// strikethrough) with raw HTML passed through.
func gfm(t *testing.T, md string) string {
	t.Helper()
	var out bytes.Buffer
	m := goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(html.WithUnsafe()))
	if err := m.Convert([]byte(md), &out); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// allowedElements are the elements WriteMarkdown's output may produce:
// its own markup. Anything else came from the document's text.
var allowedElements = map[string]bool{
	"html": true, "head": true, "body": true, "p": true, "strong": true, "em": true,
	"ins": true, "del": true, "br": true, "pre": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"ul": true, "li": true, "blockquote": true, "table": true, "thead": true, "tbody": true, "tr": true, "th": true, "td": true,
}

// checkMarkup renders md as GitHub would and fails on any element outside
// allowedElements (links, scripts, images…) and on any attribute.
func checkMarkup(t *testing.T, md string) string {
	t.Helper()
	rendered := gfm(t, md)
	doc, err := nethtml.Parse(strings.NewReader(rendered))
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	var walk func(n *nethtml.Node)
	walk = func(n *nethtml.Node) {
		switch n.Type {
		case nethtml.ElementNode:
			if !allowedElements[n.Data] {
				t.Errorf("element <%s> in the rendered output:\n%s\nfrom:\n%s", n.Data, rendered, md)
			}
			for _, a := range n.Attr {
				if n.Data == "th" || n.Data == "td" {
					continue // goldmark writes alignment attributes of its own
				}
				t.Errorf("attribute %s=%q on <%s>:\n%s", a.Key, a.Val, n.Data, rendered)
			}
		case nethtml.TextNode:
			text.WriteString(n.Data)
		case nethtml.CommentNode:
			t.Errorf("comment in the rendered output: %q", n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return text.String()
}

// gitHubAutolinks are what GitHub turns into links or notifications in
// the text of a comment: mentions (@user, @org/team), issue references
// (#12, GH-12 aside), URLs and www. addresses.
var gitHubAutolinks = regexp.MustCompile(`(?i)@[a-z0-9]|#[0-9]|[a-z]://|www\.`)

// TestEscapeMarkdownHostileText: whatever a document says, the markdown
// redline shows it as text: no element, attribute, link, mention or issue
// reference comes from it, and the text a reader sees is the document's.
func TestEscapeMarkdownHostileText(t *testing.T) {
	hostile := []string{
		`<script>alert(1)</script>`,
		`<img src=x onerror=alert(1)>`,
		`[click](javascript:alert(1)) and ![x](https://evil.example/x.png)`,
		`](javascript:alert(1))`,
		`<https://evil.example> https://evil.example www.evil.example WWW.Evil.example`,
		`cc @everyone and @northwind/legal, mail dpo@example.com`,
		`fixes #12, see org/repo#3`,
		"`code` and ``` fences ``` and ~~~",
		`*em* _em_ **strong** ~~gone~~ \*escaped\* \\`,
		`&lt;script&gt; &amp; &#60;b&#62; &copy;`,
		`| a | b |`,
		`</ins><del>forged</del> </pre> <!-- comment -->`,
		"# heading\n- item\n> quote\n1. one\n---\n===",
		"line one\nline two\r\nline three\x00\x1b[31m",
		"    indented code",
		`[^1]: footnote [ref]: https://evil.example "title"`,
		`{{ template }} {% raw %} $x$`,
		"bad utf-8: \xff\xfe",
	}
	for _, s := range hostile {
		md := "para " + EscapeMarkdown(s) + " end\n\n| " + EscapeMarkdown(s) + " | x |\n| --- | --- |\n| " + EscapeMarkdown(s) + " | y |\n"
		got := checkMarkup(t, md)
		if m := gitHubAutolinks.FindString(strings.ReplaceAll(got, wordJoiner, "")); m != "" && gitHubAutolinks.MatchString(got) {
			t.Errorf("%q: rendered text has %q, which GitHub links:\n%s", s, m, got)
		}
		// The reader sees the text itself (line breaks and control
		// characters aside), in the paragraph and in both cells.
		want := strings.Map(func(r rune) rune {
			switch {
			case r == '\n' || r == '\r':
				return ' '
			case r == 0xfffd || r < 0x20:
				return -1
			}
			return r
		}, strings.ToValidUTF8(s, ""))
		seen := strings.Map(func(r rune) rune {
			if r == 0xfffd || r == []rune(wordJoiner)[0] {
				return -1
			}
			return r
		}, got)
		fold := func(s string) string { return strings.Join(strings.Fields(s), " ") }
		if n := strings.Count(fold(seen), fold(want)); n != 3 {
			t.Errorf("%q: shown %d times, want 3; rendered text:\n%s", s, n, seen)
		}
	}
}

// TestEscapeMarkdownLineStart: escaped text that starts a line stays a
// paragraph, a heading's text or a list item's text: it opens no block of
// its own.
func TestEscapeMarkdownLineStart(t *testing.T) {
	for _, s := range []string{"- item", "+ item", "* item", "1. one", "2) two", "123456789. nine", "---", "***", "___", "===",
		"> quote", "# title", "###### six", "```go", "~~~", "<div>x", "<pre>", "<!-- x -->", "| a | b |", "[x]: https://e.example",
		"[^1]: note", "$$", "\\", "- [ ] task"} {
		for _, tc := range []struct{ prefix, open string }{{"", "<p>"}, {"- ", "<ul>\n<li>"}, {"#### ", "<h4>"}, {"> ", "<blockquote>\n<p>"}} {
			md := tc.prefix + EscapeMarkdown(s) + "\n"
			got := gfm(t, md)
			if !strings.HasPrefix(got, tc.open) || strings.Count(got, "\n") > strings.Count(tc.open, "\n")*2+1 {
				t.Errorf("%q → %q renders as\n%s", s, md, got)
			}
			checkMarkup(t, md)
		}
	}
}

// TestWriteMarkdownHostileDocument: a redline of hostile documents, with a
// changed table row whose cells hold pipes, stays within its own markup.
func TestWriteMarkdownHostileDocument(t *testing.T) {
	old := "# DPA <script>alert(1)</script>\n\n## 1. Notice @everyone\n\nSee [here](https://example.com) and `code`.\n\n" +
		"| Name | Location |\n|---|---|\n| Acme \\| Co | Ireland |\n\n```\n</pre><script>x</script>\n```\n"
	new := "# DPA <script>alert(1)</script>\n\n## 1. Notice @everyone\n\nSee [there](javascript:alert(1)) and `code` &lt;b&gt;now&lt;/b&gt;.\n\n" +
		"| Name | Location |\n|---|---|\n| Acme \\| Co | Ireland \\| &lt;img src=x&gt; |\n\n```\n</pre><script>y</script>\n```\n"
	r := compare(t, old, new)
	var b bytes.Buffer
	if err := WriteMarkdown(&b, r, MarkdownOptions{}); err != nil {
		t.Fatal(err)
	}
	text := checkMarkup(t, b.String())
	for _, want := range []string{"<script>y</script>", "Ireland | <img src=x>", "javascript:alert(1)", "<b>now</b>"} {
		if !strings.Contains(text, want) {
			t.Errorf("rendered text lacks %q:\n%s\n%s", want, text, b.String())
		}
	}
	if strings.Contains(strings.ReplaceAll(text, wordJoiner, ""), "@everyone") && strings.Contains(text, "@everyone") {
		t.Errorf("a mention GitHub would notify:\n%s", b.String())
	}
	// The table is a table of two columns: the escaped pipes are cell text.
	rendered := gfm(t, b.String())
	if !strings.Contains(rendered, "<table>") || strings.Count(rendered, "<th>") != 2 {
		t.Errorf("table not rendered with its two columns:\n%s\n%s", b.String(), rendered)
	}
}

// TestWriteMarkdownMaxBytes: a redline longer than MaxBytes is cut between
// passages, and says how many changed blocks it left out.
func TestWriteMarkdownMaxBytes(t *testing.T) {
	var old, new strings.Builder
	for i := range 50 {
		old.WriteString("## Clause " + strings.Repeat("x", i%7+1) + "\n\nThe processor shall keep record number one.\n\n")
		new.WriteString("## Clause " + strings.Repeat("x", i%7+1) + "\n\nThe processor shall keep record number two.\n\n")
	}
	r := compare(t, old.String(), new.String())
	var full, cut bytes.Buffer
	if err := WriteMarkdown(&full, r, MarkdownOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := WriteMarkdown(&cut, r, MarkdownOptions{MaxBytes: 2000}); err != nil {
		t.Fatal(err)
	}
	if cut.Len() > 2000 || full.Len() <= 2000 {
		t.Fatalf("sizes: full %d, cut %d", full.Len(), cut.Len())
	}
	shown := strings.Count(cut.String(), "<del>one</del><ins>two</ins>")
	if want := "*… " + strconv.Itoa(50-shown) + " more changed blocks left out"; shown == 0 || !strings.Contains(cut.String(), want) {
		t.Errorf("cut output shows %d changes and lacks %q:\n%s", shown, want, cut.String())
	}
	if !strings.HasPrefix(full.String(), cut.String()[:strings.LastIndex(cut.String(), "\n*…")]) {
		t.Error("the cut output is not a prefix of the full output")
	}
}
