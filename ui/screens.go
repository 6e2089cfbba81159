package ui

import (
	"errors"
	"fmt"
	"github.com/hiveku/byok/flow/sanitize"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"
	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/ui/common"
	"github.com/hiveku/byok/ui/screens"
)

// newForm wraps groups in a huh form with the wizard's settings: our own
// footer instead of huh's help, and the terminal's width.
func (w *Wizard) newForm(groups ...*huh.Group) *huh.Form {
	return huh.NewForm(groups...).
		WithTheme(screens.Theme(w.o.NoColor)).
		WithShowHelp(false).
		WithShowErrors(true).
		WithWidth(w.formWidth())
}

// build (re)creates the current screen's form from the answers.
func (w *Wizard) build() {
	w.form = nil
	switch w.screen {
	case scrBefore:
		w.form = w.newForm(huh.NewGroup(
			huh.NewConfirm().Title("Ready?").Affirmative("Start").Negative("Quit").Value(&w.ready),
		))
	case scrName:
		f := field(flow.StepName, flow.FieldName)
		w.form = w.newForm(huh.NewGroup(
			huh.NewInput().Title(f.Title).
				Description(f.Hint).
				Placeholder(f.Placeholder).
				CharLimit(200).
				Value(&w.name).
				Validate(w.check(flow.StepName, flow.FieldName)),
		))
	case scrAccount:
		var opts []huh.Option[flow.AccountType]
		for _, o := range field(flow.StepAccountType, flow.FieldAccountType).Options(w.answers()) {
			a, err := flow.ParseAccountType(o.Value)
			if err != nil {
				continue
			}
			label := o.Label
			if o.Recommended {
				label += " (recommended)"
			}
			opts = append(opts, huh.NewOption(label, a))
		}
		w.form = w.newForm(huh.NewGroup(
			huh.NewSelect[flow.AccountType]().Title("Supported account types").
				Options(opts...).Value(&w.account),
		))
	case scrRedirect:
		uri, loop := field(flow.StepRedirect, flow.FieldRedirectURI), field(flow.StepRedirect, flow.FieldLoopback)
		w.form = w.newForm(huh.NewGroup(
			// No field-level check: a wrong URI is diagnosed on the
			// next screen (scrRedirectFix) with a diff.
			huh.NewInput().Title(uri.Title).
				Description(uri.Hint).
				Value(&w.redirect),
			huh.NewConfirm().Title(loop.Title).
				Description(loop.Hint).
				Affirmative("Yes").Negative("No").
				Value(&w.loopback),
		))
	case scrRedirectFix:
		opts := []huh.Option[string]{
			huh.NewOption("Use "+flow.HivekuRedirectURI, "use"),
			huh.NewOption("Edit what I typed", "edit"),
		}
		if w.o.AllowCustomRedirect {
			opts = append(opts, huh.NewOption("Keep it: this is a custom redirect URI (staging, self-hosted)", "custom"))
		}
		w.fixChoice = "use"
		w.form = w.newForm(huh.NewGroup(
			huh.NewSelect[string]().Title("What now?").Options(opts...).Value(&w.fixChoice),
		))
	case scrPermissions:
		// flow's presets, then the catalog picker (flow's free text).
		scopes := field(flow.StepPermissions, flow.FieldScopes)
		var opts []huh.Option[string]
		for _, o := range scopes.Options(w.answers()) {
			opts = append(opts, huh.NewOption(o.Label, o.Value))
		}
		opts = append(opts, huh.NewOption("custom: pick from the catalog", "custom"))
		w.form = w.newForm(huh.NewGroup(
			huh.NewSelect[string]().Title(scopes.Title).
				Options(opts...).Value(&w.preset),
		))
	case scrCustomScopes:
		if len(w.custom) == 0 {
			w.custom = append([]string(nil), flow.ScopePresets["full"]...)
		}
		var opts []huh.Option[string]
		for _, p := range w.o.Permissions {
			label := p.Name
			if p.Description != "" {
				label += " — " + p.Description
			}
			if p.AdminConsent {
				label += " (admin consent)"
			}
			opt := huh.NewOption(label, p.Name)
			for _, s := range w.custom {
				if strings.EqualFold(s, p.Name) {
					opt = opt.Selected(true)
				}
			}
			opts = append(opts, opt)
		}
		ms := huh.NewMultiSelect[string]().Title("Pick the permissions").
			Description("offline_access is always included: without it Microsoft issues no refresh token and the connection stops after an hour.").
			Options(opts...).Value(&w.custom)
		if room := max(w.common.Height-8, 8); len(opts)+4 > room {
			ms = ms.Height(room) // scrolls
		}
		w.form = w.newForm(huh.NewGroup(ms))
	case scrSecret:
		w.secretInput = ""
		value := huh.NewInput().Title("Secret value").
			Description(secretHint()).
			EchoMode(huh.EchoModePassword).
			Value(&w.secretInput).
			Validate(func(s string) error {
				if strings.TrimSpace(s) == "" && !w.secret.IsZero() {
					return nil
				}
				return w.check(flow.StepSecret, flow.FieldSecretValue)(s)
			})
		if !w.secret.IsZero() {
			value = value.Description("Leave empty to keep the secret you entered before (" + w.secret.Hint() + ").")
		}
		desc := field(flow.StepSecret, flow.FieldSecretDescription)
		w.form = w.newForm(huh.NewGroup(
			huh.NewInput().Title(desc.Title).Value(&w.secretDesc).
				Validate(w.check(flow.StepSecret, flow.FieldSecretDescription)),
			huh.NewInput().Title("Expires").
				Description(field(flow.StepSecret, flow.FieldSecretExpiry).Hint).
				Value(&w.expiry).
				Validate(w.check(flow.StepSecret, flow.FieldSecretExpiry)),
			value,
		))
	case scrTenantIDs:
		cid, did := field(flow.StepTenant, flow.FieldClientID), field(flow.StepTenant, flow.FieldDirectoryID)
		w.form = w.newForm(huh.NewGroup(
			huh.NewInput().Title(cid.Title).
				Description(cid.Hint).
				Placeholder(cid.Placeholder).
				Value(&w.clientID).
				Validate(w.check(flow.StepTenant, flow.FieldClientID)),
			huh.NewInput().Title(did.Title).
				Description(did.Hint).
				Placeholder(did.Placeholder).
				Value(&w.directoryID).
				Validate(w.check(flow.StepTenant, flow.FieldDirectoryID)),
		))
	case scrTenant:
		if w.tenantChoice == "" {
			w.tenantChoice = defaultTenant(w.account)
		}
		dir := strings.TrimSpace(w.directoryID)
		w.form = w.newForm(huh.NewGroup(
			huh.NewSelect[string]().Title("Tenant Hiveku will use").
				Options(
					huh.NewOption("common: any work, school or personal account", "common"),
					huh.NewOption("organizations: any work or school account", "organizations"),
					huh.NewOption("consumers: personal Microsoft accounts only", "consumers"),
					huh.NewOption("your directory ID: "+dir, tenantDirectory),
					huh.NewOption("a verified domain (e.g. contoso.com)", tenantDomain),
				).
				Value(&w.tenantChoice),
		))
	case scrTenantDomain:
		w.form = w.newForm(huh.NewGroup(
			huh.NewInput().Title("Verified domain").
				Placeholder("contoso.com").
				Value(&w.domain),
		))
	case scrReview:
		w.reviewChoice = "save"
		opts := []huh.Option[string]{huh.NewOption("Save", "save")}
		for _, id := range flow.Steps[:6] {
			opts = append(opts, huh.NewOption(fmt.Sprintf("Edit step %d: %s", id.Number(), id.Title()), string(id)))
		}
		sel := huh.NewSelect[string]().Title("Save, or edit a step?").Options(opts...).Value(&w.reviewChoice)
		// Keep the summary, the choice and the footer on one screen: the
		// list scrolls when the terminal is short.
		used := lipgloss.Height(common.Wrap(w.review(), w.common.Width)) + 7
		if room := w.common.Height - used; room < len(opts)+1 {
			sel = sel.Height(max(room, 3))
		}
		w.form = w.newForm(huh.NewGroup(sel))
	case scrVerifyAsk:
		w.form = w.newForm(huh.NewGroup(
			huh.NewConfirm().Title("Verify it works now?").
				Description(verifyAskHint).
				Affirmative("Yes").Negative("Later").
				Value(&w.verifyNow),
		))
	case scrPaste:
		w.pasteValue = ""
		w.form = w.newForm(huh.NewGroup(
			huh.NewInput().Title("Paste the address your browser landed on").
				Description("Or the error text of a Microsoft error page.").
				Value(&w.pasteValue),
		))
	}
}

