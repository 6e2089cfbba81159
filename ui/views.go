package ui

import (
	"fmt"
	"strings"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/sanitize"
	"github.com/hiveku/byok/ui/common"
	"github.com/hiveku/byok/ui/screens"
)

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
	for _, f := range []string{flow.FieldTenant, flow.FieldSecretExpiry} {
		if m := w.warns[f]; m != "" {
			rows = append(rows, screens.Row{Warn: true, Value: m})
		}
	}
	return rows
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
