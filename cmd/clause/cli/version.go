package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/clause-portal/clause/generator/site"
)

// Version is the clause version, set at link time in release builds with
// -ldflags "-X github.com/clause-portal/clause/cmd/clause/cli.Version=v1.2.3";
// otherwise taken from the module build information: the module version
// of `go install …@v1.2.3`, or "(devel)" with the commit of a build from a
// checkout.
var Version = ""

func newVersionCmd(streams *IO) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the clause version and the versions it is built with",
		Long: `Print the clause version, the commit it was built from (when known), and
the versions of Hugo and Go it is built with. "clause --version" prints the
same line.`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			fmt.Fprintln(streams.Out, versionString())
			return nil
		},
	}
}

// versionString describes this build on one line, e.g.
// "clause v1.2.3 (commit 3d9772c1a2b4, 2026-12-02; hugo v0.165.0, go1.26.8 linux/amd64)".
func versionString() string {
	bi, _ := debug.ReadBuildInfo()
	return describeBuild(Version, bi)
}

func describeBuild(stamped string, bi *debug.BuildInfo) string {
	v := stamped
	var commit, date string
	var modified bool
	if bi != nil {
		if v == "" && bi.Main.Version != "" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				commit = s.Value
			case "vcs.time":
				date, _, _ = strings.Cut(s.Value, "T")
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	if v == "" {
		v = "(devel)"
	}
	var about []string
	if commit != "" {
		c := "commit " + commit[:min(12, len(commit))]
		if modified {
			c += " with uncommitted changes"
		}
		if date != "" {
			c += ", " + date
		}
		about = append(about, c)
	}
	about = append(about, fmt.Sprintf("hugo v%s, %s %s/%s", site.HugoVersion, runtime.Version(), runtime.GOOS, runtime.GOARCH))
	return fmt.Sprintf("clause %s (%s)", v, strings.Join(about, "; "))
}