// defaultTenant is the recommended tenant segment for an account type.
func defaultTenant(a flow.AccountType) string {
	switch a {
	case flow.SingleTenant:
		return tenantDirectory
	case flow.MultiTenant:
		return "organizations"
	case flow.PersonalOnly:
		return "consumers"
	}
	return "common"
}

// resolveTenant turns a tenant choice into the authority segment.
func (w *Wizard) resolveTenant(choice string) string {
	switch choice {
	case tenantDirectory:
		return strings.TrimSpace(w.directoryID)
	case tenantDomain:
		return strings.TrimSpace(w.domain)
	}
	return choice
}

// tenantAdvice explains what the highlighted tenant means for the account
// type chosen at step 2 (flow.ValidateTenant's error or warning), with a
// status word so that it reads without colour.
func (w *Wizard) tenantAdvice() string {
	st := w.common.Styles
	if w.tenantChoice == tenantDomain {
		return "note: type the domain on the next screen"
	}
	warn, err := flow.ValidateTenant(w.resolveTenant(w.tenantChoice), w.account, strings.TrimSpace(w.directoryID))
	switch {
	case err != nil:
		return st.Error.Render("✗ won't work: " + userText(err))
	case warn != "":
		return st.Warn.Render("! warning: " + warn)
	}
	return st.OK.Render("✓ fits " + w.account.Label())
}

