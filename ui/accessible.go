package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/sanitize"
	"github.com/hiveku/byok/flow/verify"
	"github.com/hiveku/byok/ui/components/checklist"
	"github.com/hiveku/byok/ui/prompt"
	"github.com/hiveku/byok/ui/text"
	"golang.org/x/term"
)

// Accessible mode (WizardOptions.Accessible) is the wizard as a plain
// loop over flow's step definitions, for screen readers: a question per
// line on In, its answer read as a line, and nothing on Out but text, not
// even an escape sequence. It shares no model with the TUI, only the
// steps (flow.StepID.Def), their checks and the texts below.

// beforeYouStartIntro and beforeYouStartItems are the "Before you start"
// text of a new wizard: what the guide asks for before step 1.
const beforeYouStartIntro = "byok walks you through registering an app for Hiveku in the Azure portal, in 7 steps, then checks that it works. You need:"

var beforeYouStartItems = []string{
	"access to the Azure portal (portal.azure.com) with an account that may register applications (Application Developer, or app registration allowed for users in Entra ID);",
	"admin access to Hiveku, to enter the app under Settings > OAuth Apps;",
	"about 10 minutes. A draft is kept after every step: stop at any time and resume with byok setup.",
}

// InHiveku is the "In Hiveku" list of the wizard's last screen and of
// setup --no-input: where the values go, and Hiveku's own end-to-end
// check.
const InHiveku = "In Hiveku:\n" +
	"  1. Settings > OAuth Apps: add the app with its client ID, tenant and secret value (the Value you copied from the portal; byok never shows it again).\n" +
	"  2. Check it end to end: CRM > Email Connections > Add > Outlook, select this app and sign in; you land back in Hiveku with your address connected."

// verifyAskHint explains step 8's question.
const verifyAskHint = "Signs in through Microsoft's consent screen and checks the token, mailbox and permissions."

// nameTakenError is step 1's error for a name a saved config already has.
func nameTakenError(name string) error {
	return flow.Invalid(flow.FieldName, "a saved app is already called %q", name).
		WithFix("choose another name, or remove the saved one with byok delete %s", text.ShellQuote(name))
}

// stoppedNote says what was kept when the person leaves before saving,
// and how to come back: completed is the last step done and draftName
// the draft it was saved under ("" when none was saved).
func stoppedNote(completed flow.StepID, draftName string, store flow.Store) string {
	if draftName == "" || store == nil || !completed.Valid() {
		return "Setup stopped before step 1 was done; nothing was saved."
	}
	return fmt.Sprintf("Setup stopped. Your answers up to step %d (%s) are kept as the draft %q.\nResume with: byok setup --resume %s",
		completed.Number(), completed.Title(), draftName, text.ShellQuote(draftName))
}

// runPlain runs the wizard in accessible mode and returns the saved
// config. It returns ErrAborted when the person quits or ctx ends (drafts
// are kept, and the note says how to resume), and an EINVALID *flow.Error
// wrapping io.ErrUnexpectedEOF when input ends before the config is
// saved.
func runPlain(ctx context.Context, o WizardOptions) (flow.Config, error) {
	p := newPlain(o)
	err := p.run(ctx)
	if err == nil {
		return p.result, nil
	}
	if ctx.Err() != nil {
		err = ErrAborted
	}
	switch {
	case p.o.QuitAfterSave: // the demo's store is thrown away
		if p.tty && errors.Is(err, ErrAborted) {
			fmt.Fprintln(p.o.Out) // after the ^C the terminal echoed
		}
	case p.saved && errors.Is(err, ErrAborted):
		p.say(fmt.Sprintf("\nVerification stopped; %q is saved. Check it later with: byok verify %s",
			p.result.Name, text.ShellQuote(p.result.Name)))
	case errors.Is(err, ErrAborted) || errors.Is(err, io.ErrUnexpectedEOF):
		p.say("\n" + stoppedNote(p.completed, p.draftName, p.o.Store))
	}
	return p.result, err
}

