// Package ui holds byok's terminal user interface: the setup wizard as a
// bubbletea program. The Wizard is a coordinator: it shows one screen of
// package screens at a time, built from flow's step definitions, and
// runs the steps' Submit on their answers. Accessible mode is a plain
// loop over the same steps (accessible.go).
//
// ui knows flow's types, validators and steps; it never talks to SQLite or
// HTTP itself. Storage arrives as a flow.Store and verification as a
// flow.VerifyFunc, both called from tea.Cmds so that Update never blocks.
package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/ui/common"
	"github.com/hiveku/byok/ui/components/checklist"
	"github.com/hiveku/byok/ui/screens"
)

// page is what the wizard shows: a step's fields or one of its own
// screens around the steps.
type page int

const (
	pageBefore      page = iota // "Before you start", on a new wizard only
	pageStep                    // a group of w.step's fields
	pageRedirectFix             // what to do about a redirect URI that is not Hiveku's
	pageReview
	pageVerifyAsk
	pageVerifying
	pagePaste
	pageDone
)

// Wizard is the setup wizard's bubbletea model, a coordinator: it holds
// the answers and the config so far, shows one screen (package screens)
// at a time, built from the current step's fields in flow, runs the
// step's Submit on what the screen reports, and saves drafts, the
// config and the verification's progress. Create it with NewWizard.
type Wizard struct {
	o      WizardOptions
	ctx    context.Context
	common common.Common
	page   page
	step   flow.StepID // the step on screen (pageStep)
	part   int         // which group of the step's fields (see groups)
	screen screens.Screen

	answers     flow.Answers
	cfg         flow.Config       // the steps submitted so far
	warns       map[string]string // steps' warnings by field, for review
	badRedirect string            // the redirect URI pageRedirectFix is about

	completed flow.StepID // last completed step
	draftName string      // name the last draft was saved under
	editing   bool        // return to review after the step
	quitArmed bool        // Esc pressed once on step 1
	busy      string      // shown while a store call runs
	notes     []string
	draftErr  string

	saved    bool
	result   flow.Config
	doneTop  int // first line of the last screen in sight
	aborted  bool
	quitting bool
	// doctor is the open "paste an error" pane, or nil.
	doctor *doctorPane

	// verification
	checks       checklist.Model
	events       chan tea.Msg
	pasteAns     chan string
	cancelVerify context.CancelFunc
	consentURL   string
	opened       bool
	run          *flow.Run
	verifyErr    error
}

// NewWizard returns the wizard model for o, positioned at the first step
// or, with o.Draft, at the step after the draft's last completed one.
func NewWizard(o WizardOptions) *Wizard {
	o = o.withDefaults()
	width, height := o.Width, o.Height
	if width <= 0 {
		width = 80
	}
	if height <= 0 {
		height = 24
	}
	w := &Wizard{
		o:       o,
		ctx:     context.Background(),
		common:  common.NewCommon(width, height, o.NoColor),
		answers: flow.DefaultAnswers(),
		warns:   map[string]string{},
	}
	w.checks = checklist.New(&w.common)
	w.answers.Loopback = o.AddLoopback
	if d := o.Draft; d != nil {
		w.cfg = d.Config
		w.answers = flow.AnswersFrom(d.Config)
		w.answers.Loopback = d.Config.Loopback || o.AddLoopback
		w.completed = d.Step
		if d.Step != "" {
			// A saved draft. Answers pre-filled from flags or by the
			// demo (no step completed) were never saved under that
			// name: a rename must not delete someone's draft of it.
			w.draftName = d.Config.Name
		}
		next := flow.StepName
		if d.Step != "" {
			var ok bool
			if next, ok = flow.Next(d.Step); !ok || next == flow.StepVerify {
				next = flow.StepReview
			}
		}
		w.openStep(next)
	} else {
		w.open(pageBefore, flow.StepName, 0)
	}
	return w
}

// Config returns the config so far: the steps submitted (secret
// included, never printed: flow.Secret redacts).
func (w *Wizard) Config() flow.Config { return w.cfg }

// Step reports the step on screen (StepVerify after the save).
func (w *Wizard) Step() flow.StepID {
	switch w.page {
	case pageBefore:
		return flow.StepName
	case pageStep:
		return w.step
	case pageRedirectFix:
		return flow.StepRedirect
	case pageReview:
		return flow.StepReview
	}
	return flow.StepVerify
}

// Saved returns the saved config and true once Save succeeded.
func (w *Wizard) Saved() (flow.Config, bool) { return w.result, w.saved }