// answers returns the wizard's fields as flow's answers, for the steps'
// one definition (flow.StepID.Def) to check.
func (w *Wizard) answers() flow.Answers {
	return flow.Answers{
		Name:              w.name,
		AccountType:       string(w.account),
		RedirectURI:       w.redirect,
		CustomRedirect:    w.customRedirect,
		Loopback:          w.loopback,
		Scopes:            strings.Join(w.scopes, ","),
		SecretDescription: w.secretDesc,
		SecretExpires:     w.expiry,
		ClientID:          w.clientID,
		DirectoryID:       w.directoryID,
		Tenant:            w.tenant,
	}
}

// env is what flow's step checks need besides the answers.
func (w *Wizard) env() flow.StepEnv {
	return flow.StepEnv{Now: w.o.Now(), Permissions: w.o.Permissions, AllowCustomRedirect: w.o.AllowCustomRedirect}
}

// submitStep runs step id's Submit on a against the answers so far.
func (w *Wizard) submitStep(id flow.StepID, a flow.Answers) (flow.Config, []flow.Warning, error) {
	return id.Def().Submit(a, w.Config(), w.env())
}

// field returns field key of step id as flow defines it (title, hint,
// placeholder, check).
func field(id flow.StepID, key string) flow.Field {
	f, _ := id.Def().Field(key)
	return f
}

// check runs the Check of field key of step id on v: the field-level
// validation huh shows as the person types.
func (w *Wizard) check(id flow.StepID, key string) func(string) error {
	f, ok := id.Def().Field(key)
	if !ok || f.Check == nil {
		return func(string) error { return nil }
	}
	return func(v string) error { return f.Check(v, w.answers(), w.env()) }
}