// plainWizard is accessible mode's state: the answers and the config the
// steps built from them so far.
type plainWizard struct {
	o     WizardOptions
	tty   bool // In is a terminal: it echoes the answers itself
	width int
	a     flow.Answers
	cfg   flow.Config

	completed flow.StepID // the furthest step done
	draftName string      // the name the last draft was saved under
	saved     bool
	result    flow.Config
}

func newPlain(o WizardOptions) *plainWizard {
	o = o.withDefaults()
	p := &plainWizard{o: o, width: o.Width, a: flow.DefaultAnswers()}
	if f, ok := o.Out.(*os.File); ok && p.width <= 0 {
		p.width, _, _ = term.GetSize(int(f.Fd())) // 0 when not a terminal
	}
	if p.width <= 0 {
		p.width = text.DefaultWidth
	}
	if f, ok := o.In.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.tty = true
	}
	if d := o.Draft; d != nil {
		p.a = flow.AnswersFrom(d.Config)
		p.cfg = d.Config
		p.completed = d.Step
		if d.Step != "" {
			// Pre-filled answers (Step "") are no draft of that name.
			p.draftName = d.Config.Name
		}
	}
	p.a.Loopback = p.a.Loopback || o.AddLoopback
	return p
}

// env is what the steps' checks need besides the answers.
func (p *plainWizard) env() flow.StepEnv {
	return flow.StepEnv{Now: p.o.Now(), Permissions: p.o.Permissions, AllowCustomRedirect: p.o.AllowCustomRedirect}
}

// run asks "Before you start" (a new wizard) or resumes after the
// draft's step, runs the steps up to the review, saves, and verifies.
func (p *plainWizard) run(ctx context.Context) error {
	first := flow.StepName
	switch d := p.o.Draft; {
	case d == nil:
		p.say("Before you start")
		items := make([]string, len(beforeYouStartItems))
		for i, it := range beforeYouStartItems {
			items[i] = "  - " + it
		}
		p.say(beforeYouStartIntro + "\n" + strings.Join(items, "\n"))
		start, err := p.confirm(ctx, flow.StepName, "Start now? Yes starts step 1, no quits", true)
		if err != nil {
			return err
		}
		if !start {
			return ErrAborted
		}
	case d.Step != "":
		next, ok := flow.Next(d.Step)
		if !ok || next == flow.StepVerify {
			next = flow.StepReview
		}
		first = next
		p.say(fmt.Sprintf("Resuming %q after step %d (%s). Its answers are filled in: press Enter to keep each one.",
			d.Config.Name, d.Step.Number(), d.Step.Title()))
	case p.a.Name != "":
		p.say("Answers are filled in; press Enter to keep each one.")
	}
	for id := first; id != flow.StepReview; id, _ = flow.Next(id) {
		if err := p.step(ctx, id); err != nil {
			return err
		}
	}
	if err := p.review(ctx); err != nil {
		return err
	}
	return p.finish(ctx)
}

// header says which step this is, then its help.
func (p *plainWizard) header(id flow.StepID) {
	// "Step N of 7" as the TUI says it; verify follows the save as
	// "Step 8".
	label := id.Progress()
	if label == "" {
		label = fmt.Sprintf("Step %d", id.Number())
	}
	p.say("\n" + label + ": " + id.Title())
	if h := strings.TrimSpace(p.o.Help(id)); h != "" {
		p.say(h)
	}
}

