package home

import (
	bkey "charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"fmt"
	"github.com/hiveku/byok/flow/sanitize"
	"github.com/hiveku/byok/ui/text"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/hiveku/byok/flow"
)

// hints returns the key hints that apply, from the key map, wrapped by
// item at the terminal width by the caller: "s resume draft" only when
// there is a draft to resume, and on a selected draft only what applies
// to it (Enter resumes it; verify, rotate… need a saved config).
func (m *Model) hints() []string {
	order := hintOrder
	if _, draft := m.Selected(); draft || len(m.rows) == 0 {
		order = draftHintOrder
		if !draft {
			order = []bkey.Binding{keys.New, keys.Doctor, keys.Quit}
		}
	}
	out := make([]string, 0, len(order))
	for _, b := range order {
		if b.Help() == keys.Resume.Help() && len(m.rows) <= m.configs {
			continue
		}
		out = append(out, hintText(b))
	}
	return out
}

// column is one table column.
type column struct {
	title string
	cell  func(l *flow.Listing) (string, level)
	min   int // narrowest before it is dropped
	width int
}

// minListRows is how many list rows the layout keeps before it gives
// the rest of the screen to the detail pane.
const minListRows = 5

// layout is what fits on the screen for the current selection.
type layout struct {
	head     []string // title, status, table header
	listRows int      // list rows shown
	detail   []string // separator and detail pane, already cut to fit
	foot     []string // key hints
	cols     []column
}

// View implements tea.Model. It renders nothing once a choice is made,
// so the program leaves a clean terminal for the chosen command.
func (m *Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	return v
}

// render draws the screen as text.
func (m *Model) render() string {
	if m.done {
		return ""
	}
	lay := m.layout()
	lines := append([]string(nil), lay.head...)
	if len(m.rows) == 0 {
		lines = append(lines, "", "No saved configs and no drafts yet.",
			"Press n to register your first app with the wizard.", "")
	}
	end := min(m.offset+lay.listRows, len(m.rows))
	for i := m.offset; i < end; i++ {
		lines = append(lines, m.rowLine(i, lay.cols))
	}
	lines = append(lines, lay.detail...)
	lines = append(lines, lay.foot...)
	for i, l := range lines {
		if ansi.StringWidth(l) > m.width {
			lines[i] = ansi.Truncate(l, m.width, "…")
		}
	}
	return strings.Join(lines, "\n")
}

// layout divides the height between the list and the detail pane: the
// list keeps up to minListRows rows, the detail pane takes what it needs
// of the rest, and the list grows into what is left.
func (m *Model) layout() layout {
	w, h := max(m.width, 1), max(m.height, 1)
	var lay layout
	title := fmt.Sprintf("byok · %s", plural(m.configs, "saved config", "saved configs"))
	if d := len(m.rows) - m.configs; d > 0 {
		title += ", " + plural(d, "draft", "drafts")
	}
	lay.head = append(lay.head, m.st.title.Render(ansi.Truncate(title, w, "…")))
	switch {
	case m.notice != "":
		lay.head = append(lay.head, m.st.paint(lvlWarn, ansi.Truncate(m.notice, w, "…")))
	case m.o.Status != "":
		// the last action's result: an error may quote Microsoft
		lay.head = append(lay.head, ansi.Truncate(sanitize.Line(m.o.Status), w, "…"))
	}
	lay.foot = wrapItems(m.hints(), " · ", w)
	if m.configs > 0 {
		lay.cols = m.columns(w - 2)
		lay.head = append(lay.head, m.headerLine(lay.cols))
	}
	space := h - len(lay.head) - len(lay.foot)
	if space < 1 {
		// Too small for everything: keep the list, drop the hints.
		lay.foot = nil
		space = max(h-len(lay.head), 1)
	}
	n := len(m.rows)
	keep := min(n, minListRows, space)
	detail := m.detailLines(w, false)
	if len(detail) > space-keep {
		// No room for the whole consent URL: point at the command instead.
		detail = m.detailLines(w, true)
	}
	lay.listRows = min(n, max(keep, space-len(detail)))
	room := space - lay.listRows
	switch {
	case room < 2 || len(detail) == 0:
		detail = nil
	case len(detail) > room:
		detail = detail[:room]
		detail[room-1] = ansi.Truncate(detail[room-1], w-1, "") + "…"
	}
	lay.detail = detail
	return lay
}

// tableRows is how many list rows the current layout shows.
func (m *Model) tableRows() int { return max(m.layout().listRows, 1) }

// scroll keeps the cursor inside the shown part of the list.
func (m *Model) scroll() {
	if len(m.rows) == 0 {
		m.cursor, m.offset = 0, 0
		return
	}
	rows := m.tableRows()
	if m.cursor < m.offset {
		m.offset = m.cursor
	}
	if m.cursor >= m.offset+rows {
		m.offset = m.cursor - rows + 1
	}
	m.offset = max(min(m.offset, len(m.rows)-rows), 0)
}

