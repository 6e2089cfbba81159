package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"runtime"
	"strings"
	"time"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/loopback"
	"github.com/hiveku/byok/flow/sanitize"
	"github.com/hiveku/byok/flow/transport"
	"github.com/hiveku/byok/flow/verify"
	"github.com/hiveku/byok/storage"
	"github.com/hiveku/byok/ui/prompt"
	"github.com/hiveku/byok/ui/text"
	"github.com/spf13/cobra"
)

// VerifyOptions holds the dependencies and flag values of `byok verify`.
type VerifyOptions struct {
	IO     *IOStreams
	Store  func(ctx context.Context) (flow.Store, error)
	Now    func() time.Time
	Getenv func(string) string
	// Verifier returns the engine with its real side effects; tests
	// replace it. The flags are applied on top of what it returns.
	Verifier func() *verify.Verifier

	Name    string
	Offline bool
	// All runs the unattended checks on every config (verify_all.go).
	All           bool
	JSON          bool
	AuthorityHost string
	GraphHost     string
	Cloud         string
	Redirect      string
	Prompt        string
	NoBrowser     bool
	Timeout       time.Duration
}

// NewCmdVerify builds `byok verify NAME`.
func NewCmdVerify(f *Factory) *cobra.Command { return newCmdVerify(f, nil) }

// newVerifyOptions returns verify's options with its dependencies from
// f and every flag at its default: the command binds its flags to them
// and the home screen's verify runs them as they are.
func newVerifyOptions(f *Factory) *VerifyOptions {
	return &VerifyOptions{IO: f.IO, Store: f.Store, Now: f.Now, Getenv: f.getenv, Verifier: verifyEngine(f),
		Cloud: "global", Redirect: "auto", Prompt: "consent", Timeout: verify.DefaultTimeout}
}

// newCmdVerify builds the command; runF replaces verifyRun in tests.
func newCmdVerify(f *Factory, runF func(*VerifyOptions) error) *cobra.Command {
	opts := newVerifyOptions(f)
	c := &cobra.Command{
		Use:   "verify NAME",
		Short: "Check a config offline and with a live consent test",
		Long: "verify checks a saved config without the network (redirect URI, permissions,\n" +
			"account type against tenant, secret and its expiry), then live against\n" +
			"Microsoft: the tenant's discovery document, the client secret (client\n" +
			"credentials), the consent screen in your browser, the tokens, the mailbox,\n" +
			"one refresh and a read-only Graph call per permission. No mail is sent and\n" +
			"no token is kept; the results are saved with the config.\n\n" +
			"With --all, every saved config gets the checks that need no person: offline,\n" +
			"secret expiry, discovery and the client secret (client credentials), one line\n" +
			"each (or --json), exit status 1 if any fails. Nothing is saved.\n\n" +
			"The code comes back on a loopback listener when http://localhost is\n" +
			"registered (setup --add-loopback), otherwise paste the address the browser\n" +
			"lands on (or the text of Microsoft's error page). Exit status 1 when a check\n" +
			"fails.",
		Example: "  byok verify \"Acme Hiveku\"\n" +
			"  byok verify \"Acme Hiveku\" --offline --json\n" +
			"  byok verify \"Acme Hiveku\" --no-browser --redirect paste\n" +
			"  byok verify \"Acme Hiveku\" --cloud usgov\n" +
			"  byok verify --all          # every config, no person needed: for cron and CI",
		Args: func(c *cobra.Command, args []string) error {
			if opts.All {
				if len(args) > 0 {
					return usagef(c, "--all checks every config: give no NAME with it")
				}
				return nil
			}
			return exactName(c, args)
		},
		RunE: func(c *cobra.Command, args []string) error {
			if opts.All {
				return verifyAllRun(c.Context(), opts)
			}
			opts.Name = args[0]
			if runF != nil {
				return runF(opts)
			}
			return verifyRun(c.Context(), opts)
		},
	}
	fl := c.Flags()
	fl.BoolVar(&opts.Offline, "offline", opts.Offline, "run only the checks that need no network")
	fl.BoolVar(&opts.All, "all", opts.All, "every config's checks that need no person (offline, discovery, secret, expiry); exit 1 if any fails")
	addJSONFlags(c, f.IO, &opts.JSON, "print the result as JSON", verifyJSON{}, "")
	fl.StringVar(&opts.AuthorityHost, "authority-host", opts.AuthorityHost, "login host, e.g. https://login.microsoftonline.us or a simulator")
	fl.StringVar(&opts.GraphHost, "graph-host", opts.GraphHost, "Microsoft Graph host, e.g. https://graph.microsoft.us or a simulator")
	fl.StringVar(&opts.Cloud, "cloud", opts.Cloud, "global, usgov or china")
	fl.StringVar(&opts.Redirect, "redirect", opts.Redirect, "how the code comes back: auto, loopback or paste")
	fl.StringVar(&opts.Prompt, "prompt", opts.Prompt, "consent (always show the consent screen), select_account or login")
	fl.BoolVar(&opts.NoBrowser, "no-browser", opts.NoBrowser, "print the consent URL instead of opening a browser")
	fl.DurationVar(&opts.Timeout, "timeout", opts.Timeout, "how long to wait for the browser on the loopback listener")
	return c
}

