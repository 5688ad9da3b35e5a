package site_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	. "github.com/clause-portal/clause/generator/site"
	"github.com/clause-portal/clause/generator/site/hugorender"
)

func init() { SetRenderer(hugorender.Run) }

// TestReleasePages checks that with ReleasePages a build drops its pages
// once handed to Hugo, and still renders them; without it, the pages stay.
func TestReleasePages(t *testing.T) {
	for _, release := range []bool{false, true} {
		s := &Site{Title: "Legal", BaseURL: "/", LanguageCode: "en", Location: time.UTC, Params: map[string]any{},
			Pages: []*Page{{URL: "/dpa/", Title: "DPA", Date: time.Date(2026, 1, 2, 10, 0, 0, 0, time.UTC),
				Params: map[string]any{"title": "DPA", "kind": "dpa"}, HTML: []byte("<p>The processor shall act on instructions.</p>")}}}
		out := filepath.Join(t.TempDir(), "public")
		if err := Build(s, Options{PublishDir: out, WorkDir: t.TempDir(), ReleasePages: release}); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(out, "dpa", "index.html"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), "The processor shall act on instructions.") {
			t.Errorf("release %v: the page lacks its text:\n%s", release, b)
		}
		if released := s.Pages[0] == nil; released != release {
			t.Errorf("release %v: page dropped = %v", release, released)
		}
	}
}

// TestBuildWithoutRenderHelper: without clause-render beside the test
// binary or on the PATH, Build says how to install it.
func TestBuildWithoutRenderHelper(t *testing.T) {
	SetRenderer(nil)
	defer SetRenderer(hugorender.Run)
	t.Setenv("PATH", t.TempDir())
	t.Setenv("CLAUSE_RENDER", "")
	s := &Site{Title: "Legal", BaseURL: "/", LanguageCode: "en", Location: time.UTC, Params: map[string]any{}}
	err := Build(s, Options{PublishDir: filepath.Join(t.TempDir(), "public"), WorkDir: t.TempDir()})
	if !errors.Is(err, ErrNoRenderHelper) || !strings.Contains(err.Error(), "go install") {
		t.Fatalf("want ErrNoRenderHelper naming the fix, got %v", err)
	}
}

// TestStopRendererWithoutHelper: with no helper running, StopRenderer has
// nothing to stop.
func TestStopRendererWithoutHelper(t *testing.T) {
	if err := StopRenderer(); err != nil {
		t.Fatal(err)
	}
}
