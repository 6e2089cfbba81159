package ui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/ui/screens"
)

// groups splits step id's fields into screens: each choice on its own,
// the other fields in runs (step 6 asks its two IDs, then the tenant).
func groups(id flow.StepID) [][]flow.Field {
	var out [][]flow.Field
	for _, f := range id.Def().Fields {
		if n := len(out); n > 0 && f.Kind != flow.KindChoice && out[n-1][0].Kind != flow.KindChoice {
			out[n-1] = append(out[n-1], f)
			continue
		}
		out = append(out, []flow.Field{f})
	}
	return out
}

// The wizard's own questions, around the steps.
const (
	keyReady     = "ready"
	keyFix       = "fix"
	keyVerifyNow = "verify now"
	keyPaste     = "address"
)

// Answers of the redirect fix.
const (
	fixUse    = "use"
	fixEdit   = "edit"
	fixCustom = "custom"
)

// newScreen builds the screen of the current page: for a step, from its
// fields in flow; around the steps, from small definitions here.
func (w *Wizard) newScreen() screens.Screen {
	c, km := w.common, w.common.KeyMap
	switch w.page {
	case pageBefore:
		return screens.NewInput(c, w.beforeYouStart, screens.Field{
			Key: keyReady, Title: "Ready?", Kind: flow.KindConfirm, Yes: "Start", No: "Quit", Value: "true",
		}).WithKeys(km.ChooseLR, km.Start)
	case pageStep:
		return w.stepScreen()
	case pageRedirectFix:
		opts := []flow.Option{
			{Value: fixUse, Label: "Use " + flow.HivekuRedirectURI},
			{Value: fixEdit, Label: "Edit what I typed"},
		}
		if w.o.AllowCustomRedirect {
			opts = append(opts, flow.Option{Value: fixCustom, Label: "Keep it: this is a custom redirect URI (staging, self-hosted)"})
		}
		return screens.NewChoice(c, w.redirectDiff, screens.Field{
			Key: keyFix, Title: "What now?", Kind: flow.KindChoice, Options: opts, Value: fixUse,
		})
	case pageReview:
		return screens.NewReview(c, w.reviewRows, flow.Steps[:6])
	case pageVerifyAsk:
		return screens.NewInput(c, nil, screens.Field{
			Key: keyVerifyNow, Title: "Verify it works now?", Kind: flow.KindConfirm, Yes: "Yes", No: "Later", Value: "true",
			Hint: verifyAskHint,
		}).WithKeys(km.ChooseLR, km.Next, km.Back)
	case pagePaste:
		return screens.NewInput(c, w.verifyView, screens.Field{
			Key: keyPaste, Title: "Paste the address your browser landed on",
			Hint: "Or the error text of a Microsoft error page.",
		}).WithKeys(km.Submit)
	}
	return nil
}

// stepScreen is the screen of group w.part of step w.step.
func (w *Wizard) stepScreen() screens.Screen {
	gs := groups(w.step)
	if w.part >= len(gs) {
		return nil
	}
	var fields []screens.Field
	for _, f := range gs[w.part] {
		fields = append(fields, w.field(f))
	}
	if fields[0].Kind == flow.KindChoice {
		ch := screens.NewChoice(w.common, nil, fields[0])
		if fields[0].Key == flow.FieldTenant {
			ch = ch.WithAdvice(w.tenantAdvice)
		}
		return ch
	}
	return screens.NewInput(w.common, w.stepIntro, fields...)
}

// field is flow's field f as the wizard asks it.
func (w *Wizard) field(f flow.Field) screens.Field {
	sf := screens.FromFlow(f, w.answers, w.env())
	switch f.Key {
	case flow.FieldName:
		sf.Limit = 200
	case flow.FieldRedirectURI:
		// No live check: a wrong URI is diagnosed on the next screen
		// (pageRedirectFix) with a diff.
		sf.Check = nil
	case flow.FieldSecretValue:
		if kept := w.cfg.Secret; !kept.IsZero() {
			sf.Hint = "Leave empty to keep the secret you entered before (" + kept.Hint() + ")."
			check := sf.Check
			sf.Check = func(v string, values map[string]string) error {
				if strings.TrimSpace(v) == "" {
					return nil
				}
				return check(v, values)
			}
		}
	}
	return sf
}