// verifyEngine returns the production engine: real clock, HTTP, browser
// ($BROWSER through f's environment) and the doctor's diagnosis.
func verifyEngine(f *Factory) func() *verify.Verifier {
	return func() *verify.Verifier {
		v := verify.NewVerifier()
		v.Now = f.Now
		v.OpenBrowser = verify.BrowserOpener(f.getenv("BROWSER"), runtime.GOOS)
		v.Diagnose = doctorFix()
		return v
	}
}

// VerifyFunc returns the live verification the wizard runs at its last
// step (for Factory.Verify): the production engine on the global cloud,
// code by loopback when registered, else paste, with the doctor's fixes.
func VerifyFunc(f *Factory) flow.VerifyFunc {
	return func(ctx context.Context, c flow.Config, r flow.Reporter) (flow.Run, error) {
		return verifyEngine(f)().Verify(ctx, c, r, false)
	}
}

// hostFlag checks a --authority-host/--graph-host value.
func hostFlag(flag, v string) (string, error) {
	v = strings.TrimSpace(v)
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
		return "", flow.Invalid(flag, "%q is not a scheme and host", v).
			WithFix("give only scheme and host, e.g. https://login.microsoftonline.us")
	}
	// The client secret and tokens travel to these hosts: plain http
	// only to this machine (the simulator), never across a network.
	if err := transport.CheckURL(flag, u); err != nil {
		return "", err
	}
	return strings.TrimRight(v, "/"), nil
}

// getenv reads the environment through the injected Getenv.
func (o *VerifyOptions) getenv(k string) string {
	if o.Getenv == nil {
		return ""
	}
	return o.Getenv(k)
}

// endpoints resolves --cloud, --authority-host and --graph-host.
func (o *VerifyOptions) endpoints() (verify.Endpoints, error) {
	e, err := verify.CloudEndpoints(o.Cloud)
	if err != nil {
		return e, err
	}
	if o.AuthorityHost != "" {
		if e.AuthorityHost, err = hostFlag("--authority-host", o.AuthorityHost); err != nil {
			return e, err
		}
	}
	if o.GraphHost != "" {
		if e.GraphHost, err = hostFlag("--graph-host", o.GraphHost); err != nil {
			return e, err
		}
	}
	return e, nil
}

// verifyJSON is the --json output, field for field.
type verifyJSON struct {
	Name   string            `json:"name"`
	OK     bool              `json:"ok"`
	Email  string            `json:"email"`
	Checks []verifyCheckJSON `json:"checks"`
}

type verifyCheckJSON struct {
	ID     string      `json:"id"`
	Status flow.Status `json:"status"`
	Detail string      `json:"detail"`
	Code   int         `json:"code"`
	Fix    string      `json:"fix"`
}