// submit handles a completed form: flow's Step.Submit checks the answers
// and the wizard moves on, or shows what is wrong and stays.
func (w *Wizard) submit() tea.Cmd {
	switch w.screen {
	case scrBefore:
		if !w.ready {
			return w.abort()
		}
		w.screen = scrName
		w.build()
		return w.initForm()
	case scrName:
		c, _, err := w.submitStep(flow.StepName, w.answers())
		if err != nil {
			return w.fail(err)
		}
		name := c.Name
		w.name = name
		if w.o.Store == nil {
			return w.complete(flow.StepName)
		}
		w.busy = "Checking the name…"
		ctx, store := w.ctx, w.o.Store
		return func() tea.Msg {
			taken, err := store.NameTaken(ctx, name)
			return nameCheckedMsg{name: name, taken: taken, err: err}
		}
	case scrAccount:
		if _, _, err := w.submitStep(flow.StepAccountType, w.answers()); err != nil {
			return w.fail(err)
		}
		return w.complete(flow.StepAccountType)
	case scrRedirect:
		a := w.answers()
		a.CustomRedirect = false
		if _, _, err := w.submitStep(flow.StepRedirect, a); err != nil {
			w.badRedirect = w.redirect
			w.errMsg = ""
			if len(flow.CompareRedirect(w.redirect, flow.HivekuRedirectURI)) == 0 {
				w.errMsg = userText(err)
			}
			w.screen = scrRedirectFix
			w.build()
			return w.initForm()
		}
		w.customRedirect = false
		return w.complete(flow.StepRedirect)
	case scrRedirectFix:
		switch w.fixChoice {
		case "use":
			w.redirect = flow.HivekuRedirectURI
			w.customRedirect = false
			return w.complete(flow.StepRedirect)
		case "custom":
			if !w.o.AllowCustomRedirect {
				break
			}
			a := w.answers()
			a.RedirectURI, a.CustomRedirect = w.badRedirect, true
			c, _, err := w.submitStep(flow.StepRedirect, a)
			if err != nil {
				w.screen = scrRedirect
				return w.fail(err)
			}
			w.redirect = c.RedirectURI
			w.customRedirect = c.CustomRedirect
			return w.complete(flow.StepRedirect)
		}
		w.errMsg = ""
		w.screen = scrRedirect
		w.build()
		return w.initForm()
	case scrPermissions:
		if w.preset == "custom" {
			w.screen = scrCustomScopes
			w.errMsg = ""
			w.build()
			return w.initForm()
		}
		return w.setScopes(flow.ScopePresets[w.preset])
	case scrCustomScopes:
		picked := append([]string(nil), w.custom...)
		has := false
		for _, s := range picked {
			if strings.EqualFold(s, "offline_access") {
				has = true
			}
		}
		if !has {
			picked = append([]string{"offline_access"}, picked...)
			w.custom = picked
		}
		cmd := w.setScopes(picked)
		if !has && w.screen != scrCustomScopes {
			w.notes = append(w.notes, "offline_access was added back: without it there is no refresh token")
		}
		return cmd
	case scrSecret:
		return w.submitSecret()
	case scrTenantIDs:
		// Step 6 is two screens: the IDs are checked here with their
		// fields' own checks, the whole step when the tenant is chosen.
		for _, key := range []string{flow.FieldClientID, flow.FieldDirectoryID} {
			if err := w.check(flow.StepTenant, key)(w.answers().Get(key)); err != nil {
				return w.fail(err)
			}
		}
		w.clientID = strings.TrimSpace(w.clientID)
		w.directoryID = strings.TrimSpace(w.directoryID)
		w.errMsg = ""
		w.screen = scrTenant
		w.build()
		return w.initForm()
	case scrTenant:
		if w.tenantChoice == tenantDomain {
			w.errMsg = ""
			w.screen = scrTenantDomain
			w.build()
			return w.initForm()
		}
		return w.setTenant(w.resolveTenant(w.tenantChoice))
	case scrTenantDomain:
		d := strings.TrimSpace(w.domain)
		if d == "" {
			// flow reads an empty tenant as "the recommended one"; on
			// this screen it is a domain not typed yet.
			return w.fail(flow.Invalid("tenant", "the domain is empty").WithFix("type a verified domain such as contoso.com, or press esc to pick another tenant"))
		}
		return w.setTenant(d)
	case scrReview:
		if w.reviewChoice != "save" {
			w.editing = true
			w.errMsg, w.notes = "", nil
			w.screen = firstScreen(flow.StepID(w.reviewChoice))
			w.build()
			return w.initForm()
		}
		cfg, _, err := w.submitStep(flow.StepReview, w.answers())
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
	case scrVerifyAsk:
		if !w.verifyNow || w.o.Verify == nil {
			w.screen = scrDone
			w.form = nil
			return nil
		}
		return w.startVerify()
	case scrPaste:
		return w.submitPaste()
	}
	return nil
}

// setScopes submits step 4 with scopes.
func (w *Wizard) setScopes(scopes []string) tea.Cmd {
	a := w.answers()
	a.Scopes = strings.Join(scopes, ",")
	c, _, err := w.submitStep(flow.StepPermissions, a)
	if err != nil {
		return w.fail(err)
	}
	w.scopes = append([]string(nil), c.Scopes...)
	return w.complete(flow.StepPermissions)
}