// Aborted reports whether the person quit (Ctrl+C, Esc on step 1).
func (w *Wizard) Aborted() bool { return w.aborted }

// Init starts the current screen.
func (w *Wizard) Init() tea.Cmd {
	if w.screen == nil {
		return nil
	}
	return w.screen.Init()
}

// msgs from tea.Cmds.
type (
	nameCheckedMsg struct {
		name  string
		taken bool
		err   error
	}
	draftSavedMsg struct {
		step flow.StepID
		err  error
	}
	savedMsg struct {
		cfg flow.Config
		err error
	}
)

// Update handles the keys that are the wizard's own (quit, the doctor
// pane, the last screen), what the screen reports, and the results of
// store and verify commands; everything else goes to the screen.
func (w *Wizard) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	km := w.common.KeyMap
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		w.common.SetSize(msg.Width, msg.Height)
		w.sizeDoctor()
		return w, w.layout()
	case tea.PasteMsg:
		if w.doctor != nil {
			return w.updateDoctor(msg)
		}
		if w.busy != "" {
			return w, nil
		}
	case tea.KeyPressMsg:
		if w.doctor != nil && !key.Matches(msg, km.Quit) {
			return w.updateDoctor(msg)
		}
		switch {
		case key.Matches(msg, km.Doctor) && w.canDoctor():
			w.doctor = newDoctorPane(w.common.Width)
			w.sizeDoctor()
			return w, textarea.Blink
		case key.Matches(msg, km.Quit):
			return w, w.abort()
		case !key.Matches(msg, km.Back):
			w.quitArmed = false
		}
		if w.page == pageDone {
			switch {
			case key.Matches(msg, km.Finish), key.Matches(msg, km.Back):
				w.quitting = true
				return w, tea.Quit
			case key.Matches(msg, km.Scroll):
				w.scrollDone(map[string]int{"up": -1, "down": 1, "pgup": -10, "pgdown": 10}[msg.String()])
			}
			return w, nil
		}
		if w.busy != "" {
			return w, nil
		}
	case screens.SubmittedMsg:
		return w, w.submit(msg)
	case screens.BackMsg:
		return w, w.back()
	case nameCheckedMsg:
		w.busy = ""
		switch {
		case msg.err != nil:
			return w, w.fail(fmt.Errorf("check name: %w", msg.err))
		case msg.taken:
			return w, w.fail(nameTakenError(msg.name))
		}
		return w, w.complete(flow.StepName)
	case draftSavedMsg:
		w.draftErr = ""
		if msg.err != nil {
			w.draftErr = "draft not saved: " + userText(msg.err)
		}
		return w, w.layout()
	case savedMsg:
		return w, w.onSaved(msg)
	case checkStartedMsg, checkFinishedMsg, consentURLMsg, pasteRequestMsg, verifyDoneMsg:
		return w, w.verifyEvent(msg)
	case spinner.TickMsg:
		var cmd tea.Cmd
		w.checks, cmd = w.checks.Update(msg)
		if w.page != pageVerifying && w.page != pagePaste {
			return w, nil
		}
		return w, cmd
	}
	if w.screen == nil {
		return w, nil
	}
	_, cmd := w.screen.Update(msg)
	return w, cmd
}

// open shows page p (for pageStep: group part of step id) with a new
// screen, sized to what the header, footer and messages leave.
func (w *Wizard) open(p page, id flow.StepID, part int) tea.Cmd {
	w.page, w.step, w.part = p, id, part
	w.screen = w.newScreen()
	if w.screen == nil {
		return nil
	}
	w.layout()
	return w.screen.Init()
}

// openStep shows the first screen of step id.
func (w *Wizard) openStep(id flow.StepID) tea.Cmd {
	switch id {
	case flow.StepReview:
		return w.open(pageReview, id, 0)
	case flow.StepVerify:
		return w.open(pageVerifyAsk, id, 0)
	}
	return w.open(pageStep, id, 0)
}

// layout sizes the screen to the terminal less the header, the footer,
// the wizard's messages and the blank lines between them.
func (w *Wizard) layout() tea.Cmd {
	if w.screen == nil {
		return nil
	}
	h := w.common.Height - 3 - lipgloss.Height(common.Wrap(w.footer(), w.common.Width))
	if m := w.messages(); m != "" {
		h -= lipgloss.Height(common.Wrap(m, w.common.Width)) + 1
	}
	return w.screen.SetSize(w.common.Width, max(h, 3))
}