// step asks every field of step id, then submits the step: an error is
// said and its field asked again. The name is checked against the saved
// configs, and the answers are kept as a draft.
func (p *plainWizard) step(ctx context.Context, id flow.StepID) error {
	p.header(id)
	def := id.Def()
	for _, f := range def.Fields {
		if err := p.ask(ctx, id, f, false); err != nil {
			return err
		}
	}
	for {
		c, warns, err := def.Submit(p.a, p.cfg, p.env())
		if err == nil && id == flow.StepName && p.o.Store != nil {
			taken, terr := p.o.Store.NameTaken(ctx, c.Name)
			switch {
			case ctx.Err() != nil:
				return ErrAborted
			case terr != nil:
				err = fmt.Errorf("check name: %w", terr)
			case taken:
				err = nameTakenError(c.Name)
			}
		}
		if err == nil {
			p.cfg = c
			for _, w := range warns {
				p.say("warning: " + w.Message)
			}
			break
		}
		p.fail(err)
		f := def.Fields[0]
		var fe *flow.Error
		if errors.As(err, &fe) {
			if ff, ok := def.Field(fe.Field); ok {
				f = ff
			}
		}
		if f.Kind != flow.KindConfirm {
			p.a.Set(f.Key, "") // not offered as the answer to keep
		}
		if err := p.ask(ctx, id, f, true); err != nil {
			return err
		}
	}
	// The config holds the secret now: an empty answer keeps it.
	p.a.SecretValue = ""
	p.saveDraft(ctx, id)
	return nil
}

// saveDraft keeps the config so far as a draft whose last completed step
// is the furthest reached, under its current name (the draft of a former
// name goes). A failure is a warning: the wizard goes on.
func (p *plainWizard) saveDraft(ctx context.Context, id flow.StepID) {
	if id.Number() > p.completed.Number() {
		p.completed = id
	}
	if p.o.Store == nil {
		return
	}
	d := flow.Draft{Config: p.cfg, Step: p.completed, UpdatedAt: p.o.Now()}
	old := p.draftName
	if err := p.o.Store.SaveDraft(ctx, d); err != nil {
		p.say("warning: draft not saved: " + userText(err))
		return
	}
	p.draftName = d.Config.Name
	if old != "" && !strings.EqualFold(old, d.Config.Name) {
		if err := p.o.Store.DeleteDraft(ctx, old); err != nil {
			p.say(fmt.Sprintf("warning: draft %q not deleted: %s", old, userText(err)))
		}
	}
}

// ask asks field f of step id until its check passes, and keeps the
// answer. The hint is said once: after an error (again) only the
// question comes back.
func (p *plainWizard) ask(ctx context.Context, id flow.StepID, f flow.Field, again bool) error {
	switch f.Kind {
	case flow.KindConfirm:
		if !again {
			p.hint(f.Hint, "", "")
		}
		cur, _ := strconv.ParseBool(p.a.Get(f.Key))
		v, err := p.confirm(ctx, id, f.Title, cur)
		if err != nil {
			return err
		}
		p.a.Set(f.Key, strconv.FormatBool(v))
		return nil
	case flow.KindSecret:
		return p.askSecret(ctx, id, f, again)
	case flow.KindChoice:
		return p.askChoice(ctx, id, f, again)
	}
	for retry := again; ; retry = true {
		cur := p.current(f)
		if !retry {
			p.hint(f.Hint, f.Placeholder, cur)
		}
		v, err := p.line(ctx, id, f.Title+keeps(cur)+": ")
		if err != nil {
			return err
		}
		if strings.TrimSpace(v) == "" {
			v = cur
		}
		if f.Key == flow.FieldRedirectURI {
			ok, err := p.redirect(ctx, id, f, v)
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			p.a.Set(f.Key, v)
			return nil
		}
		if err := p.check(f, v); err != nil {
			p.fail(err)
			continue
		}
		p.a.Set(f.Key, v)
		return nil
	}
}

// hint says a question's hint and, when there is no answer to keep, its
// example (unless the hint gives it).
func (p *plainWizard) hint(hint, example, cur string) {
	if hint != "" {
		p.say(hint)
	}
	if example != "" && strings.TrimSpace(cur) == "" && !strings.Contains(hint, example) {
		p.say("For example: " + example)
	}
}

// current is field f's answer so far, or its default.
func (p *plainWizard) current(f flow.Field) string {
	cur := p.a.Get(f.Key)
	if strings.TrimSpace(cur) == "" && f.Default != nil {
		cur = f.Default(p.a)
	}
	return cur
}

// keeps is what a question says about Enter.
func keeps(cur string) string {
	if cur = strings.TrimSpace(cur); cur == "" {
		return ""
	}
	return " [Enter keeps " + cur + "]"
}