// submitSecret submits step 5 (description, expiry, value; an empty value
// keeps the secret entered before). A rejected value is cleared so it is
// never kept or shown.
func (w *Wizard) submitSecret() tea.Cmd {
	input := strings.TrimSpace(w.secretInput)
	w.secretInput = ""
	a := w.answers()
	a.SecretValue = flow.Secret(input)
	c, warns, err := w.submitStep(flow.StepSecret, a)
	if err != nil {
		w.secretInput = input // for redact
		msg := w.redact(userText(err))
		w.secretInput = ""
		return w.fail(errors.New(msg))
	}
	w.secret = c.Secret
	w.expires = c.SecretInfo.Expires
	w.expiryWarn = ""
	for _, wn := range warns {
		w.expiryWarn = wn.Message
	}
	cmd := w.complete(flow.StepSecret)
	for _, wn := range warns {
		w.notes = append(w.notes, wn.Message)
	}
	return cmd
}

// setTenant submits step 6 with tenant t; a warning is kept for the
// review screen.
func (w *Wizard) setTenant(t string) tea.Cmd {
	a := w.answers()
	a.Tenant = t
	c, warns, err := w.submitStep(flow.StepTenant, a)
	if err != nil {
		return w.fail(err)
	}
	w.clientID, w.directoryID, w.tenant = c.ClientID, c.DirectoryID, c.Tenant
	w.tenantWarn = ""
	for _, wn := range warns {
		w.tenantWarn = wn.Message
	}
	cmd := w.complete(flow.StepTenant)
	for _, wn := range warns {
		w.notes = append(w.notes, wn.Message)
	}
	return cmd
}

// intro is the screen's own content above the form: the redirect diff,
// the review summary, the checklist, the final summary.
func (w *Wizard) intro() string {
	switch w.screen {
	case scrBefore:
		return w.beforeYouStart()
	case scrName:
		if w.o.Draft != nil && w.o.Draft.Step == "" && w.name != "" {
			return "Answers are filled in; press enter to keep each one."
		}
	case scrRedirectFix:
		return w.redirectDiff()
	case scrSecret:
		if w.expiryWarn != "" {
			return w.common.Styles.Warn.Render("warning: " + w.expiryWarn)
		}
	case scrTenant:
		// Below the list in View; recomputed as the cursor moves.
	case scrReview:
		return w.review()
	case scrVerifying, scrPaste:
		return w.verifyView()
	case scrDone:
		return w.doneView()
	}
	return ""
}

// secretHint is flow's hint for the secret value: copy the Value, and
// paste it into Hiveku now, since Microsoft shows it only once.
func secretHint() string {
	f, _ := flow.StepSecret.Def().Field(flow.FieldSecretValue)
	return f.Hint
}

// beforeYouStart is what the guide asks for before step 1, each item
// wrapped under its own text.
func (w *Wizard) beforeYouStart() string {
	var b strings.Builder
	b.WriteString(beforeYouStartIntro + "\n")
	width := max(w.common.Width-4, 10)
	for _, it := range beforeYouStartItems {
		lines := strings.Split(common.Wrap(it, width), "\n")
		b.WriteString("\n  • " + strings.Join(lines, "\n    "))
	}
	return b.String()
}

// redirectDiff shows what was typed against the expected URI with a
// marker under each difference, and the mistakes in words.
func (w *Wizard) redirectDiff() string {
	got, want, marks := flow.MarkDiff(w.badRedirect, flow.HivekuRedirectURI)
	var b strings.Builder
	b.WriteString("That is not the redirect URI Hiveku sends:")
	// The three aligned lines need room; on a narrow terminal the
	// mistakes in words say it better than a diff cut into pieces.
	if w.common.Width >= 60 {
		b.WriteString("\n\n" + alignedDiff(got, want, marks, max(w.common.Width-12, 10)))
	}
	if problems := flow.CompareRedirect(w.badRedirect, flow.HivekuRedirectURI); len(problems) > 0 {
		b.WriteString("\n")
		for _, p := range problems {
			b.WriteString("\n  • " + p)
		}
	}
	return b.String()
}

