package main

import (
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/clause-portal/clause/internal/gittest"
)

// completeSite reports what is missing from a built portal at out, or "".
// The files are those every build writes last or first: a site that has
// them all was swapped in whole.
func completeSite(out string) string {
	for _, f := range []string{".clause-output", "index.html", "api/documents.json", "sitemap.xml", "feed.atom", "dpa/index.html", "dpa/versions/index.html"} {
		if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(f))); err != nil {
			return f
		}
	}
	return ""
}

// TestBuildKilledAtRandomPoints kills `clause build` with SIGKILL at random
// moments (seeded, so a failure can be replayed) while a watcher checks,
// as often as it can, that the output path holds a complete site. After
// each kill, the next build must succeed and leave no working folder
// beside the output and nothing in the temporary folder.
func TestBuildKilledAtRandomPoints(t *testing.T) {
	clause, err := exec.LookPath("clause")
	if err != nil {
		t.Fatalf("the clause command set up by testscript.Main: %v", err)
	}
	r := gittest.New(t)
	for i := 0; i < 12; i++ {
		r.Write("content/dpa.md", fmt.Sprintf("# DPA\n\n## 1. Scope\n\nVersion %d of the agreement.\n\n## 2. Sub-processors\n\nText %d.\n", i, i*i))
		r.Write(fmt.Sprintf("content/policy-%d.md", i%4), fmt.Sprintf("# Policy %d\n\nRevision %d.\n", i%4, i))
		r.Commit(fmt.Sprintf("2026-01-%02dT10:00:00Z", i+1), fmt.Sprintf("Revision %d", i))
	}
	tmp := t.TempDir()
	out := filepath.Join(r.Dir, "public")
	build := func() *exec.Cmd {
		cmd := exec.Command(clause, "build", "--repo", r.Dir, "--no-cache", "--quiet")
		cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
		return cmd
	}
	if b, err := build().CombinedOutput(); err != nil {
		t.Fatalf("first build: %v\n%s", err, b)
	}
	start := time.Now()
	if b, err := build().CombinedOutput(); err != nil {
		t.Fatalf("timed build: %v\n%s", err, b)
	}
	took := time.Since(start)

	for seed := int64(1); seed <= 6; seed++ {
		rng := rand.New(rand.NewSource(seed))
		delay := time.Duration(rng.Int63n(int64(took)))
		var stop sync.WaitGroup
		done := make(chan struct{})
		var missing []string
		stop.Add(1)
		go func() { // the watcher
			defer stop.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				if m := completeSite(out); m != "" {
					missing = append(missing, m)
				}
			}
		}()
		cmd := build()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(delay)
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait()
		close(done)
		stop.Wait()
		if len(missing) > 0 {
			t.Errorf("seed %d (kill after %v): the output lacked %s at some instant", seed, delay, missing[0])
		}
		if m := completeSite(out); m != "" {
			t.Errorf("seed %d: after the kill the output lacks %s", seed, m)
		}
		if b, err := build().CombinedOutput(); err != nil {
			t.Fatalf("seed %d: build after the kill: %v\n%s", seed, err, b)
		}
		entries, _ := os.ReadDir(r.Dir)
		for _, e := range entries {
			if strings.Contains(e.Name(), "clause-build") {
				t.Errorf("seed %d: %s left beside the output", seed, e.Name())
			}
		}
		if left, _ := os.ReadDir(tmp); len(left) > 0 {
			t.Errorf("seed %d: %d entries left in the temporary folder (%s…)", seed, len(left), left[0].Name())
		}
	}
}
