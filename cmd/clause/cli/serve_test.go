package cli

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clause-portal/clause/internal/gittest"
)

// TestServeRebuildsOnChange starts the preview on a free port, fetches a
// page over real HTTP, edits the document and waits for the rebuild.
func TestServeRebuildsOnChange(t *testing.T) {
	r := gittest.New(t)
	r.Write("content/dpa.md", "# Data Processing Agreement\n\nFirst text.\n")
	r.Commit("2026-01-10T09:00:00Z", "Publish")

	var log syncBuffer
	streams := &IO{Out: io.Discard, ErrOut: &log, In: strings.NewReader(""), Getenv: func(string) string { return "" }}
	urls := make(chan string, 1)
	cmd := newServeCmd(streams, func(u string) { urls <- u })
	cmd.SetArgs([]string{"--repo", r.Dir, "--addr", "127.0.0.1:0"})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- cmd.ExecuteContext(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	var base string
	select {
	case base = <-urls:
	case err := <-done:
		t.Fatalf("serve stopped: %v\n%s", err, log.String())
	case <-time.After(30 * time.Second):
		t.Fatal("preview did not start")
	}

	get := func() (string, http.Header) {
		resp, err := http.Get(base + "dpa/")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b), resp.Header
	}
	page, headers := get()
	if !strings.Contains(page, "First text.") || !strings.Contains(headers.Get("Content-Security-Policy"), "default-src 'none'") {
		t.Fatalf("first page: %q, CSP %q", page, headers.Get("Content-Security-Policy"))
	}

	r.Write("content/dpa.md", "# Data Processing Agreement\n\nEdited text.\n")
	deadline := time.Now().Add(30 * time.Second)
	for {
		page, _ = get()
		if strings.Contains(page, "Edited text.") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no rebuild after an edit; log:\n%s", log.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	if !strings.Contains(page, "not committed yet") {
		t.Error("preview of an uncommitted edit is not marked")
	}

	// A broken edit keeps the last good build served and reports file:line.
	r.Write("content/dpa.md", "---\neffective: someday\n---\n# DPA\n")
	deadline = time.Now().Add(30 * time.Second)
	for !strings.Contains(log.String(), "content/dpa.md:2: effective") {
		if time.Now().After(deadline) {
			t.Fatalf("error not reported; log:\n%s", log.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	if page, _ = get(); !strings.Contains(page, "Edited text.") || !strings.Contains(page, "content/dpa.md:2: effective") {
		t.Errorf("a failed rebuild: want the last good build with the errors above it, got %s", page)
	}
}

// TestServeReadsI18nOverrides: the preview shows the repository's own
// wording of the theme's strings (i18n/LANG.toml), and rebuilds when it
// changes, as clause build reads it.
func TestServeReadsI18nOverrides(t *testing.T) {
	r := gittest.New(t)
	r.Write("content/en/privacy.md", "# Privacy\n\nWe care.\n")
	r.Write("content/de/privacy.md", "# Datenschutz\n\nWir achten darauf.\n")
	r.Write("i18n/de.toml", "skip_to_content = \"Direkt zum Text\"\n")
	r.Commit("2026-01-10T09:00:00Z", "Publish")

	var log syncBuffer
	streams := &IO{Out: io.Discard, ErrOut: &log, In: strings.NewReader(""), Getenv: func(string) string { return "" }}
	urls := make(chan string, 1)
	cmd := newServeCmd(streams, func(u string) { urls <- u })
	cmd.SetArgs([]string{"--repo", r.Dir, "--addr", "127.0.0.1:0"})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- cmd.ExecuteContext(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	var base string
	select {
	case base = <-urls:
	case err := <-done:
		t.Fatalf("serve stopped: %v\n%s", err, log.String())
	case <-time.After(30 * time.Second):
		t.Fatal("preview did not start")
	}
	get := func() string {
		resp, err := http.Get(base + "de/privacy/")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	if page := get(); !strings.Contains(page, "Direkt zum Text") {
		t.Fatalf("the preview does not use i18n/de.toml:\n%s", page)
	}
	r.Write("i18n/de.toml", "skip_to_content = \"Zum Vertragstext\"\n")
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(get(), "Zum Vertragstext") {
		if time.Now().After(deadline) {
			t.Fatalf("no rebuild after i18n/de.toml changed; log:\n%s", log.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// syncBuffer is a strings.Builder safe for the preview's goroutine and the
// test to share.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
