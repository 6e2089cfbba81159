// Package ui holds byok's terminal user interface: the setup wizard as a
// bubbletea program built from huh forms and lipgloss styles.
//
// ui knows flow's types, validators and steps; it never talks to SQLite or
// HTTP itself. Storage arrives as a flow.Store and verification as a
// flow.VerifyFunc, both called from tea.Cmds so that Update never blocks.
package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/ui/common"
	"github.com/hiveku/byok/ui/components/checklist"
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

// screen is one page of the wizard. Numbered steps may have several.
type screen int

const (
	scrBefore screen = iota // "Before you start", on a new wizard only
	scrName
	scrAccount
	scrRedirect
	scrRedirectFix
	scrPermissions
	scrCustomScopes
	scrSecret
	scrTenantIDs
	scrTenant
	scrTenantDomain
	scrReview
	scrVerifyAsk
	scrVerifying
	scrPaste
	scrDone
)

// step returns the numbered step a screen belongs to.
func (s screen) step() flow.StepID {
	switch s {
	case scrBefore, scrName:
		return flow.StepName
	case scrAccount:
		return flow.StepAccountType
	case scrRedirect, scrRedirectFix:
		return flow.StepRedirect
	case scrPermissions, scrCustomScopes:
		return flow.StepPermissions
	case scrSecret:
		return flow.StepSecret
	case scrTenantIDs, scrTenant, scrTenantDomain:
		return flow.StepTenant
	case scrReview:
		return flow.StepReview
	}
	return flow.StepVerify
}

// firstScreen returns the screen that opens step id.
func firstScreen(id flow.StepID) screen {
	switch id {
	case flow.StepName:
		return scrName
	case flow.StepAccountType:
		return scrAccount
	case flow.StepRedirect:
		return scrRedirect
	case flow.StepPermissions:
		return scrPermissions
	case flow.StepSecret:
		return scrSecret
	case flow.StepTenant:
		return scrTenantIDs
	case flow.StepReview:
		return scrReview
	}
	return scrVerifyAsk
}

// Tenant choices of step 6 besides the literal segments.
const (
	tenantDirectory = "directory"
	tenantDomain    = "domain"
)

// Wizard is the setup wizard's bubbletea model. Create it with NewWizard.
type Wizard struct {
	o      WizardOptions
	ctx    context.Context
	common common.Common
	screen screen
	form   *huh.Form

	// answers, bound to the huh fields by pointer
	name           string
	account        flow.AccountType
	redirect       string
	badRedirect    string
	fixChoice      string
	loopback       bool
	customRedirect bool
	preset         string
	custom         []string
	scopes         []string
	secretDesc     string
	expiry         string
	expires        time.Time
	expiryWarn     string
	secretInput    string
	secret         flow.Secret
	clientID       string
	directoryID    string
	tenantChoice   string
	domain         string
	tenant         string
	tenantWarn     string
	reviewChoice   string
	verifyNow      bool
	ready          bool // "Before you start" answered Start
	pasteValue     string

	completed flow.StepID // last completed step
	draftName string      // name the last draft was saved under
	editing   bool        // return to review after the step
	quitArmed bool        // Esc pressed once on step 1
	busy      string      // shown while a store call runs
	errMsg    string
	notes     []string
	draftErr  string

	saved bool
	// doctor is the open "paste an error" pane, or nil.
	doctor  *doctorPane
	result  flow.Config
	aborted bool

	// verification
	checks       checklist.Model
	events       chan tea.Msg
	pasteAns     chan string
	cancelVerify context.CancelFunc
	consentURL   string
	opened       bool
	run          *flow.Run
	verifyErr    error
	quitting     bool
}