// abort quits, keeping drafts; a running verification is cancelled.
func (w *Wizard) abort() tea.Cmd {
	w.aborted = true
	w.quitting = true
	if w.cancelVerify != nil {
		w.cancelVerify()
	}
	return tea.Quit
}

// back goes to the previous screen (Esc). On step 1 the first Esc warns
// and the second quits.
func (w *Wizard) back() tea.Cmd {
	if w.busy != "" {
		return nil
	}
	switch w.page {
	case pageBefore, pageDone:
		return w.abort()
	case pageVerifyAsk:
		w.page, w.screen = pageDone, nil
		return nil
	case pageVerifying, pagePaste:
		return nil
	case pageRedirectFix:
		w.notes = nil
		return w.open(pageStep, flow.StepRedirect, 0)
	case pageStep:
		if w.part > 0 {
			w.notes = nil
			return w.open(pageStep, w.step, w.part-1)
		}
		if w.step == flow.StepName {
			if w.quitArmed {
				return w.abort()
			}
			w.quitArmed = true
			w.notes = []string{"press esc again to leave setup; the steps you completed are kept as a draft"}
			return w.layout()
		}
		if w.editing {
			w.editing = false
			w.notes = nil
			return w.open(pageReview, flow.StepReview, 0)
		}
	}
	prev, ok := flow.Prev(w.Step())
	if !ok {
		return nil
	}
	w.notes = nil
	return w.openStep(prev)
}

// fail shows err on the current screen, which asks again with the
// answers kept (except a rejected secret value).
func (w *Wizard) fail(err error) tea.Cmd {
	w.busy = ""
	if w.screen == nil {
		return nil
	}
	return w.screen.Fail(w.redact(userText(err)))
}

// redact removes the secret from a message, should a validator ever
// echo it.
func (w *Wizard) redact(s string) string {
	for _, v := range []string{w.answers.SecretValue.Reveal(), w.cfg.Secret.Reveal()} {
		if v = strings.TrimSpace(v); len(v) >= 3 {
			s = strings.ReplaceAll(s, v, "[redacted]")
		}
	}
	return s
}

// userText renders an error for the screen: "field: message; fix".
func userText(err error) string {
	var fe *flow.Error
	if errors.As(err, &fe) {
		return fe.Error()
	}
	return err.Error()
}

// complete records that step is done, saves the draft in a tea.Cmd and
// moves on (back to review when editing from there) with notes shown.
func (w *Wizard) complete(step flow.StepID, notes ...string) tea.Cmd {
	if step.Number() > w.completed.Number() {
		w.completed = step
	}
	w.notes = notes
	cmd := w.saveDraft(step)
	next, _ := flow.Next(step)
	if w.editing {
		w.editing = false
		next = flow.StepReview
	}
	return tea.Batch(cmd, w.openStep(next))
}

// saveDraft returns the command that stores the config so far as a
// draft whose last completed step is step (the furthest reached so far).
func (w *Wizard) saveDraft(step flow.StepID) tea.Cmd {
	if w.o.Store == nil {
		return nil
	}
	last := w.completed
	if step.Number() > last.Number() {
		last = step
	}
	d := flow.Draft{Config: w.cfg, Step: last, UpdatedAt: w.o.Now()}
	old := w.draftName
	w.draftName = d.Config.Name
	ctx, store := w.ctx, w.o.Store
	return func() tea.Msg {
		if err := store.SaveDraft(ctx, d); err != nil {
			return draftSavedMsg{step: step, err: fmt.Errorf("save draft: %w", err)}
		}
		if old != "" && !strings.EqualFold(old, d.Config.Name) {
			if err := store.DeleteDraft(ctx, old); err != nil {
				return draftSavedMsg{step: step, err: fmt.Errorf("delete draft %q: %w", old, err)}
			}
		}
		return draftSavedMsg{step: step}
	}
}

// onSaved moves on from a finished save: to the verify question, or the
// last screen.
func (w *Wizard) onSaved(msg savedMsg) tea.Cmd {
	w.busy = ""
	if msg.err != nil {
		return w.fail(msg.err)
	}
	w.saved, w.result = true, msg.cfg
	w.draftName = ""
	w.notes = nil
	switch {
	case w.o.QuitAfterSave:
		w.page, w.screen = pageDone, nil
		w.quitting = true
		return tea.Quit
	case w.o.Verify == nil:
		w.page, w.screen = pageDone, nil
		return nil
	}
	return w.open(pageVerifyAsk, flow.StepVerify, 0)
}
