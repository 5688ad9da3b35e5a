package portal

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clause-portal/clause/generator/history"
	"github.com/clause-portal/clause/internal/gittest"
)

// partialClone clones src without blobs (git clone --filter=blob:none, as
// Netlify does), from a source that serves filters and objects by hash as
// GitHub does.
func partialClone(t *testing.T, src *gittest.Repo) string {
	t.Helper()
	src.Git("config", "uploadpack.allowFilter", "true")
	src.Git("config", "uploadpack.allowAnySHA1InWant", "true")
	dst := filepath.Join(t.TempDir(), "partial")
	src.Git("clone", "-q", "--filter=blob:none", "file://"+src.Dir, dst)
	return dst
}

// versionSums lists every document's versions as "id commit sha256".
func versionSums(c *Catalog) string {
	var b strings.Builder
	for _, e := range c.Entries {
		for _, v := range e.Versions {
			b.WriteString(e.ID + " " + v.Commit + " " + v.SHA256 + "\n")
		}
	}
	return b.String()
}

// TestLoadFetchesWhatAPartialCloneLacks loads a blobless clone: the git
// command line fetches the past versions, and the catalog equals the one
// of the full repository.
func TestLoadFetchesWhatAPartialCloneLacks(t *testing.T) {
	src := historyRepo(t)
	dst := partialClone(t, src)
	t.Setenv("GIT_CONFIG_GLOBAL", os.DevNull)
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")

	want, err := Load(t.Context(), LoadOptions{Repo: src.Dir, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	defer want.Close()
	var log bytes.Buffer
	got, err := Load(t.Context(), LoadOptions{Repo: dst, Now: now, Log: &log})
	if err != nil {
		t.Fatalf("Load of a partial clone: %v", err)
	}
	defer got.Close()
	if versionSums(got) != versionSums(want) {
		t.Errorf("partial clone:\n%s\nfull repository:\n%s", versionSums(got), versionSums(want))
	}
	if !strings.Contains(log.String(), "Partial clone: fetching") || !strings.Contains(log.String(), "from origin") {
		t.Errorf("log %q does not say what was fetched", log.String())
	}
	// Everything is there now: the next load fetches nothing.
	log.Reset()
	again, err := Load(t.Context(), LoadOptions{Repo: dst, Now: now, Log: &log, HistoryOptions: HistoryOptions{NoCache: true}})
	if err != nil {
		t.Fatal(err)
	}
	again.Close()
	if log.Len() != 0 {
		t.Errorf("second load logged %q", log.String())
	}
}

func TestLoadPartialCloneNoFetch(t *testing.T) {
	dst := partialClone(t, historyRepo(t))
	_, err := Load(t.Context(), LoadOptions{Repo: dst, Now: now, HistoryOptions: HistoryOptions{NoFetch: true}})
	if !errors.Is(err, history.ErrPartialClone) {
		t.Errorf("NoFetch on a partial clone: %v, want ErrPartialClone", err)
	}
}

// TestLoadPartialCloneWithoutGit hides the git command: the error is the
// partial clone's, with why fetching failed.
func TestLoadPartialCloneWithoutGit(t *testing.T) {
	dst := partialClone(t, historyRepo(t))
	t.Setenv("PATH", t.TempDir())
	_, err := Load(t.Context(), LoadOptions{Repo: dst, Now: now})
	if !errors.Is(err, history.ErrPartialClone) || !strings.Contains(err.Error(), "git command is not installed") ||
		!strings.Contains(err.Error(), "--no-fetch") {
		t.Errorf("partial clone without git: %v", err)
	}
}

// TestLoadPartialCloneRemoteGone removes the clone's origin: fetching
// fails and the error says so.
func TestLoadPartialCloneRemoteGone(t *testing.T) {
	src := historyRepo(t)
	dst := partialClone(t, src)
	if err := os.RemoveAll(src.Dir); err != nil {
		t.Fatal(err)
	}
	_, err := Load(t.Context(), LoadOptions{Repo: dst, Now: now})
	if !errors.Is(err, history.ErrPartialClone) || !strings.Contains(err.Error(), "fetching the missing objects with git failed: git fetch:") {
		t.Errorf("partial clone with its remote gone: %v", err)
	}
}
