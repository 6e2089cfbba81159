package cmd

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"github.com/hiveku/byok/flow/sanitize"
	"github.com/hiveku/byok/ui/text"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/hiveku/byok/assets"
	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/graph"
	"github.com/hiveku/byok/flow/sim"
	"github.com/hiveku/byok/flow/verify"
	"github.com/hiveku/byok/storage"
	"github.com/hiveku/byok/ui"
	"github.com/hiveku/byok/ui/prompt"
	"github.com/spf13/cobra"
)

// DemoOptions holds `byok demo`'s dependencies and flags.
type DemoOptions struct {
	IO     *IOStreams
	Now    func() time.Time
	Getenv func(string) string

	Scenario        string
	List            bool
	Browser         bool // --browser: open a real browser even without $BROWSER
	TerminalConsent bool // --no-browser: always show the consent in the terminal
	Accessible      bool
	NoColor         bool
	// Pace is how long each check is at least shown running, with its
	// spinner, on a terminal (--pace; 0: as fast as the simulator).
	Pace time.Duration

	// wizard runs the setup wizard; tests replace it.
	wizard func(ctx context.Context, o ui.WizardOptions) (flow.Config, error)
	// confirm asks Accept/Cancel on a terminal; tests replace it.
	confirm func(ctx context.Context, title string, def bool) (bool, error)
	// openBrowser opens a real browser (nil: verify.BrowserOpener).
	openBrowser func(string) error
	// sleep waits between token attempts in the create scenario and
	// paces the checks (nil: a real timer); tests make it instant.
	sleep func(ctx context.Context, d time.Duration) error
	// clock measures how long a check ran, for the pacing (nil: the
	// real monotonic clock).
	clock func() time.Time
}

// NewCmdDemo builds `byok demo [--scenario NAME]`.
func NewCmdDemo(f *Factory) *cobra.Command {
	opts := &DemoOptions{IO: f.IO, Now: f.Now, Getenv: f.Getenv, wizard: ui.RunWizard}
	c := &cobra.Command{
		Use:   "demo [--scenario NAME]",
		Short: "Run the wizard and a live verification against the built-in simulator",
		Long: `Runs the setup wizard with pre-filled answers (press Enter to accept each) and
then the full "Verify it works" check against byok's built-in simulator of
Microsoft's sign-in and Graph endpoints, served on 127.0.0.1. No Microsoft
account is needed and nothing is written to your byok database.

Failure scenarios reproduce the guide's troubleshooting cases and end with
byok's diagnosis and the fix.`,
		Example: "  byok demo\n  byok demo --scenario redirect-mismatch\n  byok demo --list",
		Args:    cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			opts.NoColor = f.NoColor || !f.IO.ColorEnabled()
			opts.Accessible = opts.Accessible || f.Getenv("BYOK_ACCESSIBLE") == "1" || f.Getenv("ACCESSIBLE") == "1"
			if opts.confirm == nil {
				opts.confirm = func(ctx context.Context, title string, def bool) (bool, error) {
					return confirm(ctx, f.IO, opts.Accessible, opts.NoColor, title, def)
				}
			}
			return demoRun(c.Context(), opts)
		},
	}
	c.Flags().StringVar(&opts.Scenario, "scenario", "happy", "scenario to play (see --list)")
	c.Flags().BoolVar(&opts.List, "list", false, "list the scenarios and exit")
	c.Flags().BoolVar(&opts.Browser, "browser", false, "open the consent page in your browser (default when $BROWSER is set)")
	c.Flags().BoolVar(&opts.TerminalConsent, "no-browser", false, "show the consent screen in the terminal")
	c.Flags().BoolVar(&opts.Accessible, "accessible", false, "plain prompts for screen readers (also BYOK_ACCESSIBLE=1)")
	c.Flags().DurationVar(&opts.Pace, "pace", demoPace, "on a terminal, show each check running for at least this long, for an audience to follow (0: no pause)")
	return c
}

// demoPace is --pace's default. The simulator answers in milliseconds, so
// unpaced all twelve checks appear within 50 ms and nobody sees a check
// run. 400 ms shows each spinner for three or four of its frames (one
// every 120 ms), long enough to read the check's name, and keeps the
// whole checklist to about five seconds, short enough not to drag.
const demoPace = 400 * time.Millisecond