// check runs field f's own check on v.
func (p *plainWizard) check(f flow.Field, v string) error {
	if f.Check == nil {
		return nil
	}
	return f.Check(v, p.a, p.env())
}

// redirect checks a redirect URI answer. A URI other than Hiveku's is
// explained (the mistakes in words) and, with AllowCustomRedirect, may
// be kept once the person confirms it is a custom one. It reports whether
// v is accepted (p.a.CustomRedirect set accordingly).
func (p *plainWizard) redirect(ctx context.Context, id flow.StepID, f flow.Field, v string) (bool, error) {
	if v != p.a.RedirectURI {
		p.a.CustomRedirect = false // a new URI needs its own confirmation
	}
	err := p.check(f, v)
	if err == nil {
		return true, nil
	}
	p.fail(err)
	// The mistakes in words, where the error does not name them already.
	var more []string
	for _, m := range flow.CompareRedirect(v, flow.HivekuRedirectURI) {
		if !strings.Contains(userText(err), m) {
			more = append(more, m)
		}
	}
	if len(more) > 0 {
		p.say("What differs from Hiveku's:\n  - " + strings.Join(more, "\n  - "))
	}
	if !p.o.AllowCustomRedirect || p.a.CustomRedirect {
		return false, nil
	}
	keep, cerr := p.confirm(ctx, id, "Keep "+strings.TrimSpace(v)+" as a custom redirect URI (staging, self-hosted)?", false)
	if cerr != nil || !keep {
		return false, cerr
	}
	a := p.a
	a.CustomRedirect = true
	if err := f.Check(v, a, p.env()); err != nil {
		p.fail(err)
		return false, nil
	}
	p.a.CustomRedirect = true
	return true, nil
}

// askSecret asks for a secret value: never echoed on a terminal, never
// written anywhere. An empty answer keeps the secret the config already
// has.
func (p *plainWizard) askSecret(ctx context.Context, id flow.StepID, f flow.Field, again bool) error {
	for retry := again; ; retry = true {
		keep := !p.cfg.Secret.IsZero()
		if !retry {
			p.hint(f.Hint, "", "")
		}
		if keep && !retry {
			p.say("Leave it empty to keep the secret you entered before (" + p.cfg.Secret.Hint() + ").")
		}
		q := f.Title + ": "
		if p.tty {
			q = f.Title + " (not shown): "
		}
		p.prompt(q)
		v, err := prompt.ReadSecret(ctx, p.o.In)
		// Without echo the terminal does not show Enter either; a pipe
		// echoes nothing.
		fmt.Fprintln(p.o.Out)
		if err := p.readErr(ctx, id, err); err != nil {
			return err
		}
		v = strings.TrimSpace(v)
		if v == "" && keep {
			p.a.SecretValue = ""
			return nil
		}
		if err := p.check(f, v); err != nil {
			p.fail(redact(err, v))
			continue
		}
		p.a.SecretValue = flow.Secret(v)
		return nil
	}
}

// askChoice asks for one of f's options by number, or for a typed answer
// (f.Other, or any text f's check accepts).
func (p *plainWizard) askChoice(ctx context.Context, id flow.StepID, f flow.Field, again bool) error {
	for retry := again; ; retry = true {
		if !retry {
			p.hint(f.Hint, "", "")
		}
		opts := f.Options(p.a)
		cur := p.current(f)
		keep := cur
		lines := []string{f.Title + ":"}
		for i, o := range opts {
			label := o.Label
			if o.Recommended {
				label += " (recommended)"
			}
			lines = append(lines, fmt.Sprintf("  %d. %s", i+1, label))
			if strings.EqualFold(o.Value, cur) {
				keep = strconv.Itoa(i + 1)
			}
		}
		n := len(opts)
		if f.Other != nil {
			n++
			lines = append(lines, fmt.Sprintf("  %d. %s", n, f.Other.Label))
		}
		p.say(strings.Join(lines, "\n"))
		v, err := p.line(ctx, id, fmt.Sprintf("Choose 1 to %d%s: ", n, keeps(keep)))
		if err != nil {
			return err
		}
		v = strings.TrimSpace(v)
		if v == "" {
			v = keep
		}
		if f.Other != nil && strings.EqualFold(v, f.Other.Value) {
			v = strconv.Itoa(n) // "custom", "domain": the typed answer
		}
		if k, err := strconv.Atoi(v); err == nil {
			switch {
			case k >= 1 && k <= len(opts):
				v = opts[k-1].Value
			case f.Other != nil && k == n:
				done, err := p.askOther(ctx, id, f)
				if err != nil || done {
					return err
				}
				continue
			default:
				p.fail(flow.Invalid(f.Key, "%d is not one of the choices", k).WithFix("answer a number from 1 to %d", n))
				continue
			}
		}
		if err := p.check(f, v); err != nil {
			p.fail(err)
			continue
		}
		p.a.Set(f.Key, v)
		return nil
	}
}

