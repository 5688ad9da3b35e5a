// Command clause-render renders a Clause portal with Hugo. clause build and
// clause serve start it and send it the Hugo projects they write (see
// package generator/site); it is installed beside clause and not meant to
// be run by hand. Keeping Hugo in a command of its own keeps it out of the
// start of the clause commands that do not render.
//
// For the developers of Clause: with CLAUSE_RENDER_CPUPROFILE=FILE set, it
// writes a CPU profile of itself to FILE (go tool pprof reads it), as
// CLAUSE_CPUPROFILE does for clause.
package main

import (
	"fmt"
	"os"
	"runtime/pprof"

	"github.com/clause-portal/clause/generator/site/hugorender"
)

func main() {
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
