package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/gohugoio/hugo/common/hugo"
	"github.com/spf13/cobra"
)

// Version is the clause version, set at link time with
// -ldflags "-X github.com/clause-portal/clause/cmd/clause/cli.Version=v1.2.3";
// otherwise taken from the module build information.
var Version = ""

func newVersionCmd(streams *IO) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the clause version and the versions it is built with",
		Args:  usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			fmt.Fprintln(streams.Out, versionString())
			return nil
		},
	}
}

func versionString() string {
	v := Version
	if bi, ok := debug.ReadBuildInfo(); ok {
		if v == "" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 && (v == "" || v == "(devel)") {
				v = "(devel) " + s.Value[:12]
			}
		}
	}
	if v == "" {
		v = "(devel)"
	}
	return fmt.Sprintf("clause %s (hugo v%s, %s %s/%s)", v, hugo.CurrentVersion.String(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
