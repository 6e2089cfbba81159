// Package cmd holds byok's cobra commands: they parse flags, open storage,
// call flow and render through ui or print text/JSON. No business rules.
package cmd

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/sanitize"
	"github.com/hiveku/byok/ui/text"
	"github.com/spf13/cobra"
)

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
	// return the same store until Close. Set by NewFactory; tests replace it.
	Store func(ctx context.Context) (flow.Store, error)
	// Now is the clock.
	Now func() time.Time
	// Keychain is the OS keychain for the sealing key (keychain.go); nil
	// means the platform's, through go-keyring. Tests set keyring's mock.
	Keychain Keychain
	// Home runs when byok is started with no command on a terminal. Nil
	// means the setup wizard. The lead or lifecycle engineer may set it
	// to a home screen.
	Home func(ctx context.Context) error
	// Verify, when set, runs the live verification at the wizard's last
	// step (the lead wires the engine); nil tells the person to run
	// byok verify later.
	Verify flow.VerifyFunc
	// ConsentURLs, when set, returns the user and admin consent URLs of
	// c; `byok show` prints them. Nil hides them.
	ConsentURLs func(c flow.Config) (user, admin string, err error)

	mu      sync.Mutex
	closers []func() error
}

// NewCmdRoot builds the root command and every subcommand.
//
// `byok` with no command starts the wizard (or f.Home) when it can prompt;
// without a terminal it prints the help and exits 0, as gh does, so that a
// script calling bare `byok` never hangs on a prompt.
func NewCmdRoot(f *Factory) *cobra.Command {
	root := &cobra.Command{
		Use:   "byok",
		Short: "Register and verify your own Microsoft OAuth app for Hiveku",
		Long: "byok walks you through registering your own (\"bring your own key\") Microsoft\n" +
			"OAuth app for Hiveku, keeps its configuration in a local database and proves\n" +
			"it works with a live consent test.\n\n" +
			"Run byok with no command on a terminal for the home screen (or the wizard,\n" +
			"when nothing is saved yet).\n\n" +
			"Environment variables: byok help environment. Shell completion: byok completion --help.",
		Version:       currentBuild().String(),
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
		PersistentPreRun: func(c *cobra.Command, args []string) {
			applyColorEnv(f)
			if f.Debug {
				fmt.Fprintf(f.IO.ErrOut, "debug: byok %s\n", currentBuild())
				installHTTPTrace(f)
			}
		},
		RunE: func(c *cobra.Command, args []string) error {
			if !f.IO.CanPrompt() {
				return c.Help()
			}
			if f.Home != nil {
				return f.Home(c.Context())
			}
			opts := newSetupOptions(f)
			opts.applyEnv(f)
			opts.Interactive = true
			return setupRun(c.Context(), opts)
		},
	}
	root.SetVersionTemplate("byok {{.Version}}\n")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &usageError{err: err, cmd: c.CommandPath()}
	})
	root.PersistentFlags().StringVar(&f.DBPath, "db", "", "database file (env BYOK_DB; default: see byok help environment)")
	root.PersistentFlags().BoolVar(&f.NoColor, "no-color", false, "disable colour (also NO_COLOR=1)")
	root.PersistentFlags().BoolVar(&f.Debug, "debug", false, "show the full error chain and trace HTTP requests (secrets, codes and tokens redacted)")
	root.AddCommand(
		NewCmdSetup(f, nil), NewCmdList(f, nil), NewCmdShow(f, nil), NewCmdDelete(f, nil), NewCmdVerify(f),
		NewCmdDoctor(f), NewCmdRotate(f), NewCmdConsentUrl(f), NewCmdExport(f), NewCmdImport(f),
		NewCmdAudit(f), NewCmdScript(f), NewCmdDemo(f), NewCmdSimulate(f), NewCmdCreate(f),
		NewCmdVersion(f), NewCmdHelpEnvironment(f.IO), NewCmdKey(f),
	)
	registerCompletions(root, f)
	wrapHelp(root, f.IO)
	return root
}

