package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/ui/common"
)

// WizardOptions are the wizard's dependencies and settings.
type WizardOptions struct {
	// Store keeps drafts and the saved config (NameTaken, SaveDraft,
	// DeleteDraft, SaveConfig are the methods the wizard calls).
	Store flow.Store
	// Permissions is the Graph delegated permission catalog.
	Permissions []flow.Permission
	// Help returns the short "why / where in the portal" text of a step.
	Help func(flow.StepID) string
	// Draft resumes a wizard: it starts after Draft.Step with every field
	// pre-filled (the demo passes pre-filled answers with Step "").
	Draft *flow.Draft
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// AllowCustomRedirect permits a redirect URI other than Hiveku's,
	// after confirmation (--allow-custom-redirect).
	AllowCustomRedirect bool
	// AddLoopback pre-ticks "also register http://localhost".
	AddLoopback bool
	// Verify runs the verification at step 8; nil: step 8 only says to
	// run `byok verify NAME`.
	Verify flow.VerifyFunc
	// QuitAfterSave ends the wizard as soon as the config is saved, with
	// a one-line confirmation instead of the next-steps screen: the demo
	// runs its own verification right after.
	QuitAfterSave bool
	// Doctor explains a pasted Microsoft error; when set, ctrl+e opens a
	// "paste an error" pane from any step.
	Doctor DoctorFunc
	// Accessible runs plain prompts on In/Out (screen readers), no TUI.
	Accessible bool
	// NoColor drops colours; status words carry the meaning.
	NoColor bool
	// In is where keys or accessible answers come from (os.Stdin when nil).
	In io.Reader
	// Out is where the TUI draws: stderr (os.Stderr when nil).
	Out io.Writer
	// Width and Height are the terminal size; 0 takes it from the
	// terminal (80×24 until the terminal reports).
	Width, Height int
}

// ErrAborted is returned by RunWizard when the person pressed Ctrl+C, or
// Esc twice on the first step. Drafts saved so far are kept.
var ErrAborted = errors.New("setup cancelled")

// RunWizard runs the wizard on o.In/o.Out (a TUI, or plain prompts when
// o.Accessible) and returns the saved config. It returns ErrAborted when
// the person quits (drafts are kept; after Save the saved config is
// returned with it) and a wrapped error if the terminal fails.
func RunWizard(ctx context.Context, o WizardOptions) (flow.Config, error) {
	if o.Accessible {
		return runPlain(ctx, o)
	}
	w := NewWizard(o)
	w.ctx = ctx
	opts := []tea.ProgramOption{tea.WithContext(ctx), tea.WithInput(w.o.In), tea.WithOutput(w.o.Out)}
	if o.NoColor {
		// NoColor removes colours from the styles themselves; keep bold
		// and reverse video (the text cursor): NO_COLOR asks for no
		// colour, not for no emphasis.
		opts = append(opts, tea.WithColorProfile(colorprofile.Ascii))
	}
	p := tea.NewProgram(w, opts...)
	m, err := p.Run()
	if fw, ok := m.(*Wizard); ok && fw != nil {
		w = fw
	}
	if w.cancelVerify != nil {
		w.cancelVerify()
	}
	if w.page == pageDone && w.saved && !w.o.QuitAfterSave {
		// Taller than the terminal, the last screen scrolled; here it
		// is whole, for the scrollback.
		fmt.Fprintln(w.o.Out, w.final())
	}
	switch {
	case w.aborted, errors.Is(err, tea.ErrProgramKilled), errors.Is(err, tea.ErrInterrupted), ctx.Err() != nil:
		if !w.saved && !w.o.QuitAfterSave { // the demo's store is thrown away
			fmt.Fprintln(w.o.Out, common.Wrap(w.abortNote(), w.common.Width))
		}
		return w.result, ErrAborted
	case err != nil:
		return w.result, fmt.Errorf("run wizard: %w", err)
	case !w.saved:
		return w.result, ErrAborted
	}
	return w.result, nil
}

// abortNote says what was kept when the person leaves before saving,
// and how to come back.
func (w *Wizard) abortNote() string {
	return stoppedNote(w.completed, w.draftName, w.o.Store)
}

// withDefaults fills what o leaves unset: the clock, the terminal's
// input and stderr, and no step help.
func (o WizardOptions) withDefaults() WizardOptions {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.In == nil {
		o.In = os.Stdin
	}
	if o.Out == nil {
		o.Out = os.Stderr
	}
	if o.Help == nil {
		o.Help = func(flow.StepID) string { return "" }
	}
	return o
}