func demoRun(ctx context.Context, opts *DemoOptions) error {
	if opts.Pace < 0 {
		return flow.Invalid("--pace", "%s is negative", opts.Pace).WithFix("give a duration such as 400ms, or 0 for no pause")
	}
	now := opts.Now()
	out := opts.IO.ErrOut
	if opts.List {
		for _, sc := range sim.Scenarios(now) {
			fmt.Fprintf(opts.IO.Out, "%-26s %s\n", sc.Name, sc.Title)
		}
		fmt.Fprintf(opts.IO.Out, "%-26s %s\n", createScenario, createScenarioTitle)
		return nil
	}
	if opts.Scenario == createScenario {
		return demoCreate(ctx, opts)
	}
	sc, ok := sim.FindScenario(opts.Scenario, now)
	if !ok {
		var names []string
		for _, s := range sim.Scenarios(now) {
			names = append(names, s.Name)
		}
		names = append(names, createScenario)
		return flow.Invalid("scenario", "there is no scenario %q", opts.Scenario).
			WithFix("choose one of: %s", strings.Join(names, ", "))
	}

	// A private database: the demo never touches the user's configs.
	st, closeStore, err := openDemoStore(ctx, opts.Now)
	if err != nil {
		return err
	}
	defer closeStore()

	world := sim.New(sc.Options)
	srv, base, err := serveDemoSim(world)
	if err != nil {
		return err
	}
	defer srv.Close()

	realBrowser := !opts.TerminalConsent && (opts.Browser || strings.TrimSpace(opts.Getenv("BROWSER")) != "")
	cfg := sc.Config
	if realBrowser && sc.Name != "redirect-mismatch" {
		// A real browser can come back to byok itself: register the
		// loopback redirect URI on both sides so the presenter sees the
		// "you can close this tab" page instead of an unreachable Hiveku.
		for i := range sc.Options.Apps {
			sc.Options.Apps[i].WebRedirectURIs = append(sc.Options.Apps[i].WebRedirectURIs, flow.LoopbackRedirectURI)
		}
		world = sim.New(sc.Options)
		srv.Handler = world
		cfg.Loopback = true
	}

	// Text is laid out for stderr's terminal (80 columns when piped);
	// a URL too long for it stands alone at column 0, so it copies whole.
	width := opts.IO.ErrWidth()
	fmt.Fprintf(out, "%s\n%s\n\n", text.Wrap("byok demo · "+sc.Title, width), text.Wrap(sc.Description, width-2))
	fmt.Fprintf(out, "%s\n%s\n", text.Wrap("Microsoft is simulated at "+base+";", width), text.Wrap("nothing is written to your byok database.", width))

	perms, _ := assets.Permissions()
	err = cfg.Validate()
	if err == nil && !cfg.SecretInfo.Expires.IsZero() {
		// A secret that already expired is refused by the wizard's step 5
		// (the portal offers no past expiry): Enter would only repeat the
		// error, and a new expiry would contradict what Microsoft says.
		_, _, err = flow.ParseExpiry(cfg.SecretInfo.Expires.UTC().Format(time.DateOnly), now)
	}
	if err != nil {
		// Some scenarios start from a config the wizard would refuse
		// (e.g. a single-tenant app with tenant common, saved by hand or
		// imported): skip the wizard and let verify show what happens.
		fmt.Fprintf(out, "\n%s\n", text.Wrap("This scenario starts from a config the wizard refuses, as if it had been typed into Hiveku by hand, so the wizard is skipped. The wizard would say: "+sanitize.Text(userMessage(err, false)), width))
	} else if opts.IO.CanPrompt() {
		fmt.Fprintln(out, text.Wrap("The wizard's answers are pre-filled: press Enter to accept each, or change them.", width))
		saved, err := opts.wizard(ctx, ui.WizardOptions{
			Store: st, Permissions: perms, Help: assets.StepHelp,
			Draft: &flow.Draft{Config: cfg}, Now: opts.Now, QuitAfterSave: true,
			Accessible: opts.Accessible, NoColor: opts.NoColor,
			In: opts.IO.In, Out: out,
		})
		if err != nil {
			if errors.Is(err, ui.ErrAborted) {
				return ErrAborted
			}
			return err
		}
		saved.Loopback = saved.Loopback || cfg.Loopback
		cfg = saved
	} else {
		if err := st.SaveConfig(ctx, cfg, true); err != nil {
			return fmt.Errorf("save demo config: %w", err)
		}
		fmt.Fprintf(out, "\n%s\n", text.Wrap(fmt.Sprintf("Saved %q (%s, tenant %s, secret %s) as the wizard would.", cfg.Name, cfg.AccountType.Short(), cfg.Tenant, cfg.Secret.Hint()), width))
	}

	heading := text.Wrap(fmt.Sprintf("Step 8 · Verify it works (as %s)", sc.User), width)
	fmt.Fprintf(out, "\n%s\n", heading)
	// From here the paste prompt (on the verifier's reader goroutine) and
	// the checklist share the output while the browser is out.
	out = &lockedWriter{w: out}
	var live *liveLine
	// The live checklist (spinner, hint, pacing, redraw) needs a terminal
	// that can redraw, on the stream the demo writes to (stderr); a
	// screen reader gets plain lines.
	if opts.IO.IsStderrTTY() && !opts.IO.DumbTerminal() && !opts.Accessible {
		live = newLiveLine(out)
		out = live
		liveCtx, stopLive := context.WithCancel(ctx)
		stopped := make(chan struct{})
		go func() {
			defer close(stopped)
			live.run(liveCtx, 120*time.Millisecond)
		}()
		// The spinner's line is cleared before anything else (an error
		// on stderr) is written after the demo.
		defer func() { stopLive(); <-stopped }()
		if !realBrowser {
			// Keys pressed while the checks run would be echoed into
			// the lines being redrawn; nothing is asked but the consent
			// (a real browser's paste prompt needs the echo).
			defer prompt.Quiet(opts.IO.In)()
		}
	}
	b := newDemoBrowser(world, &http.Client{Timeout: 30 * time.Second}, sc.User, sc.Accept, out, width)
	b.plain = opts.Accessible || opts.IO.DumbTerminal()
	if opts.IO.CanPrompt() {
		b.ask = opts.confirm
		if live != nil {
			// The question is on stderr: no spinner on its line.
			b.ask = func(ctx context.Context, title string, def bool) (bool, error) {
				live.Pause()
				defer live.Resume()
				// An Enter pressed while the checks ran must not answer.
				prompt.DiscardPending(opts.IO.In)
				return opts.confirm(ctx, title, def)
			}
		}
	}
	v := verify.NewVerifier()
	v.HTTP = &http.Client{Timeout: 30 * time.Second}
	v.Now = opts.Now
	v.Endpoints = verify.Endpoints{AuthorityHost: base, GraphHost: base}
	v.Mode = verify.ModePaste
	if cfg.Loopback {
		v.Mode = verify.ModeLoopback
	}
	v.Diagnose = doctorFix()
	if realBrowser {
		open := opts.openBrowser
		if open == nil {
			open = verify.BrowserOpener(opts.Getenv("BROWSER"), runtime.GOOS)
		}
		v.OpenBrowser = open
		if cfg.Loopback {
			// The browser never comes back from a Microsoft error page:
			// the presenter pastes it while byok waits, as in verify.
			termName := opts.Getenv("TERM")
			v.Paste = verify.PasteFunc(func(ctx context.Context) (string, error) {
				s, err := readPaste(ctx, opts.IO, out, termName, "  "+strings.TrimSuffix(verify.LoopbackPasteHint, "."))
				if errors.Is(err, prompt.ErrInterrupted) {
					return "", ErrAborted
				}
				return s, err
			})
		}
	} else {
		v.OpenBrowser = func(u string) error { return b.open(ctx, u) }
	}
	rep := &demoReporter{out: out, color: !opts.NoColor, browser: b, real: realBrowser, io: opts.IO, term: opts.Getenv("TERM"), live: live,
		heading: heading, ctx: ctx}
	if live != nil && opts.Pace > 0 {
		// Only on a terminal: piped output (a script, CI) is not paced.
		rep.pace, rep.sleep, rep.clock = opts.Pace, opts.sleep, opts.clock
		if rep.sleep == nil {
			rep.sleep = graph.Sleep
		}
		if rep.clock == nil {
			rep.clock = time.Now
		}
	}
	run, err := v.Verify(ctx, cfg, rep, false)
	if b.stopped() || ctx.Err() != nil {
		// Ctrl+C at the consent question: cancelled (exit 130), not a
		// failed check.
		return ErrAborted
	}
	if err != nil {
		return err
	}
	run.Name = cfg.Name
	_ = st.SaveRun(ctx, run)

	fmt.Fprintln(out)
	if run.Failed() {
		fmt.Fprintln(out, text.Wrap("The demo app does not work yet: byok's diagnosis and the fix are above.\nWith your own app you would fix it in the portal and run byok verify NAME again.", width))
		return ErrSilent
	}
	fmt.Fprintln(out, text.Wrap(fmt.Sprintf("It works: %s connected as %s.\nFor your own app: byok setup, then byok verify NAME.", cfg.Name, orUnknown(run.Email)), width))
	return nil
}

