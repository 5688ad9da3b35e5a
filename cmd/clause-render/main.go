// Command clause-render renders a Clause portal with Hugo. clause build and
// clause serve start it and send it the Hugo projects they write (see
// package generator/site); it is installed beside clause and not meant to
// be run by hand. Keeping Hugo in a command of its own keeps it out of the
// start of the clause commands that do not render.
package main

import (
	"os"

	"github.com/clause-portal/clause/generator/site/hugorender"
)

func main() {
	os.Exit(hugorender.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