// alignedDiff renders the three aligned diff lines, cut into chunks of
// width runes so that they stay aligned on a narrow terminal.
func alignedDiff(got, want, marks string, width int) string {
	g, wt, m := []rune(got), []rune(want), []rune(marks)
	n := max(len(g), len(wt), len(m))
	var b strings.Builder
	for start := 0; start < n || start == 0; start += width {
		end := min(start+width, n)
		if start > 0 {
			b.WriteString("\n")
		}
		b.WriteString("  typed:    " + sliceRunes(g, start, end) + "\n")
		b.WriteString("  expected: " + sliceRunes(wt, start, end) + "\n")
		b.WriteString("            " + strings.TrimRight(sliceRunes(m, start, end), " "))
		if n == 0 {
			break
		}
	}
	return strings.TrimRight(b.String(), " ")
}

func sliceRunes(r []rune, start, end int) string {
	if start >= len(r) {
		return ""
	}
	return string(r[start:min(end, len(r))])
}

// review is the summary of every answer; the secret only as its hint.
func (w *Wizard) review() string {
	c := w.Config()
	st := w.common.Styles
	// Values wrap under themselves, not under the labels.
	row := func(label, value string) string {
		value = common.Wrap(value, max(w.common.Width-15, 10))
		value = strings.ReplaceAll(value, "\n", "\n"+strings.Repeat(" ", 15))
		return st.Label.Render(fmt.Sprintf("%-14s", label)) + " " + value
	}
	redirect := c.RedirectURI
	if c.CustomRedirect {
		redirect += " (custom)"
	}
	rows := []string{
		row("Name", c.Name),
		row("Account type", c.AccountType.Label()),
		row("Redirect URI", redirect),
	}
	if c.Loopback {
		rows = append(rows, row("", flow.LoopbackRedirectURI+" (for byok verify)"))
	}
	secret := c.SecretInfo.Description
	if c.SecretInfo.Hint != "" {
		secret += " · " + c.SecretInfo.Hint
	}
	if !c.SecretInfo.Expires.IsZero() {
		secret += " · expires " + c.SecretInfo.Expires.Format("2006-01-02")
	}
	rows = append(rows,
		row("Permissions", strings.Join(c.Scopes, ", ")),
		row("Secret", secret),
		row("Client ID", c.ClientID),
		row("Directory ID", c.DirectoryID),
		row("Tenant", c.Tenant),
	)
	if w.tenantWarn != "" {
		rows = append(rows, st.Warn.Render("warning: "+w.tenantWarn))
	}
	if w.expiryWarn != "" {
		rows = append(rows, st.Warn.Render("warning: "+w.expiryWarn))
	}
	return strings.Join(rows, "\n")
}

// doneView says what was saved, where, and what to do next.
func (w *Wizard) doneView() string {
	st := w.common.Styles
	name := shellQuote(w.result.Name)
	var b strings.Builder
	fmt.Fprintf(&b, "%s %q\n", st.OK.Render("✓ saved:"), w.result.Name)
	if w.o.QuitAfterSave {
		return b.String()
	}
	switch {
	case w.run != nil && !w.run.Failed():
		who := ""
		if w.run.Email != "" {
			who = " as " + sanitize.Line(w.run.Email)
		}
		fmt.Fprintf(&b, "%s it works%s.\n", st.OK.Render("✓ verified:"), who)
	case w.run != nil:
		fmt.Fprintf(&b, "%s some checks failed; fix them in the portal, then run byok verify %s.\n", st.Error.Render("✗ not verified:"), name)
	case w.verifyErr != nil:
		fmt.Fprintf(&b, "%s %s\n", st.Error.Render("error: verification did not finish:"), w.redact(userText(w.verifyErr)))
	default:
		b.WriteString("Step 8, verify it works: not run yet; the first command below does it.\n")
	}
	if w.run != nil && len(w.checks.Items) > 0 {
		b.WriteString("\n" + w.checks.View() + "\n")
	}
	b.WriteString("\nNext steps:\n")
	if w.run == nil || w.run.Failed() {
		fmt.Fprintf(&b, "  byok verify %s   live consent test\n", name)
	}
	fmt.Fprintf(&b, "  byok show %s   what was saved\n", name)
	b.WriteString("\n" + inHiveku)
	return b.String()
}
