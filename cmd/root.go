// Package cmd holds byok's cobra commands: they parse flags, open storage,
// call flow and render through ui or print text/JSON. No business rules.
package cmd

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/hiveku/byok/flow"
	"github.com/spf13/cobra"
)

// Version is set at build time with -ldflags "-X github.com/hiveku/byok/cmd.Version=…".
var Version = "0.1.0-dev"

// Factory carries the dependencies every command shares. Fields that do
// I/O are funcs so that nothing is opened until a command needs it.
type Factory struct {
	IO *IOStreams
	// Getenv reads the environment (os.Getenv outside tests).
	Getenv func(string) string
	// DBPath is the --db flag value (empty: BYOK_DB, then the default).
	DBPath string
	// NoColor is --no-color.
	NoColor bool
	// Debug is --debug: show wrapped error chains.
	Debug bool
	// Store opens the database (resolving --db, BYOK_DB, the default path
	// and the sealing key) the first time it is called; later calls
	// return the same store. Set by NewFactory; tests replace it.
	Store func(ctx context.Context) (flow.Store, error)
	// Now is the clock.
	Now func() time.Time
	// Home runs when byok is started with no command on a terminal. Nil
	// means the setup wizard. The lead or lifecycle engineer may set it
	// to a home screen.
	Home func(ctx context.Context) error

	mu      sync.Mutex
	closers []func() error
}

// NewCmdRoot builds the root command and every subcommand.
func NewCmdRoot(f *Factory) *cobra.Command {
	root := &cobra.Command{
		Use:           "byok",
		Short:         "Register and verify your own Microsoft OAuth app for Hiveku",
		Version:       Version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVar(&f.DBPath, "db", "", "database file (env BYOK_DB; default $XDG_DATA_HOME/byok/byok.db)")
	root.PersistentFlags().BoolVar(&f.NoColor, "no-color", false, "disable colour (also NO_COLOR=1)")
	root.PersistentFlags().BoolVar(&f.Debug, "debug", false, "show the full error chain")
	root.AddCommand(
		NewCmdSetup(f), NewCmdList(f), NewCmdShow(f), NewCmdDelete(f), NewCmdVerify(f),
		NewCmdDoctor(f), NewCmdRotate(f), NewCmdConsentUrl(f), NewCmdExport(f), NewCmdImport(f),
		NewCmdAudit(f), NewCmdScript(f), NewCmdDemo(f), NewCmdSimulate(f),
	)
	return root
}

// Execute runs byok with os.Args and returns the exit status.
func Execute(ctx context.Context) int {
	f := NewFactory()
	return Run(ctx, f, nil)
}

// Run executes the root command with args (nil: os.Args) and maps the
// result to an exit status, printing the error to f.IO.ErrOut.
func Run(ctx context.Context, f *Factory, args []string) int {
	root := NewCmdRoot(f)
	if args != nil {
		root.SetArgs(args)
	}
	root.SetIn(f.IO.In)
	root.SetOut(f.IO.Out)
	root.SetErr(f.IO.ErrOut)
	err := root.ExecuteContext(ctx)
	if cerr := f.Close(); cerr != nil && err == nil {
		err = fmt.Errorf("close database: %w", cerr)
	}
	if err == nil {
		return 0
	}
	if errors.Is(err, ErrSilent) {
		return 1
	}
	if errors.Is(err, ErrAborted) || errors.Is(err, context.Canceled) {
		fmt.Fprintln(f.IO.ErrOut, "byok: cancelled")
		return 130
	}
	var fe *flow.Error
	if !errors.As(err, &fe) {
		// cobra's own usage errors (unknown flag, wrong arg count).
		if isUsageError(err) {
			fmt.Fprintf(f.IO.ErrOut, "byok: %s\nRun 'byok --help' for usage.\n", err)
			return 2
		}
	}
	fmt.Fprintf(f.IO.ErrOut, "byok: %s\n", userMessage(err, f.Debug))
	return flow.ExitCode(err)
}

// ErrSilent means the command already reported the failure; exit 1.
var ErrSilent = errors.New("silent failure")

// ErrAborted means the user pressed Ctrl+C or Esc out of a prompt; exit 130.
var ErrAborted = errors.New("aborted")

// userMessage renders err for the user: a *flow.Error's message (and fix),
// or "internal error" plus the chain when debug is on.
func userMessage(err error, debug bool) string {
	var fe *flow.Error
	if errors.As(err, &fe) {
		msg := fe.Error()
		if debug && fe.Err != nil {
			msg += "\n  cause: " + fe.Err.Error()
		}
		return msg
	}
	return err.Error()
}

func isUsageError(err error) bool {
	s := err.Error()
	for _, p := range []string{"unknown flag", "unknown shorthand", "unknown command", "accepts ", "requires at least", "flag needs an argument", "invalid argument", "required flag"} {
		if len(s) >= len(p) && contains(s, p) {
			return true
		}
	}
	return false
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}