// stepIntro is the text above a step's fields.
func (w *Wizard) stepIntro(int) string {
	switch {
	case w.step == flow.StepName && w.o.Draft != nil && w.o.Draft.Step == "" && w.answers.Name != "":
		return "Answers are filled in; press enter to keep each one."
	case w.step == flow.StepSecret && w.warns[flow.FieldSecretExpiry] != "":
		return w.common.Styles.Warn.Render("warning: " + w.warns[flow.FieldSecretExpiry])
	}
	return ""
}

// env is what flow's step checks need besides the answers.
func (w *Wizard) env() flow.StepEnv {
	return flow.StepEnv{Now: w.o.Now(), Permissions: w.o.Permissions, AllowCustomRedirect: w.o.AllowCustomRedirect}
}

// submit handles what the screen reported.
func (w *Wizard) submit(msg screens.SubmittedMsg) tea.Cmd {
	switch w.page {
	case pageBefore:
		if msg.Values[keyReady] != "true" {
			return w.abort()
		}
		return w.open(pageStep, flow.StepName, 0)
	case pageStep:
		return w.submitStep(msg)
	case pageRedirectFix:
		return w.submitFix(msg.Values[keyFix])
	case pageReview:
		return w.submitReview(msg.Values[screens.ReviewKey])
	case pageVerifyAsk:
		if msg.Values[keyVerifyNow] != "true" || w.o.Verify == nil {
			w.page, w.screen = pageDone, nil
			return nil
		}
		return w.startVerify()
	case pagePaste:
		return w.submitPaste(msg.Values[keyPaste])
	}
	return nil
}

// submitStep takes a step screen's answers: a group that is not the
// step's last is checked field by field; the last runs the step's Submit.
func (w *Wizard) submitStep(msg screens.SubmittedMsg) tea.Cmd {
	for k, v := range msg.Values {
		w.answers.Set(k, v)
	}
	if gs := groups(w.step); w.part < len(gs)-1 {
		for _, f := range gs[w.part] {
			if f.Check == nil {
				continue
			}
			if err := f.Check(w.answers.Get(f.Key), w.answers, w.env()); err != nil {
				return w.fail(err)
			}
		}
		return w.open(pageStep, w.step, w.part+1)
	}
	var notes []string
	switch w.step {
	case flow.StepRedirect:
		return w.submitRedirect()
	case flow.StepSecret:
		w.answers.SecretValue = msg.Secret
		defer func() { w.answers.SecretValue = "" }()
	case flow.StepPermissions:
		if msg.Other && !hasScope(w.answers.Scopes, "offline_access") {
			w.answers.Scopes = strings.TrimPrefix("offline_access,"+w.answers.Scopes, ",")
			if ch, ok := w.screen.(*screens.Choice); ok {
				ch.SetPicked(strings.Split(w.answers.Scopes, ","))
			}
			notes = append(notes, "offline_access was added back: without it there is no refresh token")
		}
	}
	c, warns, err := w.step.Def().Submit(w.answers, w.cfg, w.env())
	if err != nil {
		return w.fail(err)
	}
	w.cfg = c
	for _, f := range w.step.Def().Fields {
		delete(w.warns, f.Key)
	}
	for _, wn := range warns {
		w.warns[wn.Field] = wn.Message
		notes = append(notes, wn.Message)
	}
	if w.step == flow.StepName {
		w.answers.Name = c.Name
		return w.checkName(c.Name)
	}
	return w.complete(w.step, notes...)
}

func hasScope(list, name string) bool {
	for _, s := range strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == ' ' }) {
		if strings.EqualFold(s, name) {
			return true
		}
	}
	return false
}

