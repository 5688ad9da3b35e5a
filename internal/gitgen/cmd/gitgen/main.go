// Command gitgen generates a synthetic git repository shaped like the
// history of a legal portal (see package internal/gitgen), for benchmarks
// and manual testing of Clause's history reading:
//
//	go run ./internal/gitgen/cmd/gitgen -dir /tmp/portal -commits 5000 -docs 200
//
// The folder must be new or empty. The git command line must be installed.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/clause-portal/clause/internal/gitgen"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	fs := flag.NewFlagSet("gitgen", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: gitgen -dir DIR [-commits N] [-docs N] [-seed N] [-prefix FOLDER]\n\n"+
			"Generates a git repository of N commits (all branches) over N markdown documents,\n"+
			"with renames, deletions and merged feature branches. DIR must be new or empty.\n\n")
		fs.PrintDefaults()
	}
	dir := fs.String("dir", "", "`folder` to create the repository in (required; new or empty)")
	opts := gitgen.Options{}
	fs.IntVar(&opts.Commits, "commits", 5000, "number of commits, all branches (up to 4 more are made)")
	fs.IntVar(&opts.Documents, "docs", 200, "number of documents created over the history")
	fs.Uint64Var(&opts.Seed, "seed", 42, "seed of the pseudo-random history (same seed, same commit hashes)")
	fs.StringVar(&opts.Prefix, "prefix", gitgen.DefaultPrefix, "`folder` the documents live under")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if *dir == "" || fs.NArg() > 0 {
		fs.Usage()
		return 2
	}
	start := time.Now()
	if err := gitgen.Generate(*dir, opts); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Fprintf(os.Stderr, "gitgen: generated %d commits over %d documents (seed %d) in %s in %s\n",
		opts.Commits, opts.Documents, opts.Seed, *dir, time.Since(start).Round(time.Millisecond))
	return 0
}