// askOther asks for the typed answer of choice field f: a list of
// permissions from the catalog, or a verified domain. It reports whether
// an answer was kept; false goes back to the list (an empty answer).
func (p *plainWizard) askOther(ctx context.Context, id flow.StepID, f flow.Field) (bool, error) {
	o := f.Other
	for retry := false; ; retry = true {
		cur := ""
		if o.Catalog {
			cur = p.customScopes()
		}
		if !retry {
			p.hint(o.Hint, o.Placeholder, cur)
			if o.Catalog {
				p.say(p.catalog())
			}
		}
		q := o.Title + ", or Enter to go back to the list: "
		if o.Catalog {
			q = o.Title + ", names or numbers separated by commas" + keeps(cur) + ": "
		}
		v, err := p.line(ctx, id, q)
		if err != nil {
			return false, err
		}
		v = strings.TrimSpace(v)
		if v == "" {
			if cur == "" {
				return false, nil
			}
			v = cur
		}
		if o.Catalog {
			v = p.scopeNames(v)
		}
		if err := p.check(f, v); err != nil {
			p.fail(err)
			continue
		}
		p.a.Set(f.Key, v)
		return true, nil
	}
}

// catalog lists the permission catalog, numbered.
func (p *plainWizard) catalog() string {
	lines := make([]string, len(p.o.Permissions))
	for i, perm := range p.o.Permissions {
		l := fmt.Sprintf("  %d. %s", i+1, perm.Name)
		if perm.Description != "" {
			l += ": " + perm.Description
		}
		if perm.AdminConsent {
			l += " (admin consent)"
		}
		lines[i] = l
	}
	return strings.Join(lines, "\n")
}

// customScopes is the list a custom pick starts from: the answer so far
// as names (a preset spelt out).
func (p *plainWizard) customScopes() string {
	names, err := flow.ParseScopes(p.a.Scopes, p.o.Permissions)
	if err != nil {
		names = flow.ScopePresets[flow.DefaultScopePreset]
	}
	return strings.Join(names, ",")
}

// scopeNames turns the numbers of a typed list into catalog names and
// puts offline_access first when it is missing, saying so: without it
// there is no refresh token.
func (p *plainWizard) scopeNames(v string) string {
	toks := strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\t' })
	has := false
	for i, t := range toks {
		if k, err := strconv.Atoi(t); err == nil && k >= 1 && k <= len(p.o.Permissions) {
			toks[i] = p.o.Permissions[k-1].Name
		}
		if strings.EqualFold(toks[i], "offline_access") {
			has = true
		}
		if _, preset := flow.ScopePresets[strings.ToLower(toks[i])]; preset {
			has = true // a preset has it
		}
	}
	if !has && len(toks) > 0 {
		toks = append([]string{"offline_access"}, toks...)
		p.say("note: offline_access was added back: without it there is no refresh token")
	}
	return strings.Join(toks, ",")
}