func orUnknown(s string) string {
	if s == "" {
		return "(no address)"
	}
	return s
}

// demoBrowser puts the simulator's scripted browser (sim.Browser) on the
// terminal when no real browser is used: it shows the consent page as
// text, asks the presenter Accept or Cancel (or takes the scenario's
// choice without a terminal), and says where the browser ended up.
type demoBrowser struct {
	sim.Browser
	out   io.Writer
	width int  // stderr's, for the consent page and the landing
	plain bool // questions in plain lines (accessible, TERM=dumb): no key hints
	ask   func(ctx context.Context, title string, def bool) (bool, error)

	mu       sync.Mutex
	aborted  bool // the presenter pressed Ctrl+C at the consent question
	answered bool // the presenter answered the consent question
}

// stopped reports whether the presenter pressed Ctrl+C at the consent
// question.
func (b *demoBrowser) stopped() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.aborted
}

// asked reports whether the presenter answered the consent question.
func (b *demoBrowser) asked() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.answered
}

// newDemoBrowser returns the browser of user on world, answering accept
// unless ask is set later.
func newDemoBrowser(world *sim.Server, client *http.Client, user string, accept bool, out io.Writer, width int) *demoBrowser {
	b := &demoBrowser{out: out, width: width}
	b.Browser = sim.Browser{Server: world, Client: client, User: user, Accept: accept, Decide: b.decide}
	return b
}

