// Command clause-render renders a Clause portal with Hugo. clause build and
// clause serve start it and send it the Hugo projects they write (see
// package generator/site); it is installed beside clause and not meant to
// be run by hand. Keeping Hugo in a command of its own keeps it out of the
// start of the clause commands that do not render.
//
// For the developers of Clause: with CLAUSE_RENDER_CPUPROFILE=FILE set, it
// writes a CPU profile of itself to FILE (go tool pprof reads it), as
// CLAUSE_CPUPROFILE does for clause.
//
// Memory. Unless GOMEMLIMIT is set, it has a soft memory limit of
// memoryLimit, as clause has (see cmd/clause).
package main

import (
	"fmt"
	"os"
	"runtime/debug"
	"runtime/pprof"

	"github.com/clause-portal/clause/generator/site/hugorender"
)

// memoryLimit is clause-render's soft memory limit when GOMEMLIMIT does
// not set one. Hugo's heap is what the batch or the whole-site build being
// rendered holds (the changelog of a 20,000-commit portal lists 22,000
// versions); Go's collector would let it grow to twice that. Measured
// (scripts/bench-pathological.sh large, three 850 KB documents with 21
// versions each): peak RSS 0.42 GB instead of 0.65 GB, for the same CPU
// time; a cold build of a 20,000-commit portal: 0.42 GB instead of 0.46.
// Lowered to 352 MiB (from 384) with clause's: the 20,000-commit build's
// helper peaked at 403 MiB with 384; the three large documents take the
// same CPU time (medians of two, 7.7–8.3 s against 7.9–8.9 s).
const memoryLimit = 352 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	if name := os.Getenv("CLAUSE_RENDER_CPUPROFILE"); name != "" {
		f, err := os.Create(name)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "clause-render: CLAUSE_RENDER_CPUPROFILE: %v\n", err)
			os.Exit(2)
		}
		code := hugorender.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
		pprof.StopCPUProfile()
		f.Close()
		os.Exit(code)
	}
	os.Exit(hugorender.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
