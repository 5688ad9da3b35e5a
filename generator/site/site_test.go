package site_test

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
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

// TestBuildBuildsRenderHelper: run from its source (as `go run ./cmd/clause
// build` in a checkout is) with no clause-render installed, Build builds
// the helper with the go command into the user's cache folder, says so,
// renders with it, and builds it again only when its source changed.
func TestBuildBuildsRenderHelper(t *testing.T) {
	gocmd, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to test the fallback: %v", err)
	}
	SetRenderer(nil)
	defer SetRenderer(hugorender.Run)
	// The PATH but its folders holding a clause-render (it keeps the C
	// compiler: without one, go builds without cgo, all anew).
	var path []string
	for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
		if _, err := os.Stat(filepath.Join(dir, RenderHelper)); err != nil {
			path = append(path, dir)
		}
	}
	t.Setenv("PATH", strings.Join(path, string(filepath.ListSeparator)))
	t.Setenv("CLAUSE_RENDER", "")
	gocache, err := exec.Command(gocmd, "env", "GOCACHE").Output()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("GOCACHE", strings.TrimSpace(string(gocache))) // warm: it would follow XDG_CACHE_HOME
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	for i, want := range []bool{true, false} {
		var log bytes.Buffer
		s := &Site{Title: "Legal", BaseURL: "/", LanguageCode: "en", Location: time.UTC, Params: map[string]any{},
			Pages: []*Page{{URL: "/dpa/", Title: "DPA", Date: time.Date(2026, 1, 2, 10, 0, 0, 0, time.UTC),
				Params: map[string]any{"title": "DPA", "kind": "dpa"}, HTML: []byte("<p>The processor shall act on instructions.</p>")}}}
		pub := filepath.Join(t.TempDir(), "public")
		if err := Build(s, Options{PublishDir: pub, WorkDir: t.TempDir(), Log: &log}); err != nil {
			t.Fatalf("build %d: %v\nlog: %s", i, err, log.String())
		}
		if err := StopRenderer(); err != nil {
			t.Fatalf("build %d: the helper ended with %v", i, err)
		}
		if told := strings.Contains(log.String(), RenderHelper+" is not installed: building it from "); told != want {
			t.Errorf("build %d: told of the build = %v, want %v; log:\n%s", i, told, want, log.String())
		}
		b, err := os.ReadFile(filepath.Join(pub, "dpa", "index.html"))
		if err != nil || !strings.Contains(string(b), "The processor shall act on instructions.") {
			t.Fatalf("build %d: the page was not rendered by the helper (%v):\n%s", i, err, b)
		}
	}
	built, _ := filepath.Glob(filepath.Join(cache, "clause", "render-*", RenderHelper))
	if len(built) != 1 {
		t.Fatalf("want one helper in the cache folder, got %v", built)
	}
}

// TestStopRendererWithoutHelper: with no helper running, StopRenderer has
// nothing to stop.
func TestStopRendererWithoutHelper(t *testing.T) {
	if err := StopRenderer(); err != nil {
		t.Fatal(err)
	}
}