// columns sizes the table to width: each column at its widest cell, then
// the name, tenant and verification narrowed, then columns dropped
// (type, tenant, verification) until the table fits.
func (m *Model) columns(width int) []column {
	now := m.o.Now()
	cols := []column{
		{title: "NAME", min: 12, cell: func(l *flow.Listing) (string, level) { return l.Config.Name, lvlPlain }},
		{title: "TYPE", min: 14, cell: func(l *flow.Listing) (string, level) { return l.Config.AccountType.Short(), lvlPlain }},
		{title: "TENANT", min: 8, cell: func(l *flow.Listing) (string, level) { return l.Config.Tenant, lvlPlain }},
		{title: "VERIFIED", min: 10, cell: func(l *flow.Listing) (string, level) { return verified(l.LastRun, now) }},
		{title: "SECRET", min: 10, cell: func(l *flow.Listing) (string, level) { return expiry(l.Config.SecretInfo, now) }},
	}
	if m.natural == nil {
		// The widest cell of each column, measured once: with thousands
		// of configs this is most of a redraw's work.
		m.natural = make([]int, len(cols))
		for i := range cols {
			m.natural[i] = ansi.StringWidth(cols[i].title)
			for _, r := range m.rows[:m.configs] {
				s, _ := cols[i].cell(r.listing)
				m.natural[i] = max(m.natural[i], ansi.StringWidth(sanitize.Line(s)))
			}
		}
	}
	for i := range cols {
		cols[i].width = m.natural[i]
	}
	total := func() int {
		t := len(cols) - 1
		for _, c := range cols {
			t += c.width
		}
		return t
	}
	// VERIFIED is never cut ("✓ 2d ago as al…" hides who); it is dropped
	// whole when nothing else is left to narrow.
	shrinkable := map[string]bool{"NAME": true, "TENANT": true}
	for total() > width {
		// A long tenant (a GUID) goes first: the detail pane shows it whole.
		if i := colIndex(cols, "TENANT"); i >= 0 && cols[i].width > 13 {
			cols[i].width--
			continue
		}
		// Then the type (the detail pane shows it), before any name is cut.
		if i := colIndex(cols, "TYPE"); i >= 0 {
			cols = append(cols[:i], cols[i+1:]...)
			continue
		}
		// Narrow the widest shrinkable column still above its minimum.
		widest := -1
		for i, c := range cols {
			if shrinkable[c.title] && c.width > c.min && (widest < 0 || c.width > cols[widest].width) {
				widest = i
			}
		}
		if widest >= 0 {
			cols[widest].width--
			continue
		}
		dropped := false
		for _, t := range []string{"TYPE", "TENANT", "VERIFIED"} {
			for i, c := range cols {
				if c.title == t {
					cols = append(cols[:i], cols[i+1:]...)
					dropped = true
					break
				}
			}
			if dropped {
				break
			}
		}
		if !dropped {
			// Only the name and the secret are left: share what there is.
			over := total() - width
			cols[0].width = max(cols[0].width-over, 1)
			break
		}
	}
	return cols
}

// colIndex returns the index of the column titled title, or -1.
func colIndex(cols []column, title string) int {
	for i, c := range cols {
		if c.title == title {
			return i
		}
	}
	return -1
}

// headerLine is the table's column titles.
func (m *Model) headerLine(cols []column) string {
	cells := make([]string, len(cols))
	for i, c := range cols {
		cells[i] = pad(c.title, c.width)
	}
	return m.st.header.Render(strings.TrimRight("  "+strings.Join(cells, " "), " "))
}

// rowLine renders list row i: a config's cells, or a draft's sentence.
func (m *Model) rowLine(i int, cols []column) string {
	prefix := "  "
	if i == m.cursor {
		prefix = "> "
	}
	r := m.rows[i]
	if r.draft != nil {
		s := ansi.Truncate(draftLine(*r.draft), max(m.width-2, 1), "…")
		if i == m.cursor {
			return prefix + m.st.selected.Render(s)
		}
		return prefix + m.st.paint(lvlMuted, s)
	}
	cells := make([]string, len(cols))
	for j, c := range cols {
		s, l := c.cell(r.listing)
		s = pad(sanitize.Line(s), c.width) // stored text may come from a bundle or Microsoft
		if c.title == "NAME" && i == m.cursor {
			s = m.st.selected.Render(s)
		} else {
			s = m.st.paint(l, s)
		}
		cells[j] = s
	}
	return strings.TrimRight(prefix+strings.Join(cells, " "), " ")
}

// pad truncates or pads s to exactly width columns.
func pad(s string, width int) string {
	if ansi.StringWidth(s) > width {
		return ansi.Truncate(s, width, "…")
	}
	return s + strings.Repeat(" ", width-ansi.StringWidth(s))
}

