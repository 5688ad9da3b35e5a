// Command clause builds a legal portal (DPA, privacy policy, sub-processor
// list…) from markdown documents and their git history.
package main

import (
	"os"

	"github.com/clause-portal/clause/cmd/clause/cli"
)

func main() {
	os.Exit(int(cli.Main(os.Args[1:], cli.System())))
}
