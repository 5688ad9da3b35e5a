// Package cli is the clause command line: it parses flags, calls the
// engine in generator/, and prints. Errors are mapped to exit codes in one
// place, Main.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/clause-portal/clause/generator/document"
)

// ExitCode is the process exit status.
type ExitCode int

// Exit codes of the clause command.
const (
	// ExitOK: success.
	ExitOK ExitCode = 0
	// ExitError: the content has errors (file:line messages on stderr), or
	// the build failed for another reason it names.
	ExitError ExitCode = 1
	// ExitUsage: unknown command or flag, or wrong arguments.
	ExitUsage ExitCode = 2
)

// IO carries the streams commands read and write; nothing writes to
// os.Stdout directly, so tests can capture everything.
type IO struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
	// Getenv reads the environment.
	Getenv func(string) string
	// IsTerminal reports whether ErrOut is an interactive terminal (progress
	// output is shown only then).
	IsTerminal bool
	// OutIsTerminal reports whether Out is a terminal (colour only then).
	OutIsTerminal bool
}

// System returns the process's standard streams and environment.
func System() *IO {
	return &IO{
		In:            os.Stdin,
		Out:           os.Stdout,
		ErrOut:        os.Stderr,
		Getenv:        os.Getenv,
		IsTerminal:    term.IsTerminal(int(os.Stderr.Fd())),
		OutIsTerminal: term.IsTerminal(int(os.Stdout.Fd())),
	}
}

// errUsage marks errors that are the caller's misuse of the command line.
var errUsage = errors.New("usage error")

type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() []error {
	return []error{errUsage, e.err}
}

// NewRootCmd builds the command tree.
func NewRootCmd(streams *IO) *cobra.Command {
	root := &cobra.Command{
		Use:   "clause",
		Short: "Publish a legal portal (DPA, privacy policy, sub-processors) from markdown in git",
		Long: `Clause compiles versioned markdown documents (data processing agreement,
privacy policy, sub-processor list, cookie policy, terms) into a static legal
portal. Git history is the source of truth: each document's "Last updated"
date comes from the commit that last changed it on the published branch.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       versionString(),
	}
	root.SetVersionTemplate("{{.Version}}\n")
	root.Flags().BoolP("version", "v", false, "print the version (as clause version does) and exit")
	root.SetIn(streams.In)
	root.SetOut(streams.Out)
	root.SetErr(streams.ErrOut)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageError{fmt.Errorf("%w\nRun '%s --help' for usage.", err, c.CommandPath())}
	})
	root.AddCommand(newBuildCmd(streams, nil), newLogCmd(streams, nil), newNotifyCmd(streams, nil), newDiffCmd(streams, nil), newServeCmd(streams, nil), newCheckCmd(streams), newReviewCmd(streams, nil), newInitCmd(streams), newVersionCmd(streams))
	return root
}

// Main runs the command line and returns the exit code.
func Main(args []string, streams *IO) ExitCode {
	// On Ctrl-C or a CI runner's SIGTERM, long work stops at the next
	// step and cleans up (a build removes its staging folder).
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root := NewRootCmd(streams)
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return ExitOK
	}
	return report(streams.ErrOut, cmd, err)
}

// consequence says what an error in content meant for the command: a build
// publishes nothing; the other commands only report.
func consequence(cmd *cobra.Command) string {
	if cmd != nil && cmd.Name() == "build" {
		return "; nothing was published"
	}
	return ""
}

// report prints err and maps it to an exit code.
func report(w io.Writer, cmd *cobra.Command, err error) ExitCode {
	var list document.Errors
	switch {
	case errors.Is(err, errCheckFailed):
		return ExitError
	case errors.Is(err, errUsage) || isCobraUsage(err):
		fmt.Fprintf(w, "clause: %v\n", err)
		if !errors.Is(err, errUsage) && cmd != nil {
			fmt.Fprintf(w, "Run '%s --help' for usage.\n", cmd.CommandPath())
		}
		return ExitUsage
	case errors.As(err, &list) && len(list) > 1:
		for _, e := range list {
			fmt.Fprintln(w, e)
		}
		fmt.Fprintf(w, "clause: %d errors in content%s\n", len(list), consequence(cmd))
		return ExitError
	case errors.Is(err, document.ErrContent):
		fmt.Fprintln(w, err)
		fmt.Fprintf(w, "clause: error in content%s\n", consequence(cmd))
		return ExitError
	}
	fmt.Fprintf(w, "clause: %v\n", err)
	return ExitError
}

// isCobraUsage recognises cobra's unknown-command error, which it does not
// type.
func isCobraUsage(err error) bool {
	return strings.HasPrefix(err.Error(), "unknown command")
}

// usageArgs wraps a positional-argument validator so that its errors exit
// with ExitUsage.
func usageArgs(v cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := v(cmd, args); err != nil {
			return usageError{fmt.Errorf("%s: %w", cmd.CommandPath(), err)}
		}
		return nil
	}
}