// detailLines is the detail pane of the selected row: a separator titled
// with its name, then one labelled line per field, wrapped to width.
//
// compact replaces the consent URL (several lines) by the command that
// prints it.
func (m *Model) detailLines(width int, compact bool) []string {
	if len(m.rows) == 0 {
		return nil
	}
	r := m.rows[m.cursor]
	now := m.o.Now()
	if r.draft != nil {
		d := r.draft
		lines := []string{separator("draft: "+d.Config.Name, width)}
		text := "Not saved yet."
		if d.Step.Valid() {
			text = fmt.Sprintf("Stopped after step %d (%s)", d.Step.Number(), d.Step.Title())
		}
		if !d.UpdatedAt.IsZero() {
			text += ", " + ago(d.UpdatedAt, now)
		}
		lines = append(lines, wrapText(text+".", width)...)
		lines = append(lines, wrapText("Press enter or s to resume it, d to delete it; n starts a new setup.", width)...)
		return lines
	}
	l := r.listing
	c := l.Config
	labelW, short := 14, false
	if width < 60 {
		labelW, short = 10, true
	}
	label := func(long, brief string) string {
		if short {
			return brief
		}
		return long
	}
	lines := []string{separator(sanitize.Line(c.Name), width)}
	field := func(name, value string, lv level) {
		value = sanitize.Line(value) // stored text may come from a bundle or Microsoft
		valueW := max(width-labelW, 1)
		if !strings.Contains(value, " ") && ansi.StringWidth(value) > valueW {
			// An ID or a URL wider than the value column stands alone
			// from column 0 under its label, so that it copies whole
			// (a GUID cut after the label's indent copies in two parts).
			lines = append(lines, m.st.label.Render(name))
			for _, part := range strings.Split(ansi.Hardwrap(value, max(width, 1), false), "\n") {
				lines = append(lines, m.st.paint(lv, part))
			}
			return
		}
		parts := wrapText(value, valueW)
		for i, part := range parts {
			head := strings.Repeat(" ", labelW)
			if i == 0 {
				head = m.st.label.Render(pad(name, labelW-1)) + " "
			}
			lines = append(lines, head+m.st.paint(lv, part))
		}
	}
	accountType := fmt.Sprintf("%s (%s)", c.AccountType.Short(), c.AccountType)
	if short {
		accountType = c.AccountType.Short()
	}
	field(label("Account type", "Type"), accountType, lvlPlain)
	field(label("Client ID", "Client"), c.ClientID, lvlPlain)
	field(label("Directory ID", "Directory"), c.DirectoryID, lvlPlain)
	field("Tenant", c.Tenant, lvlPlain)
	redirect := c.RedirectURI
	if c.Loopback {
		redirect += " and " + flow.LoopbackRedirectURI
	}
	field(label("Redirect URI", "Redirect"), redirect, lvlPlain)
	field("Scopes", strings.Join(c.Scopes, " "), lvlPlain)
	s, lv := expiryDetail(c.SecretInfo, now)
	field("Secret", s, lv)
	v, lv := verifiedDetail(l.LastRun, now)
	field("Verified", v, lv)
	if m.o.ConsentURLs != nil {
		cu, ok := m.consent[c.Name]
		if !ok {
			cu.user, cu.admin, cu.err = m.o.ConsentURLs(c)
			m.consent[c.Name] = cu
		}
		name, u := label("Consent URL", "Consent"), cu.user
		if m.admin {
			name, u = label("Admin consent", "Admin"), cu.admin
		}
		switch {
		case cu.err != nil:
			field(name, "unavailable: "+cu.err.Error(), lvlErr)
		case compact:
			cmd := "byok consent-url " + text.ShellQuote(c.Name)
			if m.admin {
				cmd += " --admin"
			}
			field(name, "taller terminal, or: "+cmd, lvlMuted)
		default:
			// A URL to copy stands alone, from column 0 and with no
			// indent on its wrapped lines, so that a copy is the URL.
			lines = append(lines, m.st.label.Render(name))
			lines = append(lines, strings.Split(ansi.Hardwrap(u, max(width, 1), false), "\n")...)
		}
	}
	return lines
}

// separator is "── title ─────" across width.
func separator(title string, width int) string {
	s := "── " + ansi.Truncate(title, max(width-4, 1), "…") + " "
	if n := width - ansi.StringWidth(s); n > 0 {
		s += strings.Repeat("─", n)
	}
	return ansi.Truncate(s, width, "")
}

// wrapText wraps s at width, words first and long words (URLs) hard.
func wrapText(s string, width int) []string {
	if s == "" {
		return []string{""}
	}
	return strings.Split(ansi.Wrap(s, max(width, 1), ""), "\n")
}

// wrapItems joins items with sep into lines no wider than width, never
// splitting an item unless it alone is wider.
func wrapItems(items []string, sep string, width int) []string {
	var lines []string
	cur := ""
	for _, it := range items {
		switch {
		case cur == "":
			cur = it
		case ansi.StringWidth(cur+sep+it) <= width:
			cur += sep + it
		default:
			lines = append(lines, cur)
			cur = it
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	for i, l := range lines {
		lines[i] = ansi.Truncate(l, width, "…")
	}
	return lines
}

// plural renders "1 draft", "3 drafts".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
