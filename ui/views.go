package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/sanitize"
	"github.com/hiveku/byok/ui/common"
	"github.com/hiveku/byok/ui/screens"
	"github.com/hiveku/byok/ui/text"
)

// View implements tea.Model: the wizard draws inline (no alternate
// screen), so what it printed stays in the scrollback.
func (w *Wizard) View() tea.View { return tea.NewView(w.render()) }

// render draws the header, the step's help, the screen, the messages and
// the key footer, wrapped to the terminal width.
func (w *Wizard) render() string {
	if w.quitting {
		// The wizard draws inline: what it leaves on screen stays in the
		// scrollback. RunWizard prints the last screen whole instead
		// (the demo's is one line).
		if w.page == pageDone && w.o.QuitAfterSave {
			return w.final()
		}
		return ""
	}
	if w.doctor != nil {
		return w.doctorView()
	}
	st := w.common.Styles
	width := w.common.Width
	header := st.Header.Render(w.header())
	var help string
	if h := strings.TrimSpace(w.o.Help(w.Step())); h != "" && w.page != pageDone && w.page != pageBefore {
		help = st.Help.Render(common.Wrap(h, width))
	}
	footer := common.Wrap(st.Footer.Render(w.footer()), width)
	msgs := common.Wrap(w.messages(), width)
	var body string
	switch {
	case w.busy != "":
		body = w.busy
	case w.screen != nil:
		body = w.screen.Content()
	case w.page == pageVerifying:
		body = common.Wrap(w.verifyView(width), width)
	case w.page == pageDone:
		body = w.doneWindow(header, footer)
	}
	view := screens.Join(header, help, body, msgs, footer)
	if lipgloss.Height(view) <= w.common.Height {
		return view
	}
	// Too short for everything: drop the help first, then (a screen fits
	// itself) cut the text from the bottom, so that the header and the
	// keys stay in sight.
	view = screens.Join(header, body, msgs, footer)
	if over := lipgloss.Height(view) - w.common.Height; over > 0 && w.screen == nil {
		lines := strings.Split(body, "\n")
		body = "…"
		if keep := len(lines) - over - 1; keep > 0 {
			body = strings.Join(lines[:keep], "\n") + "\n…"
		}
		view = screens.Join(header, body, msgs, footer)
	}
	return view
}

// final is the last screen's header and text, whole, wrapped to the
// width.
func (w *Wizard) final() string {
	return screens.Join(w.common.Styles.Header.Render(w.header()), common.Wrap(w.doneView(), w.common.Width))
}

// doneLines is the last screen's text as lines wrapped to the width, and
// how many of them fit between header and footer.
func (w *Wizard) doneLines(header, footer string) ([]string, int) {
	lines := strings.Split(common.Wrap(w.doneView(), w.common.Width), "\n")
	return lines, max(w.common.Height-lipgloss.Height(header)-lipgloss.Height(footer)-2, 3)
}

// doneWindow is the part of the last screen's text in sight: it scrolls
// (↑/↓) when taller than the terminal, with "↓ more" while there is.
func (w *Wizard) doneWindow(header, footer string) string {
	lines, room := w.doneLines(header, footer)
	if len(lines) <= room {
		return strings.Join(lines, "\n")
	}
	top := max(min(w.doneTop, len(lines)-room), 0)
	end := min(top+room, len(lines))
	if end < len(lines) {
		end-- // room for the marker
		return strings.Join(lines[top:end], "\n") + "\n" + w.common.Styles.Muted.Render("↓ more")
	}
	return strings.Join(lines[top:end], "\n")
}

// scrollDone moves the last screen's text by delta lines.
func (w *Wizard) scrollDone(delta int) {
	st := w.common.Styles
	footer := common.Wrap(st.Footer.Render(w.footer()), w.common.Width)
	lines, room := w.doneLines(st.Header.Render(w.header()), footer)
	w.doneTop = max(min(w.doneTop+delta, len(lines)-room), 0)
}