// wrapHelp makes --help fit a terminal as byok's other text does: cobra
// writes its lines whole, and the terminal cut them mid-word ("simula" /
// "tor"). On a terminal each long line wraps at words, a command's or
// flag's description continuing under its own column. Piped, help is
// left whole.
func wrapHelp(root *cobra.Command, ios *IOStreams) {
	help := root.HelpFunc()
	root.SetHelpFunc(func(c *cobra.Command, args []string) {
		if !ios.IsStdoutTTY() {
			help(c, args)
			return
		}
		var b strings.Builder
		c.SetOut(&b)
		help(c, args)
		c.SetOut(ios.Out)
		fmt.Fprint(ios.Out, helpText(b.String(), ios.TerminalWidth()))
	})
}

// helpText wraps cobra's help to width. A line with a description
// column ("  demo        Run the wizard…", "      --db string   database
// file…") hangs its continuation under that column; others wrap with
// their own indent.
func helpText(s string, width int) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if text.Width(l) <= width {
			continue
		}
		body := strings.TrimLeft(l, " ")
		col := -1
		if j := strings.Index(body, "  "); j > 0 {
			k := j + len(body[j:]) - len(strings.TrimLeft(body[j:], " "))
			col = len(l) - len(body) + k
		}
		if col > 0 && col <= width/2 {
			lines[i] = text.Hang(l[:col], l[col:], width)
		} else {
			lines[i] = text.Wrap(l, width)
		}
	}
	return strings.Join(lines, "\n")
}

// applyColorEnv decides colour from --no-color and the environment, as
// gh does: --no-color turns it off; else CLICOLOR_FORCE (not 0) turns it
// on even for a pipe; else NO_COLOR, CLICOLOR=0 or TERM=dumb turn it off;
// else it is on for a terminal.
func applyColorEnv(f *Factory) {
	f.IO.SetDumbTerminal(f.getenv("TERM") == "dumb")
	force := f.getenv("CLICOLOR_FORCE")
	switch {
	case f.NoColor:
		f.IO.SetColorDisabled(true)
	case force != "" && force != "0":
		f.IO.SetColorDisabled(false)
		f.IO.SetColorForced(true)
	case f.getenv("NO_COLOR") != "" || f.getenv("CLICOLOR") == "0" || f.getenv("TERM") == "dumb":
		f.IO.SetColorDisabled(true)
	}
}

// getenv reads the environment through f.Getenv, tolerating a nil func.
func (f *Factory) getenv(k string) string {
	if f.Getenv == nil {
		return ""
	}
	return f.Getenv(k)
}

// Execute runs byok with os.Args and returns the exit status.
func Execute(ctx context.Context) int {
	f := NewFactory()
	return Run(ctx, f, nil)
}

// Run executes the root command with args (nil: os.Args), closes what the
// command opened, and maps the result to an exit status, printing the
// error to f.IO.ErrOut:
//
//	0    ok
//	1    a check or operation failed (or an internal error)
//	2    invalid usage or input: "byok: <field>: <message>; <fix>"
//	130  cancelled (Ctrl+C, or Esc/Ctrl+C out of a prompt)
func Run(ctx context.Context, f *Factory, args []string) (code int) {
	defer func() {
		if r := recover(); r != nil {
			// The panic value is never printed: it may hold anything,
			// a secret included. Open transactions were rolled back by
			// their deferred Rollback; close the database cleanly.
			_ = f.Close()
			fmt.Fprintln(f.IO.ErrOut, "byok: internal error: this is a bug in byok, sorry. Nothing was saved half-way.\nPlease report what you ran; run it again with --debug for a stack trace to attach.")
			if f.Debug {
				fmt.Fprintf(f.IO.ErrOut, "%s\n", debug.Stack())
			}
			code = 1
		}
	}()
	defer f.IO.SanitizeOut()()
	root := NewCmdRoot(f)
	if args == nil {
		args = os.Args[1:]
	}
	f.IO.jsonExport = nil // set again by --json, --jq or --template
	root.SetArgs(rewriteJSONFieldArgs(root, args))
	root.SetIn(f.IO.In)
	root.SetOut(f.IO.Out)
	root.SetErr(f.IO.ErrOut)
	err := root.ExecuteContext(ctx)
	if cerr := f.Close(); cerr != nil && err == nil {
		err = fmt.Errorf("close database: %w", cerr)
	}
	return reportError(f, err)
}