func verifyRun(ctx context.Context, opts *VerifyOptions) error {
	e, err := opts.endpoints()
	if err != nil {
		return err
	}
	mode, err := verify.ParseMode(opts.Redirect)
	if err != nil {
		return err
	}
	prompt, err := verify.ParsePrompt(opts.Prompt)
	if err != nil {
		return err
	}
	if opts.Timeout <= 0 {
		return flow.Invalid("--timeout", "%s is not a positive duration", opts.Timeout).WithFix("use e.g. 5m or 90s")
	}
	st, c, err := loadConfig(ctx, opts.Store, opts.Name)
	roStore := false
	if err != nil && opts.Offline && errors.Is(err, storage.ErrReadOnly) {
		// Offline checks only read: on a database this user cannot
		// write, run them on a read-only store and do not save the run.
		st, c, err = loadConfig(readOnly(ctx), opts.Store, opts.Name)
		roStore = true
	}
	if err != nil {
		return err
	}

	v := opts.Verifier()
	v.Endpoints, v.Mode, v.NoBrowser, v.Timeout, v.Prompt = e, mode, opts.NoBrowser, opts.Timeout, prompt
	if opts.Now != nil {
		v.Now = opts.Now
	}
	rep := newVerifyReporter(opts.IO, opts.JSON, opts.getenv("TERM"))
	rep.timeout = opts.Timeout
	rep.loopback = mode == verify.ModeLoopback || (mode == verify.ModeAuto && c.Loopback)
	if opts.IO.IsStdinTTY() {
		wireVerifyPrompts(v, opts.IO, rep.term, rep.loopback)
	}
	if !opts.JSON {
		fmt.Fprintf(rep.out, "Verifying %s\n", sanitize.Text(c.Name))
	}
	run, err := v.Verify(ctx, c, rep, opts.Offline)
	if err != nil {
		return err
	}
	if roStore {
		fmt.Fprintln(opts.IO.ErrOut, "note: the database cannot be written here, so this run is not saved")
	} else if err := st.SaveRun(ctx, run); err != nil {
		return fmt.Errorf("save verification run: %w", err)
	}
	if opts.JSON {
		out := verifyJSON{Name: run.Name, OK: run.OK, Email: run.Email, Checks: []verifyCheckJSON{}}
		for _, ch := range run.Checks {
			out.Checks = append(out.Checks, verifyCheckJSON(ch))
		}
		if err := writeJSON(opts.IO, out); err != nil {
			return err
		}
	} else {
		writeVerifySummary(rep.out, c.Name, run)
	}
	if run.Failed() {
		return ErrSilent
	}
	return nil
}

// writeVerifySummary prints the closing line of the checklist.
func writeVerifySummary(w io.Writer, name string, run flow.Run) {
	var failed, warned []string
	for _, ch := range run.Checks {
		switch ch.Status {
		case flow.Fail:
			failed = append(failed, ch.ID)
		case flow.Warn:
			warned = append(warned, ch.ID)
		}
	}
	fmt.Fprintln(w)
	switch {
	case len(failed) > 0:
		fmt.Fprintf(w, "%d %s failed: %s\n", len(failed), text.Plural(len(failed), "check", "checks"), strings.Join(failed, ", "))
	case run.Offline:
		fmt.Fprintf(w, "Offline checks passed. Run byok verify %s for the live test.\n", sanitize.Text(text.ShellQuote(name)))
	case run.Email != "":
		fmt.Fprintf(w, "It works: signed in as %s.\n", sanitize.Text(run.Email))
	default:
		fmt.Fprintln(w, "It works.")
	}
	if len(warned) > 0 && len(failed) == 0 {
		fmt.Fprintf(w, "%d %s to look at: %s\n", len(warned), text.Plural(len(warned), "warning", "warnings"), strings.Join(warned, ", "))
	}
}

// verifyReporter prints the checklist as checks finish (stdout) and the
// consent URL and paste prompt (stderr), wrapped to the terminal. With
// quiet (--json) only the prompts appear.
type verifyReporter struct {
	io       *IOStreams
	out      io.Writer // stdout, wrapped
	errOut   io.Writer // stderr, wrapped
	width    int
	color    bool
	quiet    bool
	loopback bool
	timeout  time.Duration
	term     string // $TERM, for how a paste is read
}

// newVerifyReporter returns the reporter of ios; quiet for --json.
func newVerifyReporter(ios *IOStreams, quiet bool, term string) *verifyReporter {
	return &verifyReporter{io: ios, out: ios.Text(), errOut: ios.TextErr(), width: ios.TextWidth(),
		color: ios.OutColorEnabled(), quiet: quiet, term: term}
}

// init fills in what a reporter built as a literal lacks.
func (r *verifyReporter) init() {
	if r.out == nil {
		r.out, r.width, r.color = r.io.Text(), r.io.TextWidth(), r.io.OutColorEnabled()
	}
	if r.errOut == nil {
		r.errOut = r.io.TextErr()
	}
}