// doneScrolls reports whether the last screen's text is taller than the
// room it has.
func (w *Wizard) doneScrolls() bool {
	st := w.common.Styles
	footer := common.Wrap(st.Footer.Render(common.NewHelp().ShortHelpView(w.doneKeys(false))), w.common.Width)
	lines, room := w.doneLines(st.Header.Render(w.header()), footer)
	return len(lines) > room
}

// doneKeys are the last screen's keys.
func (w *Wizard) doneKeys(scroll bool) []key.Binding {
	km := w.common.KeyMap
	if scroll {
		return []key.Binding{km.Scroll, km.Finish, km.Quit}
	}
	return []key.Binding{km.Finish, km.Quit}
}

// canDoctor reports whether ctrl+e may open the doctor pane now: a
// DoctorFunc is set and no check or save is running.
func (w *Wizard) canDoctor() bool {
	return w.o.Doctor != nil && w.busy == "" && w.page != pageVerifying && w.page != pageDone
}

// header is "Step N of 7 · Title".
func (w *Wizard) header() string {
	id := w.Step()
	switch {
	case w.page == pageBefore:
		return "Before you start"
	case w.page == pageDone && w.saved:
		return "Done · " + w.result.Name + " is saved"
	case w.page == pageDone:
		return "Done"
	case id == flow.StepVerify:
		return "Step 8 · " + id.Title()
	}
	return fmt.Sprintf("Step %d of 7 · %s", id.Number(), id.Title())
}

// messages renders the wizard's notes and draft problems (a screen shows
// its own error), each with a status word so that they read without
// colour.
func (w *Wizard) messages() string {
	st := w.common.Styles
	var out []string
	for _, n := range w.notes {
		out = append(out, st.Warn.Render("note: "+n))
	}
	if w.draftErr != "" {
		out = append(out, st.Warn.Render("warning: "+w.draftErr))
	}
	return strings.Join(out, "\n")
}

// footer lists the keys of the current screen, from the one key map.
func (w *Wizard) footer() string {
	km := w.common.KeyMap
	var keys []key.Binding
	switch {
	case w.page == pageVerifying:
		return common.NewHelp().ShortHelpView([]key.Binding{km.Stop})
	case w.page == pageDone:
		return common.NewHelp().ShortHelpView(w.doneKeys(w.doneScrolls()))
	case w.screen != nil:
		keys = append(keys, w.screen.Keys()...)
	}
	if w.canDoctor() {
		keys = append(keys, km.Doctor)
	}
	return common.NewHelp().ShortHelpView(append(keys, km.Quit))
}

// beforeYouStart is what the guide asks for before step 1, each item
// wrapped under its own text.
func (w *Wizard) beforeYouStart(width int) string {
	var b strings.Builder
	b.WriteString(beforeYouStartIntro + "\n")
	width = max(width-4, 10)
	for _, it := range beforeYouStartItems {
		lines := strings.Split(common.Wrap(it, width), "\n")
		b.WriteString("\n  • " + strings.Join(lines, "\n    "))
	}
	return b.String()
}

