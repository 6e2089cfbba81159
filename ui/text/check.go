package text

import (
	"fmt"
	"strings"
	"time"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/sanitize"
)

// Mark is the one symbol of a check status: ✓ pass, ✗ fail, ! warning,
// - skipped.
func Mark(s flow.Status) string {
	switch s {
	case flow.Pass:
		return "✓"
	case flow.Fail:
		return "✗"
	case flow.Warn:
		return "!"
	}
	return "-"
}

// markColor is the ANSI colour of a status's mark.
func markColor(s flow.Status) string {
	switch s {
	case flow.Pass:
		return "32"
	case flow.Fail:
		return "31"
	case flow.Warn:
		return "33"
	}
	return "90"
}

// Check renders one check as checklist lines, width cells wide: the mark,
// the check's ID in a column of 14 and its detail (with its AADSTS code
// when the detail does not name it), the detail's continuation lines
// under itself; then, for a failure or warning, "fix:" and the fix.
// Detail and fix may come from Microsoft, so they pass the output
// sanitizer. With color the mark is coloured.
func Check(c flow.Check, width int, color bool) string {
	return CheckStyle{Width: width, Color: color}.Render(c)
}

// CheckStyle is how Check lays a check out, for lists that indent their
// checks or have longer IDs.
type CheckStyle struct {
	// Width is the line width in cells (DefaultWidth when 0).
	Width int
	// Color colours the mark.
	Color bool
	// Indent goes before every line.
	Indent string
	// IDWidth is the ID column's width (14 when 0).
	IDWidth int
}

// Render renders c in style st.
func (st CheckStyle) Render(c flow.Check) string {
	if st.Width <= 0 {
		st.Width = DefaultWidth
	}
	if st.IDWidth <= 0 {
		st.IDWidth = 14
	}
	mark := Mark(c.Status)
	if st.Color {
		mark = "\x1b[" + markColor(c.Status) + "m" + mark + "\x1b[0m"
	}
	detail := sanitize.Text(c.Detail)
	if c.Code != 0 && !strings.Contains(detail, fmt.Sprintf("AADSTS%d", c.Code)) {
		detail += fmt.Sprintf(" (AADSTS%d)", c.Code)
	}
	head := fmt.Sprintf("%s%s %-*s ", st.Indent, mark, st.IDWidth, sanitize.Text(c.ID))
	out := strings.TrimRight(Hang(head, detail, st.Width), " ")
	if c.Fix != "" && (c.Status == flow.Fail || c.Status == flow.Warn) {
		out += "\n" + Hang(st.Indent+"    fix: ", sanitize.Text(c.Fix), st.Width)
	}
	return out
}

// Level grades a value for colour and attention.
type Level int

// The levels.
const (
	LevelOK Level = iota
	LevelWarn
	LevelBad
)

// Expiry is the one wording of a secret's expiry at now: "2028-11-27 (in
// 731 days)", "2026-12-01 (today)", "2026-11-01 (expired)", "missing" or
// "-", with LevelWarn under flow.ExpiryWarnDays and LevelBad once
// expired or missing.
func Expiry(s flow.SecretInfo, now time.Time) (string, Level) {
	switch {
	case s.Missing:
		return "missing", LevelBad
	case s.Expires.IsZero():
		return "-", LevelOK
	}
	d := s.Expires.Sub(now)
	date := s.Expires.UTC().Format(time.DateOnly)
	switch {
	case d <= 0:
		return date + " (expired)", LevelBad
	case d < 24*time.Hour:
		return date + " (today)", LevelBad
	}
	n := s.DaysLeft(now)
	text := fmt.Sprintf("%s (in %d %s)", date, n, Plural(n, "day", "days"))
	if n < flow.ExpiryWarnDays {
		return text, LevelWarn
	}
	return text, LevelOK
}
