// Command clause builds a legal portal (DPA, privacy policy, sub-processor
// list…) from markdown documents and their git history.
//
// For the developers of Clause: with CLAUSE_CPUPROFILE=FILE set, a run
// writes a CPU profile of itself to FILE (go tool pprof reads it).
package main

import (
	"fmt"
	"os"
	"runtime/pprof"

	"github.com/clause-portal/clause/cmd/clause/cli"
)

func main() {
	if name := os.Getenv("CLAUSE_CPUPROFILE"); name != "" {
		f, err := os.Create(name)
		if err != nil {
			fmt.Fprintf(os.Stderr, "clause: CLAUSE_CPUPROFILE: %v\n", err)
			os.Exit(2)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintf(os.Stderr, "clause: CLAUSE_CPUPROFILE: %v\n", err)
			os.Exit(2)
		}
		code := cli.Main(os.Args[1:], cli.System())
		pprof.StopCPUProfile()
		f.Close()
		os.Exit(int(code))
	}
	os.Exit(int(cli.Main(os.Args[1:], cli.System())))
}
