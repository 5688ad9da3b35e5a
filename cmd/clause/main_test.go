package main

import (
	"os"
	"strings"
	"testing"

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
