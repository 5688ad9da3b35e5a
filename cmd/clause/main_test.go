package main

import (
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/clause-portal/clause/cmd/clause/cli"
	"github.com/clause-portal/clause/generator/site/hugorender"
	"github.com/clause-portal/clause/internal/gittest"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"clause": func() { os.Exit(int(cli.Main(os.Args[1:], cli.System()))) },
		// On the scripts' PATH: clause build and serve start it as they
		// start the installed one.
		"clause-render": func() { os.Exit(hugorender.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the command-line scenarios in testdata/script: each
// creates a git repository with the git CLI, runs clause, and checks its
// output and the files it wrote.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			for _, kv := range gittest.Env() {
				if k, v, ok := strings.Cut(kv, "="); ok && k != "HOME" && k != "PATH" {
					env.Setenv(k, v)
				}
			}
			return nil
		},
	})
}

// TestProfileHeapPeak: CLAUSE_HEAPPROFILE's watcher writes a heap profile
// (gzip-compressed protocol buffer, as pprof writes it) once the live heap
// has grown, and nothing after it is stopped.
func TestProfileHeapPeak(t *testing.T) {
	name := filepath.Join(t.TempDir(), "heap.prof")
	stop := profileHeapPeak(name)
	var keep [][]byte
	for i := range 5 {
		keep = append(keep, make([]byte, (i+1)<<20))
		runtime.GC()
		time.Sleep(250 * time.Millisecond)
	}
	stop()
	runtime.KeepAlive(keep)
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatalf("no heap profile: %v", err)
	}
	if len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
		t.Fatalf("not a pprof heap profile: % x", b[:min(len(b), 8)])
	}
	os.Remove(name)
	runtime.GC()
	time.Sleep(300 * time.Millisecond)
	if _, err := os.Stat(name); err == nil {
		t.Error("a profile was written after stop")
	}
}

// Each build sets the limit to clause's own plus its index: clause serve's
// rebuilds, in one process, do not add up.
func TestGrowMemoryLimitDoesNotAccumulate(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	for range 3 {
		growMemoryLimit(100 << 20)
		if got := debug.SetMemoryLimit(-1); got != memoryLimit+100<<20 {
			t.Fatalf("limit %d after growing by 100 MiB, want %d", got, memoryLimit+100<<20)
		}
	}
}