// NewWizard returns the wizard model for o, positioned at the first step
// or, with o.Draft, at the step after the draft's last completed one.
func NewWizard(o WizardOptions) *Wizard {
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
	width, height := o.Width, o.Height
	if width <= 0 {
		width = 80
	}
	if height <= 0 {
		height = 24
	}
	w := &Wizard{
		o:          o,
		ctx:        context.Background(),
		common:     common.NewCommon(width, height, o.NoColor),
		account:    flow.MultiTenantPersonal,
		redirect:   flow.HivekuRedirectURI,
		loopback:   o.AddLoopback,
		preset:     "full",
		secretDesc: "Hiveku prod",
		expiry:     "24m",
		verifyNow:  true,
		ready:      true,
	}
	w.checks = checklist.New(&w.common)
	w.screen = scrBefore
	if d := o.Draft; d != nil {
		w.screen = scrName
		w.prefill(d.Config)
		w.completed = d.Step
		w.draftName = d.Config.Name
		if d.Step != "" {
			next, ok := flow.Next(d.Step)
			if !ok || next == flow.StepVerify {
				next = flow.StepReview
			}
			w.screen = firstScreen(next)
		}
	}
	w.build()
	return w
}

// prefill copies a draft's (or the demo's) answers into the fields.
func (w *Wizard) prefill(c flow.Config) {
	w.name = c.Name
	if c.AccountType.Valid() {
		w.account = c.AccountType
	}
	if c.RedirectURI != "" {
		w.redirect = c.RedirectURI
	}
	w.customRedirect = c.CustomRedirect
	w.loopback = c.Loopback || w.o.AddLoopback
	if len(c.Scopes) > 0 {
		w.scopes = append([]string(nil), c.Scopes...)
		w.preset = "custom"
		w.custom = append([]string(nil), c.Scopes...)
		for name, set := range flow.ScopePresets {
			if sameScopes(set, c.Scopes) {
				w.preset = name
			}
		}
	}
	if c.SecretInfo.Description != "" {
		w.secretDesc = c.SecretInfo.Description
	}
	if !c.SecretInfo.Expires.IsZero() {
		w.expires = c.SecretInfo.Expires
		w.expiry = c.SecretInfo.Expires.Format("2006-01-02")
	}
	w.secret = c.Secret
	w.clientID = c.ClientID
	w.directoryID = c.DirectoryID
	w.tenant = c.Tenant
	switch {
	case c.Tenant == "":
	case c.Tenant == "common" || c.Tenant == "organizations" || c.Tenant == "consumers":
		w.tenantChoice = c.Tenant
	case strings.EqualFold(c.Tenant, c.DirectoryID):
		w.tenantChoice = tenantDirectory
	default:
		w.tenantChoice = tenantDomain
		w.domain = c.Tenant
	}
}