// redirectDiff shows what was typed against the expected URI with a
// marker under each difference, and the mistakes in words.
func (w *Wizard) redirectDiff(width int) string {
	got, want, marks := flow.MarkDiff(w.badRedirect, flow.HivekuRedirectURI)
	var b strings.Builder
	b.WriteString("That is not the redirect URI Hiveku sends:")
	// The three aligned lines need room; on a narrow terminal the
	// mistakes in words say it better than a diff cut into pieces.
	if width >= 60 {
		b.WriteString("\n\n" + alignedDiff(got, want, marks, max(width-12, 10)))
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

// reviewRows is the summary of every answer; the secret only as its
// hint.
func (w *Wizard) reviewRows() []screens.Row {
	c := w.cfg
	redirect := c.RedirectURI
	if c.CustomRedirect {
		redirect += " (custom)"
	}
	rows := []screens.Row{
		{Label: "Name", Value: c.Name},
		{Label: "Account type", Value: c.AccountType.Label()},
		{Label: "Redirect URI", Value: redirect},
	}
	if c.Loopback {
		rows = append(rows, screens.Row{Value: flow.LoopbackRedirectURI + " (for byok verify)"})
	}
	secret := c.SecretInfo.Description
	if c.SecretInfo.Hint != "" {
		secret += " · " + c.SecretInfo.Hint
	}
	if !c.SecretInfo.Expires.IsZero() {
		secret += " · expires " + c.SecretInfo.Expires.Format("2006-01-02")
	}
	rows = append(rows,
		screens.Row{Label: "Permissions", Value: strings.Join(c.Scopes, ", ")},
		screens.Row{Label: "Secret", Value: secret},
		screens.Row{Label: "Client ID", Value: c.ClientID},
		screens.Row{Label: "Directory ID", Value: c.DirectoryID},
		screens.Row{Label: "Tenant", Value: c.Tenant},
	)
	for _, m := range reviewWarnings(w.answers, w.cfg, w.env()) {
		rows = append(rows, screens.Row{Warn: true, Value: m})
	}
	return rows
}

// doneView says what was saved, where, and what to do next.
func (w *Wizard) doneView() string {
	st := w.common.Styles
	if w.o.QuitAfterSave {
		return fmt.Sprintf("%s %q\n", st.OK.Render("✓ saved:"), w.result.Name)
	}
	var verr, checks string
	if w.verifyErr != nil {
		verr = w.redact(userText(w.verifyErr))
	}
	if w.run != nil && len(w.checks.Items) > 0 {
		checks = w.checks.View()
	}
	return doneText(w.result.Name, w.run, verr, checks, func(ok bool, s string) string {
		if ok {
			return st.OK.Render(s)
		}
		return st.Error.Render(s)
	})
}

// doneText is the last screen, the same in the TUI and the plain loop:
// what was saved, whether it works (verr: why verification did not
// finish; checks: the checklist as drawn), the next commands, and where
// the values go in Hiveku. mark styles a status word (ok or not).
func doneText(name string, run *flow.Run, verr, checks string, mark func(ok bool, s string) string) string {
	quoted := text.ShellQuote(name)
	var b strings.Builder
	fmt.Fprintf(&b, "%s %q\n", mark(true, "✓ saved:"), name)
	switch {
	case run != nil && !run.Failed():
		who := ""
		if run.Email != "" {
			who = " as " + sanitize.Line(run.Email)
		}
		fmt.Fprintf(&b, "%s it works%s.\n", mark(true, "✓ verified:"), who)
	case run != nil:
		fmt.Fprintf(&b, "%s some checks failed; fix them in the portal, then run byok verify %s.\n", mark(false, "✗ not verified:"), quoted)
	case verr != "":
		fmt.Fprintf(&b, "%s %s\n", mark(false, "error: verification did not finish:"), verr)
	default:
		b.WriteString("Step 8, verify it works: not run yet; the first command below does it.\n")
	}
	if checks != "" {
		b.WriteString("\n" + checks + "\n")
	}
	b.WriteString("\nNext steps:\n")
	var cmds [][2]string
	if run == nil || run.Failed() {
		cmds = append(cmds, [2]string{"byok verify " + quoted, "live consent test"})
	}
	cmds = append(cmds, [2]string{"byok show " + quoted, "what was saved"})
	col := 0
	for _, c := range cmds {
		col = max(col, text.Width(c[0]))
	}
	for _, c := range cmds {
		fmt.Fprintf(&b, "  %s   %s\n", text.PadRight(c[0], col), c[1])
	}
	b.WriteString("\n" + InHiveku)
	return b.String()
}
