package hugorender

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gohugoio/hugo/common/hugo"

	"github.com/clause-portal/clause/generator/site"
)

// TestHugoVersion keeps site.HugoVersion, which clause version prints
// without linking Hugo, equal to the version linked here.
func TestHugoVersion(t *testing.T) {
	if got := hugo.CurrentVersion.String(); got != site.HugoVersion {
		t.Fatalf("site.HugoVersion is %q, the linked Hugo is %q", site.HugoVersion, got)
	}
}

// TestServe renders through the helper's protocol: a hello line, then one
// reply a request, a Hugo error as the reply's error.
func TestServe(t *testing.T) {
	// A project as site.Build writes it, made by a build whose renderer
	// keeps the folder.
	var work, cfg string
	var content []site.ContentFile
	site.SetRenderer(func(w, c string, files []site.ContentFile, _ io.Writer) error {
		work = t.TempDir()
		if err := os.CopyFS(work, os.DirFS(w)); err != nil {
			return err
		}
		cfg, content = filepath.Join(work, filepath.Base(c)), files
		return nil
	})
	defer site.SetRenderer(nil)
	out := filepath.Join(t.TempDir(), "public")
	s := &site.Site{Title: "Legal", BaseURL: "/", LanguageCode: "en", Location: time.UTC, Params: map[string]any{},
		Pages: []*site.Page{{URL: "/dpa/", Title: "DPA", Date: time.Date(2026, 1, 2, 10, 0, 0, 0, time.UTC),
			Params: map[string]any{"title": "DPA", "kind": "dpa"}, HTML: []byte("<p>The processor shall act on instructions.</p>")}}}
	if err := site.Build(s, site.Options{PublishDir: out, WorkDir: t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	broken := t.TempDir()
	if err := os.CopyFS(broken, os.DirFS(work)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(broken, "themes", "clause", "layouts", "page.html"), []byte("{{ .Nonsense }"), 0o644); err != nil {
		t.Fatal(err)
	}
	if len(content) == 0 {
		t.Fatal("no content file given to the renderer")
	}
	var in bytes.Buffer
	enc := json.NewEncoder(&in)
	for _, w := range []string{work, broken} {
		enc.Encode(site.RenderRequest{Work: w, Config: filepath.Join(w, filepath.Base(cfg)), Content: len(content)})
		for _, f := range content {
			if err := site.WriteContentFile(&in, f); err != nil {
				t.Fatal(err)
			}
		}
	}
	var stdout bytes.Buffer
	if err := Serve(&in, &stdout); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("want a hello and two replies, got %q", lines)
	}
	var hello site.RenderHello
	if err := json.Unmarshal([]byte(lines[0]), &hello); err != nil || hello.Protocol != site.RenderProtocol {
		t.Errorf("hello %q (%v)", lines[0], err)
	}
	var ok, failed site.RenderReply
	json.Unmarshal([]byte(lines[1]), &ok)
	json.Unmarshal([]byte(lines[2]), &failed)
	if ok.Error != "" {
		t.Errorf("the project failed to render: %s", ok.Error)
	}
	// The page was read from the request, not from the disk.
	if _, err := os.Stat(filepath.Join(work, "content", "pages")); err == nil {
		t.Error("content files were written to the disk")
	}
	if b, err := os.ReadFile(filepath.Join(out, "dpa", "index.html")); err != nil || !strings.Contains(string(b), "act on instructions") {
		t.Errorf("the page rendered by Build: %v", err)
	}
	if failed.Error == "" || strings.Contains(failed.Error, broken) || !strings.Contains(failed.Error, "themes/clause/layouts/page.html") {
		t.Errorf("the broken template's error does not name themes/clause/layouts/page.html without the work folder: %q", failed.Error)
	}
}