// checkName asks the store whether name is taken, in a tea.Cmd.
func (w *Wizard) checkName(name string) tea.Cmd {
	if w.o.Store == nil {
		return w.complete(flow.StepName)
	}
	w.busy = "Checking the name…"
	ctx, store := w.ctx, w.o.Store
	return func() tea.Msg {
		taken, err := store.NameTaken(ctx, name)
		return nameCheckedMsg{name: name, taken: taken, err: err}
	}
}

// submitRedirect submits step 3 as typed: Hiveku's URI goes on, anything
// else to the fix screen.
func (w *Wizard) submitRedirect() tea.Cmd {
	a := w.answers
	a.CustomRedirect = false
	c, _, err := flow.StepRedirect.Def().Submit(a, w.cfg, w.env())
	if err != nil {
		w.badRedirect = w.answers.RedirectURI
		w.open(pageRedirectFix, flow.StepRedirect, 0)
		if len(flow.CompareRedirect(w.badRedirect, flow.HivekuRedirectURI)) == 0 {
			return w.fail(err)
		}
		return w.screen.Init()
	}
	w.answers.CustomRedirect = false
	w.cfg = c
	return w.complete(flow.StepRedirect)
}

// submitFix acts on the fix screen's choice.
func (w *Wizard) submitFix(choice string) tea.Cmd {
	switch choice {
	case fixUse:
		w.answers.RedirectURI, w.answers.CustomRedirect = flow.HivekuRedirectURI, false
		return w.submitRedirect()
	case fixCustom:
		a := w.answers
		a.RedirectURI, a.CustomRedirect = w.badRedirect, true
		c, _, err := flow.StepRedirect.Def().Submit(a, w.cfg, w.env())
		if err != nil {
			w.open(pageStep, flow.StepRedirect, 0)
			return w.fail(err)
		}
		w.answers.RedirectURI, w.answers.CustomRedirect = c.RedirectURI, true
		w.cfg = c
		return w.complete(flow.StepRedirect)
	}
	return w.open(pageStep, flow.StepRedirect, 0)
}

// submitReview saves, or opens the step to edit.
func (w *Wizard) submitReview(choice string) tea.Cmd {
	if choice != screens.ReviewSave {
		w.editing = true
		w.notes = nil
		return w.open(pageStep, flow.StepID(choice), 0)
	}
	cfg, _, err := flow.StepReview.Def().Submit(w.answers, w.cfg, w.env())
	if err != nil {
		return w.fail(err)
	}
	if w.o.Store == nil {
		return func() tea.Msg { return savedMsg{cfg: cfg} }
	}
	w.busy = "Saving…"
	ctx, store := w.ctx, w.o.Store
	return func() tea.Msg {
		if err := store.SaveConfig(ctx, cfg, false); err != nil {
			return savedMsg{err: fmt.Errorf("save config: %w", err)}
		}
		return savedMsg{cfg: cfg}
	}
}

// submitPaste hands the pasted address to the waiting Reporter.Paste.
func (w *Wizard) submitPaste(v string) tea.Cmd {
	v = strings.TrimSpace(v)
	if v == "" {
		return w.fail(flow.Invalid("address", "nothing was pasted").
			WithFix("copy the whole address from the browser's address bar, or the error text of the page"))
	}
	select {
	case w.pasteAns <- v:
	default:
	}
	w.page, w.screen = pageVerifying, nil
	return nil
}

// tenantAdvice explains what the highlighted tenant means for the account
// type chosen at step 2 (flow.ValidateTenant's error or warning), with a
// status word so that it reads without colour.
func (w *Wizard) tenantAdvice(choice string) string {
	st := w.common.Styles
	if f, _ := flow.StepTenant.Def().Field(flow.FieldTenant); f.Other != nil && choice == f.Other.Value {
		return "note: type the domain after enter"
	}
	acct, _ := flow.ParseAccountType(w.answers.AccountType)
	warn, err := flow.ValidateTenant(choice, acct, strings.TrimSpace(w.answers.DirectoryID))
	switch {
	case err != nil:
		return st.Error.Render("✗ won't work: " + userText(err))
	case warn != "":
		return st.Warn.Render("! warning: " + warn)
	}
	return st.OK.Render("✓ fits " + acct.Label())
}
