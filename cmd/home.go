package cmd

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/verify"
	"github.com/hiveku/byok/ui/home"
)

// homeDeps are the side effects of the home screen loop: drawing the
// screen, running the wizard, running an action's command and waiting
// for the person to read its output. Tests replace them.
type homeDeps struct {
	// show runs the home screen on the terminal and returns the choice.
	show func(ctx context.Context, m *home.Model) (home.Choice, error)
	// setup runs the interactive wizard: a new config when resume is
	// empty, else the draft of that name.
	setup func(ctx context.Context, resume string) error
	// act runs the command of a verify, rotate, delete, show, export or
	// doctor choice (homeAct); out is export's file.
	act func(ctx context.Context, c home.Choice, out string) error
	// pause waits until the person has read a command's output.
	pause func(ctx context.Context) error
	// exportPath picks the file `e` writes the support bundle to.
	exportPath func(name string) string
	// clear wipes what the last action printed, so that output does not
	// pile up above the next one (nil: nothing to clear).
	clear func()
}

// homeRun is `byok` with no command on a terminal: with no saved config
// and no draft it starts the wizard; otherwise it shows the home screen
// (saved configs, drafts, actions), performs the chosen action with the
// same code as its subcommand, and shows the screen again until the
// person quits. The lead wires it as f.Home.
//
// With BYOK_ACCESSIBLE set it runs the setup wizard's accessible prompts
// instead (offering to resume a draft), as byok did before the home
// screen: a full-screen list does not read well with a screen reader, and
// byok list, show and the other commands print plain text.
func homeRun(ctx context.Context, f *Factory) error {
	if ok, _ := strconv.ParseBool(f.getenv("BYOK_ACCESSIBLE")); ok {
		opts := newSetupOptions(f)
		opts.Interactive, opts.Accessible = true, true
		opts.NoColor = f.NoColor || !f.IO.ColorEnabled()
		return setupRun(ctx, opts)
	}
	return homeLoop(ctx, f, homeDeps{
		show:       homeShow(f),
		setup:      homeSetup(f),
		act:        homeAct(f, nil),
		pause:      homePause(f.IO),
		exportPath: homeExportPath,
		clear:      homeClear(f.IO),
	})
}