// review shows every answer and saves, or runs the step chosen for
// editing and shows them again.
func (p *plainWizard) review(ctx context.Context) error {
	for {
		p.header(flow.StepReview)
		p.say(p.summary())
		choices := []string{"Save, or edit a step:", "  s. Save"}
		for _, id := range flow.Steps[:6] {
			choices = append(choices, fmt.Sprintf("  %d. Edit step %d: %s", id.Number(), id.Number(), id.Title()))
		}
		p.say(strings.Join(choices, "\n"))
		for {
			v, err := p.line(ctx, flow.StepReview, "Save, or edit step 1 to 6 [Enter saves]: ")
			if err != nil {
				return err
			}
			v = strings.ToLower(strings.TrimSpace(v))
			if k, err := strconv.Atoi(v); err == nil && k >= 1 && k <= 6 {
				if err := p.step(ctx, flow.Steps[k-1]); err != nil {
					return err
				}
				break
			}
			if v != "" && v != "s" && v != "save" {
				p.say("Please answer s to save, or a step number from 1 to 6.")
				continue
			}
			if err := p.save(ctx); err != nil {
				if ctx.Err() != nil {
					return ErrAborted
				}
				p.fail(err)
				continue
			}
			return nil
		}
	}
}

// save submits the review and saves the config.
func (p *plainWizard) save(ctx context.Context) error {
	c, _, err := flow.StepReview.Def().Submit(p.a, p.cfg, p.env())
	if err != nil {
		return err
	}
	if p.o.Store != nil {
		if err := p.o.Store.SaveConfig(ctx, c, false); err != nil {
			return fmt.Errorf("save config: %w", err)
		}
	}
	p.saved, p.result = true, c
	p.draftName = ""
	return nil
}

// summary is every answer, the secret only as its hint.
func (p *plainWizard) summary() string {
	c := p.cfg
	redirect := c.RedirectURI
	if c.CustomRedirect {
		redirect += " (custom)"
	}
	if c.Loopback {
		redirect += ", and " + flow.LoopbackRedirectURI + " for byok verify"
	}
	secret := c.SecretInfo.Description
	if h := c.Secret.Hint(); h != "" {
		secret += ", value " + h
	}
	if !c.SecretInfo.Expires.IsZero() {
		secret += ", expires " + c.SecretInfo.Expires.Format("2006-01-02")
	}
	rows := []string{
		"Name: " + c.Name,
		"Account type: " + c.AccountType.Label(),
		"Redirect URI: " + redirect,
		"Permissions: " + strings.Join(c.Scopes, ", "),
		"Secret: " + secret,
		"Client ID: " + c.ClientID,
		"Directory ID: " + c.DirectoryID,
		"Tenant: " + c.Tenant,
	}
	for _, m := range reviewWarnings(p.a, p.cfg, p.env()) {
		rows = append(rows, "warning: "+m)
	}
	return strings.Join(rows, "\n")
}

// reviewWarnings are the review's warnings: the tenant's and the secret
// expiry's as of now (env.Now), whether their steps were answered in
// this run or in a resumed draft. The TUI and the plain loop both show
// them.
func reviewWarnings(a flow.Answers, c flow.Config, env flow.StepEnv) []string {
	var out []string
	for _, id := range []flow.StepID{flow.StepTenant, flow.StepSecret} {
		if _, warns, err := id.Def().Submit(a, c, env); err == nil {
			for _, w := range warns {
				out = append(out, w.Message)
			}
		}
	}
	return out
}

// finish ends a saved wizard: at once for the demo (QuitAfterSave), or
// with step 8 (verify now or later) and what to do next.
func (p *plainWizard) finish(ctx context.Context) error {
	if p.o.QuitAfterSave {
		p.say(fmt.Sprintf("✓ saved: %q", p.result.Name))
		return nil
	}
	if p.o.Verify == nil {
		p.say(p.done(nil, nil))
		return nil
	}
	p.header(flow.StepVerify)
	p.say(verifyAskHint)
	now, err := p.confirm(ctx, flow.StepVerify, "Verify it works now?", true)
	if errors.Is(err, io.ErrUnexpectedEOF) {
		now, err = false, nil // saved: nobody is left to verify now
	}
	if err != nil {
		return err
	}
	if !now {
		p.say(p.done(nil, nil))
		return nil
	}
	rep := &plainReporter{p: p}
	run, verr := p.o.Verify(ctx, p.result, rep)
	if ctx.Err() != nil {
		return ErrAborted
	}
	if verr != nil {
		p.say(p.done(nil, verr))
		return nil
	}
	p.say(p.done(&run, nil))
	return nil
}

