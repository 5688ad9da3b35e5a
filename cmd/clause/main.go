// Command clause builds a legal portal (DPA, privacy policy, sub-processor
// list…) from markdown documents and their git history.
//
// For the developers of Clause: with CLAUSE_CPUPROFILE=FILE set, a run
// writes a CPU profile of itself to FILE (go tool pprof reads it); with
// CLAUSE_HEAPPROFILE=FILE, a heap profile taken when the heap live after a
// collection was largest (checked five times a second).
//
// Memory. Unless GOMEMLIMIT is set, a run has a soft memory limit of
// memoryLimit (runtime/debug.SetMemoryLimit): see there.
package main

import (
	"fmt"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"runtime/pprof"
	"time"

	"github.com/clause-portal/clause/cmd/clause/cli"
	"github.com/clause-portal/clause/generator/portal"
)

// memoryLimit is the soft memory limit of a clause run when GOMEMLIMIT
// does not set one (GOMEMLIMIT=off: none, Go's default). Go's collector
// otherwise lets the heap grow to twice what is live: a build of a
// sub-processor register of 154,000 rows in 6 versions, with about 280 MB
// live at its peak (its table read as one node, markdown.PlainTable),
// reached 0.64 GB of RSS; with this limit, 0.46 GB, for no CPU time that
// could be told from the noise of a shared machine (5.3–6.6 s with this
// limit, 6.0–7.1 s with 512 MiB, 6.9 s without; three 850 KB documents
// with 21 versions each: 8.3–9.1 s, 0.45 GB, against 8.2–8.8 s, 0.51 GB
// with 512 MiB). Builds that hold less never reach it and are not
// affected; one that holds more collects often (Go caps the collector at
// half the CPU) rather than growing. A last resort, after what a build
// holds was cut: see README (scripts/bench-pathological.sh). Lowered from
// 448 MiB once a cold build of a 20,000-commit portal held less (live
// heap at most ~240 MB): its peak RSS fell from 0.51 GB to 0.44 GB for
// the same CPU time; the register above then costs about a tenth more CPU
// (medians of three: 5.0 s against 4.5 s) for 0.40 GB instead of 0.47 GB.
// Lowered again to 352 MiB (from 384) for issue 16's goal, a cold build of
// the 20,000-commit portal under 400 MiB: with 384 MiB it peaked at 419
// MiB (the limit counts the Go heap, not the executable's pages nor the
// mapped pack files); the register above costs 9% more CPU (medians of
// three, 6.1 s against 5.6 s) for 0.37 GB instead of 0.40 GB.
const memoryLimit = 352 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
		// What the page cache's index holds comes on top (see there).
		portal.GrowMemoryLimit = growMemoryLimit
	}
	os.Exit(run())
}

// growMemoryLimit sets the soft memory limit to memoryLimit plus n, what a
// build's page cache index holds: each build of clause serve, which
// rebuilds in one process, sets it anew rather than adding to it.
func growMemoryLimit(n int64) {
	debug.SetMemoryLimit(memoryLimit + n)
}

func run() int {
	if name := os.Getenv("CLAUSE_HEAPPROFILE"); name != "" {
		defer profileHeapPeak(name)()
	}
	if name := os.Getenv("CLAUSE_CPUPROFILE"); name != "" {
		f, err := os.Create(name)
		if err != nil {
			fmt.Fprintf(os.Stderr, "clause: CLAUSE_CPUPROFILE: %v\n", err)
			return 2
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintf(os.Stderr, "clause: CLAUSE_CPUPROFILE: %v\n", err)
			return 2
		}
		defer pprof.StopCPUProfile()
	}
	return int(cli.Main(os.Args[1:], cli.System()))
}

// profileHeapPeak writes a heap profile to file name each time the heap
// live after a collection has grown by 2% over the largest seen, until
// the function it returns is called.
func profileHeapPeak(name string) (stop func()) {
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		var peak uint64
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			metrics.Read(sample)
			if live := sample[0].Value.Uint64(); live > peak+peak/50 {
				peak = live
				if err := writeHeapProfile(name); err != nil {
					fmt.Fprintf(os.Stderr, "clause: CLAUSE_HEAPPROFILE: %v\n", err)
					return
				}
			}
		}
	}()
	return func() { close(done); <-finished }
}

func writeHeapProfile(name string) error {
	f, err := os.Create(name + ".tmp")
	if err != nil {
		return err
	}
	if err := pprof.WriteHeapProfile(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(name+".tmp", name)
}