// homeLoop is homeRun with its side effects injected.
func homeLoop(ctx context.Context, f *Factory, d homeDeps) error {
	st, err := f.Store(ctx)
	if err != nil {
		return err
	}
	consentURLs := f.ConsentURLs
	if consentURLs == nil {
		e, err := verify.CloudEndpoints("global")
		if err != nil {
			return err
		}
		consentURLs = ConsentURLs(e, rand.Reader)
	}
	var status, selected, deleting string
	var before []flow.Listing // the configs when the last action started
	var draftsBefore []flow.Draft
	setupStopped := false // the last action was a wizard left with Ctrl+C
	for first := true; ; first = false {
		listings, err := st.ListConfigs(ctx)
		if err != nil {
			return fmt.Errorf("list configs: %w", err)
		}
		drafts, err := st.ListDrafts(ctx)
		if err != nil {
			return fmt.Errorf("list drafts: %w", err)
		}
		if first && len(listings) == 0 && len(drafts) == 0 {
			// Nothing to show yet: the wizard is the home screen.
			if err := d.setup(ctx, ""); err != nil {
				return err
			}
			continue
		}
		if deleting != "" && homeHas(listings, deleting) {
			status = fmt.Sprintf("%q was not deleted", deleting)
		}
		deleting = ""
		if name := homeNewName(before, listings); name != "" {
			selected = name // the config the wizard just saved
		}
		if name := homeNewDraft(draftsBefore, drafts); name != "" && setupStopped && before != nil {
			// The wizard's "kept as the draft" note was wiped with its
			// screen: the status line says it, and the draft is selected.
			selected = name
			status = fmt.Sprintf("setup stopped; its answers are kept as the draft %q: enter resumes it", name)
		}
		before, draftsBefore, setupStopped = listings, drafts, false
		w, h := f.IO.TerminalSize()
		m := home.New(home.Options{
			Listings:    listings,
			Drafts:      drafts,
			Now:         f.Now,
			NoColor:     f.NoColor || !f.IO.ColorEnabled(),
			Width:       w,
			Height:      h,
			ConsentURLs: consentURLs,
			Status:      status,
			Selected:    selected,
		})
		choice, err := d.show(ctx, m)
		if err != nil {
			return err
		}
		if choice.Name != "" {
			selected = choice.Name
		}
		var out string
		if choice.Action != home.None && choice.Action != home.Quit && d.clear != nil {
			d.clear()
		}
		switch choice.Action {
		case home.None, home.Quit:
			return nil
		case home.Setup:
			err = d.setup(ctx, "")
		case home.Resume:
			err = d.setup(ctx, choice.Name)
		case home.Verify, home.Rotate, home.Delete, home.Show, home.Doctor:
			err = d.act(ctx, choice, "")
		case home.Export:
			out = d.exportPath(choice.Name)
			err = d.act(ctx, choice, out)
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		status = homeStatus(choice, out, err, f.Debug)
		setupStopped = choice.Action == home.Setup && isAbort(err)
		if err == nil && choice.Action == home.Delete {
			deleting = choice.Name
		}
		if err != nil && !isAbort(err) {
			reportError(f, err)
		}
		if (err != nil && !isAbort(err)) || homeNeedsPause(choice.Action) {
			if err := d.pause(ctx); err != nil {
				return err
			}
		}
		if d.clear != nil {
			// What the action printed was read (or is repeated by the
			// status line, as delete's "✓ Deleted"): wipe it, or it
			// turns up stale under the shell prompt once home quits.
			d.clear()
		}
	}
}

// homeHas reports whether listings hold a config called name.
func homeHas(listings []flow.Listing, name string) bool {
	for _, l := range listings {
		if strings.EqualFold(l.Config.Name, name) {
			return true
		}
	}
	return false
}

// homeNewName returns the name of a config in after that is not in
// before, or "" (before nil: the first screen).
func homeNewName(before, after []flow.Listing) string {
	if before == nil {
		return ""
	}
	for _, l := range after {
		if !homeHas(before, l.Config.Name) {
			return l.Config.Name
		}
	}
	return ""
}

// homeNewDraft returns the name of a draft in after that is not in
// before, or "".
func homeNewDraft(before, after []flow.Draft) string {
	for _, d := range after {
		found := false
		for _, b := range before {
			if strings.EqualFold(b.Config.Name, d.Config.Name) {
				found = true
				break
			}
		}
		if !found {
			return d.Config.Name
		}
	}
	return ""
}

// homeNeedsPause reports whether action prints something the person
// has to read before the home screen covers it.
func homeNeedsPause(a home.Action) bool {
	switch a {
	case home.Verify, home.Rotate, home.Doctor, home.Export, home.Show:
		return true
	}
	return false
}

// homeStatus is the home screen's one-line report of the last action.
func homeStatus(c home.Choice, out string, err error, debug bool) string {
	what := c.Action.String()
	if c.Action == home.Setup {
		what = "setup"
	}
	if c.Name != "" {
		what += fmt.Sprintf(" %q", c.Name)
	}
	switch {
	case err == nil && c.Action == home.Export:
		return fmt.Sprintf("✓ exported %q to %s", c.Name, out)
	case err == nil && c.Action == home.Delete:
		return fmt.Sprintf("✓ deleted %q", c.Name)
	case err == nil:
		return "✓ " + what + " finished"
	case isAbort(err):
		return what + " cancelled"
	case errors.Is(err, ErrSilent):
		return fmt.Sprintf("✗ %s failed (exit %d)", what, flow.ExitCode(err))
	}
	msg, _, _ := strings.Cut(userMessage(err, debug), "\n")
	return "✗ " + what + ": " + msg
}

// homeShow runs the home model as a full-screen program drawn on stderr.
func homeShow(f *Factory) func(ctx context.Context, m *home.Model) (home.Choice, error) {
	return func(ctx context.Context, m *home.Model) (home.Choice, error) {
		opts := []tea.ProgramOption{tea.WithContext(ctx), tea.WithInput(f.IO.In), tea.WithOutput(f.IO.ErrOut)}
		if f.NoColor || !f.IO.ColorEnabled() {
			opts = append(opts, tea.WithColorProfile(colorprofile.Ascii))
		}
		p := tea.NewProgram(m, opts...)
		final, err := p.Run()
		if err != nil {
			if ctx.Err() != nil {
				return home.Choice{}, ctx.Err()
			}
			return home.Choice{}, fmt.Errorf("run home screen: %w", err)
		}
		if fm, ok := final.(*home.Model); ok {
			return fm.Choice(), nil
		}
		return home.Choice{Action: home.Quit}, nil
	}
}

// homeSetup runs the setup command's interactive wizard: a fresh one
// (runWizard, without setupRun's "resume the draft?" question, since the
// person chose "new"), or setupRun resuming the named draft.
func homeSetup(f *Factory) func(ctx context.Context, resume string) error {
	return func(ctx context.Context, resume string) error {
		opts := newSetupOptions(f)
		opts.Interactive = true
		opts.NoColor = f.NoColor || opts.Getenv("NO_COLOR") != ""
		opts.Accessible, _ = strconv.ParseBool(opts.Getenv("BYOK_ACCESSIBLE"))
		if resume == "" {
			return opts.Wizard(ctx, opts, nil)
		}
		opts.Resume = resume
		return setupRun(ctx, opts)
	}
}

// homeAct runs a home-screen action with its command's run function
// and the options its command starts from (newVerifyOptions…), so that
// an action behaves like `byok ACTION NAME` with no flags: verify's
// cloud and timeout, rotate's prompts (the new secret; replacing it when
// Microsoft could not be asked), delete's confirmation. Doctor compares
// with the selected config (--name) and export writes to out (--out).
// adjust, when not nil, sees the options before the run (tests point
// them away from the network).
func homeAct(f *Factory, adjust func(opts any)) func(ctx context.Context, c home.Choice, out string) error {
	if adjust == nil {
		adjust = func(any) {}
	}
	return func(ctx context.Context, c home.Choice, out string) error {
		switch c.Action {
		case home.Verify:
			opts := newVerifyOptions(f)
			opts.Name = c.Name
			adjust(opts)
			return verifyRun(ctx, opts)
		case home.Rotate:
			opts := newRotateOptions(f)
			opts.Name = c.Name
			adjust(opts)
			return rotateRun(ctx, opts)
		case home.Delete:
			opts := newDeleteOptions(f)
			opts.Name = c.Name
			adjust(opts)
			return deleteRun(ctx, opts)
		case home.Show:
			opts := newShowOptions(f)
			opts.Name = c.Name
			adjust(opts)
			return showRun(ctx, opts)
		case home.Export:
			opts := newExportOptions(f)
			opts.Name, opts.Out = c.Name, out
			adjust(opts)
			return exportRun(ctx, opts)
		case home.Doctor:
			opts := newDoctorOptions(f)
			opts.Name = c.Name
			adjust(opts)
			return doctorRun(ctx, opts)
		}
		return fmt.Errorf("home action %v has no command", c.Action)
	}
}

// homePause asks the person to press Enter and waits for it (or end of
// input, or ctx).
func homePause(ios *IOStreams) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		fmt.Fprint(ios.ErrOut, "\nPress Enter to return to the home screen.")
		done := make(chan error, 1)
		go func() {
			b := make([]byte, 1)
			for {
				n, err := ios.In.Read(b)
				if n == 1 && b[0] == '\n' || n == 1 && b[0] == '\r' {
					done <- nil
					return
				}
				if err != nil {
					if errors.Is(err, io.EOF) {
						err = nil
					}
					done <- err
					return
				}
			}
		}()
		select {
		case err := <-done:
			if err != nil {
				return fmt.Errorf("read enter: %w", err)
			}
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// homeClear clears the terminal (cursor home, erase display) between
// home-screen actions on a terminal; nil elsewhere.
func homeClear(ios *IOStreams) func() {
	if !ios.IsStderrTTY() {
		return nil
	}
	return func() { fmt.Fprint(ios.ErrOut, "\x1b[H\x1b[2J") }
}

// homeExportPath names the bundle file for config name in the current
// directory ("acme-hiveku-bundle.json"), adding -2, -3… rather than
// replacing a file that exists.
func homeExportPath(name string) string {
	slug := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			return r
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		}
		return '-'
	}, name)
	slug = strings.Trim(slug, "-")
	for strings.Contains(slug, "--") {
		slug = strings.ReplaceAll(slug, "--", "-")
	}
	if slug == "" {
		slug = "byok"
	}
	path := slug + "-bundle.json"
	for i := 2; ; i++ {
		if _, err := os.Stat(path); err != nil {
			return path // free (or unreadable: export reports why)
		}
		path = fmt.Sprintf("%s-bundle-%d.json", slug, i)
	}
}
