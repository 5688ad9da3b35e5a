package history

import (
	"context"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"
)

// The benchmark repository is generated once per test binary run and
// removed by TestMain.
var benchRepo struct {
	once    sync.Once
	dir     string
	gen     time.Duration
	gitLog  time.Duration
	skipped string
}

func TestMain(m *testing.M) {
	code := m.Run()
	if benchRepo.dir != "" {
		os.RemoveAll(benchRepo.dir)
	}
	os.Exit(code)
}

const (
	benchCommits = 5000
	benchDocs    = 200
)

// benchRepository returns the generated repository (internal/gitgen, seed
// 42): 5,000 commits over 200 documents with renames and merges, the
// repository scripts/bench-history.sh times the clause binary on by default.
func benchRepository(b *testing.B) string {
	b.Helper()
	requireGit(b)
	benchRepo.once.Do(func() {
		dir, err := os.MkdirTemp("", "clause-history-bench-")
		if err != nil {
			benchRepo.skipped = err.Error()
			return
		}
		benchRepo.dir = dir
		start := time.Now()
		generateHistory(b, dir, benchCommits, benchDocs, 42)
		benchRepo.gen = time.Since(start)

		start = time.Now()
		gitLogFirstParent(b, dir)
		benchRepo.gitLog = time.Since(start)
	})
	if benchRepo.skipped != "" {
		b.Skip(benchRepo.skipped)
	}
	return benchRepo.dir
}

// gitLogFirstParent runs the git CLI's equivalent single pass.
func gitLogFirstParent(tb testing.TB, dir string) {
	cmd := exec.Command("git", "log", "--first-parent", "--name-status", "-M", "--format=%H %cI %s")
	cmd.Dir = dir
	cmd.Env = gitEnv()
	if out, err := cmd.Output(); err != nil || len(out) == 0 {
		tb.Fatalf("git log: %v", err)
	}
}

// BenchmarkRead times Read on a generated repository of 5,000 commits over
// 200 documents (renames, deletions, merged feature branches), against the
// git CLI's single pass `git log --first-parent --name-status -M`.
//
//   - open+read: Open and Read, as one `clause build` does on a fresh
//     clone (no history cache);
//   - open+read-cached: the same with the history cache filled by an
//     earlier Read, as a rebuild does;
//   - read-again: Read on an open repository (blob hashes in memory);
//   - git-log-cli: the git CLI, for comparison.
func BenchmarkRead(b *testing.B) {
	dir := benchRepository(b)
	ctx := context.Background()
	q := Query{Prefix: "content"}

	b.Run("open+read", func(b *testing.B) {
		b.ReportAllocs()
		var h *History
		for b.Loop() {
			r, err := Open(dir)
			if err != nil {
				b.Fatal(err)
			}
			if h, err = r.Read(ctx, q); err != nil {
				b.Fatal(err)
			}
			r.Close()
		}
		versions, renames := 0, 0
		for _, d := range h.Documents {
			versions += len(d.Versions)
			renames += len(d.Renames)
		}
		b.ReportMetric(float64(h.Commits), "commits")
		b.Logf("generated %d commits (all branches) over %d documents in %s; first-parent commits walked %d, "+
			"documents %d, versions %d, renames %d; git log --first-parent --name-status -M (once, cold): %s",
			benchCommits, benchDocs, benchRepo.gen.Round(time.Millisecond), h.Commits, len(h.Documents), versions, renames,
			benchRepo.gitLog.Round(time.Millisecond))
	})

	b.Run("open+read-cached", func(b *testing.B) {
		cq := q
		cq.Cache = b.TempDir()
		read := func() {
			r, err := Open(dir)
			if err != nil {
				b.Fatal(err)
			}
			defer r.Close()
			if _, err := r.Read(ctx, cq); err != nil {
				b.Fatal(err)
			}
		}
		read() // fills the cache
		b.ReportAllocs()
		for b.Loop() {
			read()
		}
	})

	b.Run("read-again", func(b *testing.B) {
		r, err := Open(dir)
		if err != nil {
			b.Fatal(err)
		}
		defer r.Close()
		b.ReportAllocs()
		for b.Loop() {
			if _, err := r.Read(ctx, q); err != nil {
				b.Fatal(err)
			}
		}
	})

	b.Run("git-log-cli", func(b *testing.B) {
		for b.Loop() {
			gitLogFirstParent(b, dir)
		}
	})
}