// done says what was saved, whether it works, and what to do next:
// the TUI's last screen (doneText) in plain words.
func (p *plainWizard) done(run *flow.Run, verr error) string {
	var why string
	if verr != nil {
		why = userText(verr)
	}
	return "\n" + doneText(p.result.Name, run, why, "", func(_ bool, s string) string { return s })
}

// say writes s and a line end, wrapped to the width, through the output
// sanitizer (answers, names and Microsoft's texts come from outside).
func (p *plainWizard) say(s string) {
	fmt.Fprintln(text.NewWriter(p.o.Out, p.width), sanitize.Text(s))
}

// prompt writes question q, which ends where the answer is typed.
func (p *plainWizard) prompt(q string) {
	fmt.Fprint(text.NewWriter(p.o.Out, p.width), sanitize.Text(q))
}

// fail says err as the TUI does: "error: field: message; fix".
func (p *plainWizard) fail(err error) {
	p.say("error: " + userText(err))
}

// line asks question q of step id and reads the answer.
func (p *plainWizard) line(ctx context.Context, id flow.StepID, q string) (string, error) {
	p.prompt(q)
	s, err := prompt.ReadLine(ctx, p.o.In)
	if !p.tty {
		fmt.Fprintln(p.o.Out) // no echo from a pipe: end the question's line
	}
	return s, p.readErr(ctx, id, err)
}

// confirm asks a yes/no question of step id; Enter gives def.
func (p *plainWizard) confirm(ctx context.Context, id flow.StepID, q string, def bool) (bool, error) {
	yes := "y/N"
	if def {
		yes = "Y/n"
	}
	for {
		s, err := p.line(ctx, id, q+" ("+yes+"): ")
		if err != nil {
			return false, err
		}
		if v, ok := prompt.YesNo(s, def); ok {
			return v, nil
		}
		p.say("Please answer y or n.")
	}
}

// readErr turns a failed read into the wizard's error: ErrAborted when
// ctx ended, the end of input as an EINVALID error naming step id.
func (p *plainWizard) readErr(ctx context.Context, id flow.StepID, err error) error {
	switch {
	case err == nil:
		return nil
	case ctx.Err() != nil || errors.Is(err, prompt.ErrInterrupted):
		return ErrAborted
	case errors.Is(err, io.EOF):
		return &flow.Error{Code: flow.EINVALID,
			Message: fmt.Sprintf("input ended before step %d (%s) was answered", id.Number(), id.Title()),
			Fix:     "give one answer per line, or pass every value as flags with byok setup --no-input",
			Err:     io.ErrUnexpectedEOF}
	}
	return fmt.Errorf("read answer: %w", err)
}

// redact removes the typed secret v from err's text, should a check ever
// quote it.
func redact(err error, v string) error {
	s := userText(err)
	if len(v) >= 3 {
		s = strings.ReplaceAll(s, v, "[redacted]")
	}
	var fe *flow.Error
	if errors.As(err, &fe) {
		return &flow.Error{Code: fe.Code, Message: s}
	}
	return errors.New(s)
}

// plainReporter is the flow.Reporter of accessible mode: one line per
// event, and the paste read with ui/prompt's paste reader.
type plainReporter struct{ p *plainWizard }

var _ flow.Reporter = (*plainReporter)(nil)

// Started implements flow.Reporter.
func (r *plainReporter) Started(id string) { r.p.say("checking " + id + "…") }

// Finished implements flow.Reporter.
func (r *plainReporter) Finished(c flow.Check) { r.p.say(checklist.Line(c)) }

// ConsentURL implements flow.Reporter: the address stands alone on its
// line, whole, to be copied.
func (r *plainReporter) ConsentURL(url string, opened bool) {
	if opened {
		r.p.say("Your browser shows Microsoft's consent screen. If it did not open, visit:")
	} else {
		r.p.say("Open this address to see Microsoft's consent screen:")
	}
	r.p.say(url)
}