// open is the verifier's OpenBrowser: the browser goes to authURL.
func (b *demoBrowser) open(ctx context.Context, authURL string) error {
	l, err := b.Open(ctx, authURL)
	if err != nil {
		return err
	}
	if l.Page != nil {
		fmt.Fprintf(b.out, "\n%s\n%s\n\n", text.Wrap("  The browser shows a Microsoft error page:", b.width), text.Indent(text.Wrap(clipLines(sanitize.Text(l.Page.Text), 6), b.width-4), "  │ "))
		return nil
	}
	addr, carries := l.Where()
	if carries != "" {
		addr += "\n  with " + carries
	}
	fmt.Fprintln(b.out, text.Wrap("  The browser goes back to "+sanitize.Text(addr), b.width))
	return nil
}

// decide shows the consent page and answers it.
func (b *demoBrowser) decide(ctx context.Context, consent string) (bool, error) {
	fmt.Fprintf(b.out, "\n%s\n%s\n\n", text.Wrap("  Microsoft's consent screen (simulated):", b.width), text.Indent(text.Wrap(sanitize.Text(consent), b.width-4), "  │ "))
	if b.ask == nil {
		press := "Accept"
		if !b.Accept {
			press = "Cancel"
		}
		fmt.Fprintln(b.out, text.Wrap(fmt.Sprintf("  %s presses %s.", b.User, press), b.width))
		return b.Accept, nil
	}
	// The consent page pushed the heading out of sight: say again where
	// we are and which keys answer.
	keys := "\n←/→ choose · enter answers · ctrl+c stops"
	if b.plain {
		keys = "" // a plain question says how to answer it
	}
	fmt.Fprintln(b.out, text.Wrap(fmt.Sprintf("Step 8 · Verify it works · %s is asked to consent%s", b.User, keys), b.width))
	accept, err := b.ask(ctx, "Accept these permissions?", b.Accept)
	b.mu.Lock()
	b.aborted = err != nil && isAbort(err)
	b.answered = err == nil
	b.mu.Unlock()
	return accept, err
}