// reportError prints err for the user and returns the exit status.
func reportError(f *Factory, err error) int {
	if err == nil {
		return 0
	}
	if errors.Is(err, ErrSilent) {
		return 1
	}
	if isAbort(err) {
		fmt.Fprintln(f.IO.ErrOut, "byok: cancelled")
		return 130
	}
	var ue *usageError
	if errors.As(err, &ue) || (flow.ErrorCode(err) == flow.EINTERNAL && isCobraUsageError(err)) {
		fmt.Fprintf(f.IO.TextErr(), "byok: %s\n", errorText(err.Error()))
		path := "byok"
		if ue != nil && ue.cmd != "" {
			path = ue.cmd
		}
		fmt.Fprintf(f.IO.ErrOut, "Run '%s --help' for usage.\n", path)
		return 2
	}
	// Wrapped to the terminal; an error can quote outside text.
	fmt.Fprintf(f.IO.TextErr(), "byok: %s\n", errorText(userMessage(err, f.Debug)))
	return flow.ExitCode(err)
}

// maxErrorText bounds an error message printed on stderr: messages quote
// what was given (a flag value, a bundle field), and a 100 KB value made
// a 100 KB error line.
const maxErrorText = 2000

// errorText is an error message as it may reach the terminal: through
// the output sanitizer (it may quote Microsoft's answers, a bundle, a
// flag value), and at most maxErrorText bytes.
func errorText(s string) string {
	s = sanitize.Text(s)
	if len(s) <= maxErrorText {
		return s
	}
	cut := maxErrorText
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + fmt.Sprintf("… (%d more bytes)", len(s)-cut)
}

// isAbort reports whether err means the person cancelled: Ctrl+C (a
// cancelled context) or leaving a prompt with Ctrl+C/Esc.
func isAbort(err error) bool {
	return errors.Is(err, ErrAborted) || errors.Is(err, context.Canceled) ||
		errors.Is(err, huh.ErrUserAborted) || errors.Is(err, tea.ErrInterrupted) ||
		errors.Is(err, tea.ErrProgramKilled) || isUIAbort(err)
}

// ErrSilent means the command already reported the failure; exit 1.
var ErrSilent = errors.New("silent failure")

// ErrAborted means the user pressed Ctrl+C or Esc out of a prompt; exit 130.
var ErrAborted = errors.New("aborted")

// usageError is a command-line mistake (unknown flag, wrong number of
// arguments): exit 2 and point at --help.
type usageError struct {
	err error
	cmd string
}

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// usagef returns a usage error for c.
func usagef(c *cobra.Command, format string, args ...any) error {
	return &usageError{err: fmt.Errorf(format, args...), cmd: c.CommandPath()}
}

// exactName is an Args validator for commands taking one config NAME: it
// explains what is missing instead of cobra's "accepts 1 arg(s)".
func exactName(c *cobra.Command, args []string) error {
	switch {
	case len(args) == 0:
		return usagef(c, "missing NAME: the config to use (see byok list)")
	case len(args) > 1:
		return usagef(c, "too many arguments: %s takes one NAME (quote names with spaces)", c.Name())
	}
	return nil
}

// userMessage renders err for the user: a *flow.Error's message (and fix),
// plus its cause when debug is on; any other error as its chain.
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

// isCobraUsageError recognises the usage errors cobra returns without
// going through the flag error func: an unknown command, the built-in
// argument-count validators other commands may use, and required flags.
// Flag parsing errors arrive as *usageError already; the list stays narrow
// so that an I/O error such as "invalid argument" is not taken for one.
func isCobraUsageError(err error) bool {
	s := err.Error()
	for _, p := range []string{"unknown command ", "accepts ", "requires at least ", "requires at most ", "required flag(s) "} {
		if strings.HasPrefix(s, p) || strings.Contains(s, " "+p) {
			return true
		}
	}
	return false
}