func (r *verifyReporter) Started(id string) {}

func (r *verifyReporter) Finished(ch flow.Check) {
	if r.quiet {
		return
	}
	r.init()
	fmt.Fprintln(r.out, text.Check(ch, r.width, r.color))
}

// ConsentURL prints the address to open on a line of its own, with no
// indent, so that it copies whole.
func (r *verifyReporter) ConsentURL(u string, opened bool) {
	r.init()
	w := r.errOut
	if opened {
		fmt.Fprintln(w, "\nA browser is opening Microsoft's sign-in and consent page. If it does not, open:")
	} else {
		fmt.Fprintln(w, "\nOpen this address in a browser, sign in and accept the consent screen:")
	}
	fmt.Fprintln(w, sanitize.Text(u))
	if r.loopback {
		fmt.Fprintf(w, "Waiting up to %s for the browser to come back (Ctrl+C to stop)…\n", verifyDuration(r.timeout))
	}
}

// Paste reads what the person copied from the browser with the one
// paste reader (ui/prompt): on a terminal a typed line or a whole
// multi-line paste (bracketed paste, or lines until an empty line), all
// of standard input otherwise. Nothing of a paste is left for the shell.
// Ctrl+C ends the wait.
func (r *verifyReporter) Paste(ctx context.Context) (string, error) {
	r.init()
	s, err := readPaste(ctx, r.io, r.errOut, r.term,
		"After accepting, paste the address the browser landed on (or the whole error page Microsoft showed)")
	if errors.Is(err, prompt.ErrInterrupted) {
		return "", ErrAborted
	}
	return s, err
}

// wireVerifyPrompts lets the person answer verify from the terminal
// while it waits: on loopback, a pasted Microsoft error page ends the wait
// at once (the browser never comes back from an error page); after "Need
// admin approval", a yes retries with prompt=select_account.
func wireVerifyPrompts(v *verify.Verifier, ios *IOStreams, termName string, loopback bool) {
	if loopback {
		v.Paste = verify.PasteFunc(func(ctx context.Context) (string, error) {
			s, err := readPaste(ctx, ios, ios.TextErr(), termName, strings.TrimSuffix(verify.LoopbackPasteHint, "."))
			if errors.Is(err, prompt.ErrInterrupted) {
				return "", ErrAborted
			}
			return s, err
		})
	}
	v.Confirm = func(ctx context.Context, q string) (bool, error) {
		fmt.Fprintf(ios.TextErr(), "%s [y/N]\n", sanitize.Text(q))
		s, err := prompt.ReadPaste(ctx, ios.In, prompt.PasteOptions{TTY: true, Term: termName, Echo: ios.ErrOut,
			Width: ios.EchoWidth(), Complete: func(string) bool { return true }})
		if errors.Is(err, prompt.ErrInterrupted) {
			return false, ErrAborted
		}
		if err != nil {
			return false, err
		}
		a := strings.ToLower(strings.TrimSpace(s))
		return a == "y" || a == "yes", nil
	}
}

// readPaste asks for and reads the browser's answer: the address it
// landed on or a Microsoft error page, on stderr and stdin. The prompt
// says how to finish, which depends on the terminal. A paste ends early
// only once it holds something ParsePasted can use, since a Microsoft
// error page has blank lines.
func readPaste(ctx context.Context, ios *IOStreams, w io.Writer, termName, ask string) (string, error) {
	o := prompt.PasteOptions{
		TTY:   ios.IsStdinTTY(),
		Term:  termName,
		Echo:  ios.ErrOut,
		Width: ios.EchoWidth(),
		Complete: func(s string) bool {
			_, err := verify.ParsePasted(s)
			return err == nil
		},
	}
	if m := o.Mode(ios.In); m == prompt.PasteAll {
		fmt.Fprintln(w, "Reading the address the browser landed on (or Microsoft's error text) from standard input…")
	} else {
		fmt.Fprintf(w, "%s, %s:\n", ask, m.Hint())
	}
	return prompt.ReadPaste(ctx, ios.In, o)
}

// verifyDuration writes whole minutes and seconds in words ("1
// second", "5 minutes"), as loopback's timeout error does.
func verifyDuration(d time.Duration) string { return loopback.HumanDuration(d) }