// demoReporter prints the verification as a checklist and answers the
// paste prompt with where the demo browser ended up.
type demoReporter struct {
	out     io.Writer
	color   bool
	browser *demoBrowser
	real    bool
	io      *IOStreams
	term    string    // $TERM, for how a paste is read
	live    *liveLine // the spinner on a terminal, or nil
	heading string    // Step 8's heading
	lines   []string  // the checks printed so far

	// pace is how long a check is at least shown running (0: no
	// pacing); sleep waits, clock measures, ctx ends the wait.
	pace    time.Duration
	sleep   func(ctx context.Context, d time.Duration) error
	clock   func() time.Time
	ctx     context.Context
	started time.Time
}

func (r *demoReporter) Started(id string) {
	if r.live != nil {
		r.live.Start(id)
	}
	if r.pace > 0 {
		r.started = r.clock()
	}
}

// Finished shows c once it has been shown running for the pace (a
// skipped check at once). After
// the presenter answered the consent question, the consent page and the
// question are wiped and the heading and the checklist so far drawn
// again at the top, so the rest of the checklist runs under its heading.
func (r *demoReporter) Finished(c flow.Check) {
	if r.pace > 0 && c.Status != flow.Skip { // a skipped check did not run
		if d := r.pace - r.clock().Sub(r.started); d > 0 {
			_ = r.sleep(r.ctx, d) // Ctrl+C ends the wait, and the demo
		}
	}
	if r.live != nil {
		r.live.Done()
	}
	line := text.Check(c, r.io.ErrWidth(), r.color)
	r.lines = append(r.lines, line)
	if c.ID == flow.CheckConsent && r.live != nil && r.browser.asked() {
		fmt.Fprintf(r.out, "\x1b[H\x1b[2J%s\n%s\n", r.heading, strings.Join(r.lines, "\n"))
		return
	}
	fmt.Fprintln(r.out, line)
}

func (r *demoReporter) ConsentURL(u string, opened bool) {
	if !r.real {
		return
	}
	// The address stands alone at column 0: it copies whole.
	if opened {
		fmt.Fprintf(r.out, "  Opened the consent page in your browser:\n%s\n", u)
	} else {
		fmt.Fprintf(r.out, "  Open this address in a browser:\n%s\n", u)
	}
	// The presenter needs to know who to be and what to press, and that
	// byok is waiting rather than stuck.
	press := "Accept"
	if !r.browser.Accept {
		press = "Cancel"
	}
	fmt.Fprintln(r.out, text.Wrap(fmt.Sprintf("  Sign in as %s and press %s on the consent page.\n  Waiting for the browser to come back to byok…", r.browser.User, press), r.io.ErrWidth()))
}

func (r *demoReporter) Paste(ctx context.Context) (string, error) {
	if !r.real {
		if r.browser.stopped() {
			// Ctrl+C at the consent question: the verification ends
			// here, with no consent check failed for want of a paste.
			return "", ErrAborted
		}
		return r.browser.Landed().Pasted(), nil
	}
	s, err := readPaste(ctx, r.io, r.out, r.term, "  Paste the address your browser landed on (or the error text)")
	if errors.Is(err, prompt.ErrInterrupted) {
		return "", ErrAborted
	}
	return s, err
}

// clipLines keeps the first n lines of s, marking the cut.
func clipLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = append(lines[:n], "…")
	}
	return strings.Join(lines, "\n")
}

// openDemoStore opens a throw-away database with a random key in a new
// temporary directory: the demo never touches the user's configs. close
// closes it and removes the directory.
// serveDemoSim serves the simulated Microsoft on loopback only, at the
// returned base address, until the server is closed.
func serveDemoSim(world http.Handler) (*http.Server, string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", fmt.Errorf("start simulator: %w", err)
	}
	srv := &http.Server{Handler: world, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return srv, "http://" + ln.Addr().String(), nil
}

func openDemoStore(ctx context.Context, now func() time.Time) (st *storage.Store, close func(), err error) {
	dir, err := os.MkdirTemp("", "byok-demo-")
	if err != nil {
		return nil, nil, fmt.Errorf("create demo directory: %w", err)
	}
	key := make([]byte, 32)
	if _, err := io.ReadFull(rand.Reader, key); err != nil {
		os.RemoveAll(dir)
		return nil, nil, fmt.Errorf("make demo key: %w", err)
	}
	st, err = storage.Open(ctx, storage.Options{Path: filepath.Join(dir, "demo.db"), Key: base64.StdEncoding.EncodeToString(key), Now: now})
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, fmt.Errorf("open demo database: %w", err)
	}
	return st, func() { st.Close(); os.RemoveAll(dir) }, nil
}