// Paste implements flow.Reporter: a typed line or a whole multi-line
// paste (a Microsoft error page has blank lines), read line by line in
// the terminal's own mode (bracketed paste would need escape sequences)
// until it holds an address or an error, or an empty line or the end of
// input comes; the prompt says how to finish.
func (r *plainReporter) Paste(ctx context.Context) (string, error) {
	o := prompt.PasteOptions{TTY: true, Term: "dumb", Complete: func(s string) bool {
		_, err := verify.ParsePasted(s)
		return err == nil
	}}
	r.p.say("Paste the address your browser landed on, or the whole error page Microsoft showed, " + o.Mode(r.p.o.In).Hint() + ":")
	s, err := prompt.ReadPaste(ctx, r.p.o.In, o)
	if r.p.tty {
		// The terminal echoed the paste, and perhaps the rest of the
		// page after the line that completed it, without its last
		// line end: what comes next starts its own line.
		fmt.Fprintln(r.p.o.Out)
	}
	if err != nil {
		return "", fmt.Errorf("read pasted address: %w", err)
	}
	return strings.TrimSpace(s), nil
}

// lineReader hands out at most one line per Read. huh's accessible
// prompts wrap the reader in a fresh bufio.Scanner for every question;
// without this the first scanner would swallow every later answer.
//
// With ctx set (on a terminal), each byte is read by a goroutine so that
// a Read waiting for the person returns as soon as ctx is cancelled: in
// cooked mode Ctrl+C cancels ctx, but a blocked read on the terminal
// would otherwise wait for Enter. A byte is only read when a Read asks
// for one: nothing is read ahead, so the next prompt, reading the same
// terminal by other means, gets every key typed after this answer.
type lineReader struct {
	r   io.Reader
	ctx context.Context
	eof bool
	one [1]byte

	// pending is the read still running after a cancelled wait; the
	// next Read takes its byte.
	pending chan byteOrErr
}

type byteOrErr struct {
	b   byte
	ok  bool
	err error
}

// next returns the next byte (ok) and/or the reader's error.
func (l *lineReader) next() (byte, bool, error) {
	if l.ctx == nil {
		k, err := l.r.Read(l.one[:])
		return l.one[0], k == 1, err
	}
	if l.pending == nil {
		if err := l.ctx.Err(); err != nil {
			return 0, false, err
		}
		l.pending = make(chan byteOrErr, 1)
		go func(r io.Reader, res chan<- byteOrErr) {
			var one [1]byte
			k, err := r.Read(one[:])
			res <- byteOrErr{one[0], k == 1, err}
		}(l.r, l.pending)
	}
	select {
	case r := <-l.pending:
		l.pending = nil
		return r.b, r.ok, r.err
	case <-l.ctx.Done():
		return 0, false, l.ctx.Err()
	}
}

// Read reads byte by byte up to and including the next newline.
func (l *lineReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		b, ok, err := l.next()
		if ok {
			p[n] = b
			n++
			if b == '\n' {
				return n, nil
			}
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				l.eof = true
			}
			if n > 0 {
				return n, nil
			}
			return 0, err
		}
	}
	return n, nil
}

// AccessibleInput wraps r for huh's accessible prompts: one line per Read
// (so that answers typed or piped ahead are not swallowed), and on a
// terminal a pending read ends when ctx is cancelled, so Ctrl+C quits at
// once instead of after Enter. Commands use it for their own prompts.
func AccessibleInput(ctx context.Context, r io.Reader) io.Reader {
	lr := &lineReader{r: r}
	if f, ok := r.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		lr.ctx = ctx
		return ttyLineReader{lineReader: lr, fd: f.Fd()}
	}
	return lr
}

// ttyLineReader is a lineReader on a terminal: huh reads passwords from
// its file descriptor, without echo.
type ttyLineReader struct {
	*lineReader
	fd uintptr
}

// Fd returns the terminal's file descriptor.
func (t ttyLineReader) Fd() uintptr { return t.fd }