func sameScopes(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, s := range a {
		found := false
		for _, t := range b {
			if strings.EqualFold(s, t) {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// Config returns the answers so far as a Config (secret included, never
// printed: flow.Secret redacts).
func (w *Wizard) Config() flow.Config {
	c := flow.Config{
		Name:           strings.TrimSpace(w.name),
		AccountType:    w.account,
		RedirectURI:    w.redirect,
		CustomRedirect: w.customRedirect,
		Loopback:       w.loopback,
		Scopes:         append([]string(nil), w.scopes...),
		ClientID:       strings.TrimSpace(w.clientID),
		DirectoryID:    strings.TrimSpace(w.directoryID),
		Tenant:         w.tenant,
		Secret:         w.secret,
	}
	c.SecretInfo = flow.SecretInfo{
		Description: strings.TrimSpace(w.secretDesc),
		Hint:        w.secret.Hint(),
		Expires:     w.expires,
	}
	if !w.secret.IsZero() {
		c.SecretInfo.Created = w.o.Now()
	}
	return c
}

// Step reports the step on screen (StepVerify after the save).
func (w *Wizard) Step() flow.StepID { return w.screen.step() }

// Saved returns the saved config and true once Save succeeded.
func (w *Wizard) Saved() (flow.Config, bool) { return w.result, w.saved }

// Aborted reports whether the person quit (Ctrl+C, Esc on step 1).
func (w *Wizard) Aborted() bool { return w.aborted }

// Init starts the current screen's form.
func (w *Wizard) Init() tea.Cmd {
	return w.initForm()
}

func (w *Wizard) initForm() tea.Cmd {
	if w.form == nil {
		return nil
	}
	cmd := w.form.Init()
	// Size the new form now rather than waiting for the program to answer
	// huh's size request: select lists are measured from it.
	// Twice: the first pass lets each field measure itself at this width,
	// the second sizes the group from those measurements.
	cmds := []tea.Cmd{cmd}
	for range 2 {
		m, c := w.form.Update(tea.WindowSizeMsg{Width: w.common.Width, Height: w.formHeight()})
		if f, ok := m.(*huh.Form); ok {
			w.form = f
		}
		cmds = append(cmds, c) // e.g. the first evaluation of a DescriptionFunc
	}
	return tea.Batch(cmds...)
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

// Update handles keys, window sizes and the results of store and verify
// commands, and forwards everything else to the current huh form.
func (w *Wizard) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		w.common.SetSize(msg.Width, msg.Height)
		w.sizeDoctor()
		if w.form == nil {
			return w, nil
		}
		// huh sizes its groups' viewports from this msg.
		w.form = w.form.WithWidth(w.formWidth())
		m, cmd := w.form.Update(tea.WindowSizeMsg{Width: msg.Width, Height: w.formHeight()})
		if f, ok := m.(*huh.Form); ok {
			w.form = f
		}
		return w, cmd
	case tea.PasteMsg:
		if w.doctor != nil {
			return w.updateDoctor(msg)
		}
		if _, ok := w.focused().(*huh.Input); ok && w.busy == "" {
			// A paste is a whole answer: it replaces a pre-filled value
			// instead of being appended to it.
			w.forward(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl})
			w.forward(tea.KeyPressMsg{Code: 'k', Mod: tea.ModCtrl})
		}
	case tea.KeyPressMsg:
		if w.doctor != nil && !key.Matches(msg, w.common.KeyMap.Quit) {
			return w.updateDoctor(msg)
		}
		km := w.common.KeyMap
		if key.Matches(msg, km.Doctor) && w.canDoctor() {
			w.doctor = newDoctorPane(w.common.Width)
			w.sizeDoctor()
			return w, textarea.Blink
		}
		switch {
		case key.Matches(msg, km.Quit):
			return w, w.abort()
		case key.Matches(msg, km.Back):
			// Esc first leaves a list's filter (typed after "/").
			if f, ok := w.focused().(interface{ GetFiltering() bool }); !ok || !f.GetFiltering() {
				return w, w.back()
			}
		}
		w.quitArmed = false
		if w.screen == scrDone {
			if key.Matches(msg, km.Finish) {
				w.quitting = true
				return w, tea.Quit
			}
			return w, nil
		}
		if w.busy != "" {
			return w, nil
		}
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
		if msg.err != nil {
			w.draftErr = "draft not saved: " + userText(msg.err)
		} else {
			w.draftErr = ""
		}
		return w, nil
	case savedMsg:
		w.busy = ""
		if msg.err != nil {
			return w, w.fail(msg.err)
		}
		w.saved = true
		w.result = msg.cfg
		w.draftName = ""
		w.errMsg, w.notes = "", nil
		if w.o.QuitAfterSave {
			w.screen = scrDone
			w.form = nil
			w.quitting = true
			return w, tea.Quit
		}
		if w.o.Verify == nil {
			w.screen = scrDone
			w.form = nil
			return w, nil
		}
		w.screen = scrVerifyAsk
		w.build()
		return w, w.initForm()
	case checkStartedMsg, checkFinishedMsg, consentURLMsg, pasteRequestMsg, verifyDoneMsg:
		return w, w.verifyEvent(msg)
	case spinner.TickMsg:
		var cmd tea.Cmd
		w.checks, cmd = w.checks.Update(msg)
		if w.screen != scrVerifying && w.screen != scrPaste {
			return w, nil
		}
		return w, cmd
	}
	if w.form == nil {
		return w, nil
	}
	m, cmd := w.form.Update(msg)
	if f, ok := m.(*huh.Form); ok {
		w.form = f
	}
	if w.form.State == huh.StateCompleted {
		return w, tea.Batch(cmd, w.submit())
	}
	return w, cmd
}

// forward hands msg to the form, dropping its command (used for the
// editing keys a paste sends first).
func (w *Wizard) forward(msg tea.Msg) {
	if w.form == nil {
		return
	}
	m, _ := w.form.Update(msg)
	if f, ok := m.(*huh.Form); ok {
		w.form = f
	}
}

// focused returns the focused huh field, or nil.
func (w *Wizard) focused() huh.Field {
	if w.form == nil || w.form.State != huh.StateNormal {
		return nil
	}
	return w.form.GetFocusedField()
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
	w.errMsg = ""
	var to screen
	switch w.screen {
	case scrBefore:
		return w.abort()
	case scrName:
		if w.quitArmed {
			return w.abort()
		}
		w.quitArmed = true
		w.notes = []string{"press esc again to leave setup; the steps you completed are kept as a draft"}
		return nil
	case scrRedirectFix:
		to = scrRedirect
	case scrCustomScopes:
		to = scrPermissions
	case scrTenant:
		to = scrTenantIDs
	case scrTenantDomain:
		to = scrTenant
	case scrVerifyAsk:
		w.screen = scrDone
		w.form = nil
		return nil
	case scrVerifying, scrPaste:
		return nil
	case scrDone:
		w.quitting = true
		return tea.Quit
	default:
		if w.editing {
			w.editing = false
			to = scrReview
			break
		}
		prev, ok := flow.Prev(w.screen.step())
		if !ok {
			return nil
		}
		to = firstScreen(prev)
	}
	w.notes = nil
	w.screen = to
	w.build()
	return w.initForm()
}

// fail shows err under the current screen's form, rebuilt with the
// answers kept (except a rejected secret value).
func (w *Wizard) fail(err error) tea.Cmd {
	w.busy = ""
	w.errMsg = w.redact(userText(err))
	w.build()
	return w.initForm()
}

// redact removes the typed secret from a message, should a validator
// ever echo it.
func (w *Wizard) redact(s string) string {
	if v := strings.TrimSpace(w.secretInput); len(v) >= 3 {
		s = strings.ReplaceAll(s, v, "[redacted]")
	}
	if v := w.secret.Reveal(); len(v) >= 3 {
		s = strings.ReplaceAll(s, v, "[redacted]")
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
// moves on (back to review when editing from there).
func (w *Wizard) complete(step flow.StepID) tea.Cmd {
	if step.Number() > w.completed.Number() {
		w.completed = step
	}
	w.errMsg = ""
	w.notes = nil
	cmd := w.saveDraft(step)
	if w.editing {
		w.editing = false
		w.screen = scrReview
	} else {
		next, _ := flow.Next(step)
		w.screen = firstScreen(next)
	}
	w.build()
	return tea.Batch(cmd, w.initForm())
}

// saveDraft returns the command that stores the answers as a draft whose
// last completed step is step (the furthest reached so far).
func (w *Wizard) saveDraft(step flow.StepID) tea.Cmd {
	if w.o.Store == nil {
		return nil
	}
	last := w.completed
	if step.Number() > last.Number() {
		last = step
	}
	d := flow.Draft{Config: w.Config(), Step: last, UpdatedAt: w.o.Now()}
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

// formHeight is the height huh may fill: the terminal less the header,
// the footer, their blank lines and the screen's own text; huh scrolls
// the fields within it.
func (w *Wizard) formHeight() int {
	h := w.common.Height - 6
	if intro := w.intro(); intro != "" {
		h -= lipgloss.Height(common.Wrap(intro, w.common.Width)) + 1
	}
	return max(h, 6)
}

// formWidth is the width huh fields get.
func (w *Wizard) formWidth() int {
	return max(w.common.Width-2, 20)
}

// View implements tea.Model: the wizard draws inline (no alternate
// screen), so what it printed stays in the scrollback.
func (w *Wizard) View() tea.View { return tea.NewView(w.render()) }

// render draws the header, help, the screen's content and form, the
// messages and the key footer, wrapped to the terminal width.
func (w *Wizard) render() string {
	if w.quitting && w.screen != scrDone {
		return ""
	}
	if w.doctor != nil {
		return w.doctorView()
	}
	st := w.common.Styles
	width := w.common.Width
	header := st.Header.Render(w.header())
	var help string
	if h := strings.TrimSpace(w.o.Help(w.screen.step())); h != "" && w.screen != scrDone && w.screen != scrBefore {
		help = st.Help.Render(common.Wrap(h, width))
	}
	intro := common.Wrap(w.intro(), width)
	var rest []string
	if w.busy != "" {
		rest = append(rest, w.busy)
	} else if w.form != nil && w.form.State == huh.StateNormal {
		rest = append(rest, strings.TrimRight(w.form.View(), "\n"))
	}
	if msgs := w.messages(); msgs != "" {
		rest = append(rest, msgs)
	}
	restText := common.Wrap(strings.Join(rest, "\n\n"), width)
	footer := common.Wrap(st.Footer.Render(w.footer()), width)

	compose := func(parts ...string) string {
		var keep []string
		for _, p := range parts {
			if p != "" {
				keep = append(keep, p)
			}
		}
		return strings.Join(keep, "\n\n")
	}
	view := compose(header, help, intro, restText, footer)
	if lipgloss.Height(view) <= w.common.Height {
		return view
	}
	// Too short for everything: drop the help text first, then cut the
	// screen's own text from the bottom, so that the header, the question
	// and the keys stay in sight.
	view = compose(header, intro, restText, footer)
	if over := lipgloss.Height(view) - w.common.Height; over > 0 && intro != "" {
		lines := strings.Split(intro, "\n")
		if keep := len(lines) - over - 1; keep > 0 {
			intro = strings.Join(lines[:keep], "\n") + "\n…"
		} else {
			intro = "…"
		}
		view = compose(header, intro, restText, footer)
	}
	return view
}

// canDoctor reports whether ctrl+e may open the doctor pane now: a
// DoctorFunc is set and no check or save is running.
func (w *Wizard) canDoctor() bool {
	if w.o.Doctor == nil || w.busy != "" {
		return false
	}
	switch w.screen {
	case scrVerifying, scrDone:
		return false
	}
	return true
}

// header is "Step N of 7 · Title".
func (w *Wizard) header() string {
	id := w.screen.step()
	switch {
	case w.screen == scrBefore:
		return "Before you start"
	case w.screen == scrDone:
		if w.saved {
			return "Done · " + w.result.Name + " is saved"
		}
		return "Done"
	case id == flow.StepVerify:
		return "Step 8 · " + id.Title()
	}
	return fmt.Sprintf("Step %d of 7 · %s", id.Number(), id.Title())
}

// messages renders the error, notes and draft problems, each with a
// status word so that they read without colour.
func (w *Wizard) messages() string {
	st := w.common.Styles
	var out []string
	if w.screen == scrTenant && w.errMsg == "" {
		// The advice follows the cursor; once a choice was refused the
		// error says the same, so it is shown once.
		out = append(out, w.tenantAdvice())
	}
	if w.errMsg != "" {
		out = append(out, st.Error.Render("error: "+w.errMsg))
	}
	for _, n := range w.notes {
		out = append(out, st.Warn.Render("note: "+n))
	}
	if w.draftErr != "" {
		out = append(out, st.Warn.Render("warning: "+w.draftErr))
	}
	return strings.Join(out, "\n")
}

// footer lists the keys of the current screen.
func (w *Wizard) footer() string {
	return common.NewHelp().ShortHelpView(w.footerKeys())
}

// footerKeys are the key map's bindings the current screen offers.
func (w *Wizard) footerKeys() []key.Binding {
	km := w.common.KeyMap
	var keys []key.Binding
	switch w.screen {
	case scrAccount, scrRedirectFix, scrPermissions, scrTenant, scrReview:
		keys = append(keys, km.Choose)
	case scrCustomScopes:
		keys = append(keys, km.Move, km.Toggle)
	case scrVerifyAsk:
		keys = append(keys, km.ChooseLR)
	}
	switch w.screen {
	case scrBefore:
		keys = append(keys, km.ChooseLR, km.Start)
	case scrDone:
		keys = append(keys, km.Finish)
	case scrVerifying:
		return append(keys, km.Stop)
	case scrPaste:
		keys = append(keys, km.Submit)
	default:
		keys = append(keys, km.Next, km.Back)
	}
	if w.canDoctor() {
		keys = append(keys, km.Doctor)
	}
	return append(keys, km.Quit)
}

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

// outWriter is o.Out or its default, stderr.
func outWriter(out io.Writer) io.Writer {
	if out == nil {
		return os.Stderr
	}
	return out
}

// shellQuote quotes s for a shell command line when it needs it.
func shellQuote(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\n'\"\\$`!*?[]{}()<>|&;#~") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
