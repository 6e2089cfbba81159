package home

import (
	"fmt"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/hiveku/byok/flow"
)

// level is how a cell is coloured. The words in the cell carry the same
// meaning without colour (NO_COLOR): "✓", "✗ failed", "expires in 12
// days!", "EXPIRED".
type level int

const (
	lvlPlain level = iota
	lvlOK
	lvlWarn
	lvlErr
	lvlMuted
)

// warnDays is where an expiry turns into a warning, as verify's offline
// expiry check does (warn under 30 days).
const warnDays = 30

// styles are the home screen's lipgloss styles.
type styles struct {
	title, header, selected, label lipgloss.Style
	levels                         map[level]lipgloss.Style
}

// newStyles returns the styles; noColor keeps only bold.
func newStyles(noColor bool) styles {
	s := styles{
		title:    lipgloss.NewStyle().Bold(true),
		header:   lipgloss.NewStyle().Bold(true),
		selected: lipgloss.NewStyle().Bold(true),
		label:    lipgloss.NewStyle().Bold(true),
		levels: map[level]lipgloss.Style{
			lvlPlain: lipgloss.NewStyle(), lvlOK: lipgloss.NewStyle(), lvlWarn: lipgloss.NewStyle(),
			lvlErr: lipgloss.NewStyle(), lvlMuted: lipgloss.NewStyle(),
		},
	}
	if noColor {
		return s
	}
	s.title = s.title.Foreground(lipgloss.Color("12"))
	s.levels[lvlOK] = lipgloss.NewStyle().Foreground(lipgloss.Color("10"))
	s.levels[lvlWarn] = lipgloss.NewStyle().Foreground(lipgloss.Color("11")).Bold(true)
	s.levels[lvlErr] = lipgloss.NewStyle().Foreground(lipgloss.Color("9")).Bold(true)
	s.levels[lvlMuted] = lipgloss.NewStyle().Foreground(lipgloss.Color("8"))
	return s
}

// paint renders s at level l.
func (s styles) paint(l level, text string) string {
	if l == lvlPlain || text == "" {
		return text
	}
	return s.levels[l].Render(text)
}

// ago renders how long before now t was: "just now", "5m ago", "3h
// ago", "2d ago".
func ago(t, now time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%dm ago", int(d/time.Minute))
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh ago", int(d/time.Hour))
	}
	return fmt.Sprintf("%dd ago", int(d/(24*time.Hour)))
}

// days renders n days: "1 day", "12 days".
func days(n int) string {
	if n == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%d days", n)
}

// expiry is the SECRET cell: "in 412 days", "expires in 12 days!",
// "expires today!", "EXPIRED 3 days ago", "MISSING".
func expiry(s flow.SecretInfo, now time.Time) (string, level) {
	switch {
	case s.Missing:
		return "MISSING secret!", lvlErr
	case s.Expires.IsZero():
		return "expiry unknown", lvlMuted
	case !now.Before(s.Expires):
		n := int(now.Sub(s.Expires) / (24 * time.Hour))
		if n == 0 {
			return "EXPIRED today", lvlErr
		}
		return "EXPIRED " + days(n) + " ago", lvlErr
	}
	n := s.DaysLeft(now)
	switch {
	case n == 0:
		return "expires today!", lvlErr
	case n < warnDays:
		return "expires in " + days(n) + "!", lvlWarn
	}
	return "in " + days(n), lvlPlain
}

// expiryDetail is the detail pane's secret line.
func expiryDetail(s flow.SecretInfo, now time.Time) (string, level) {
	head := ""
	if s.Hint != "" {
		head = s.Hint
	}
	if s.Description != "" {
		head = strings.TrimSpace(head + " " + fmt.Sprintf("%q", s.Description))
	}
	if head != "" {
		head += ", "
	}
	cell, l := expiry(s, now)
	switch {
	case s.Missing:
		return head + "MISSING: no secret value saved; press r to enter one", l
	case s.Expires.IsZero():
		return head + "expiry unknown", l
	case l == lvlErr && strings.HasPrefix(cell, "EXPIRED"):
		return head + fmt.Sprintf("%s (on %s); press r to rotate", cell, day(s.Expires)), l
	case l != lvlPlain:
		return head + fmt.Sprintf("%s (%s); press r to rotate soon", cell, day(s.Expires)), l
	}
	return head + fmt.Sprintf("expires %s (%s)", day(s.Expires), cell), l
}

// verified is the VERIFIED cell: "✓ 2d ago as alex@contoso.com",
// "✗ failed 1h ago", "never".
func verified(r *flow.Run, now time.Time) (string, level) {
	switch {
	case r == nil:
		return "never", lvlMuted
	case r.Failed() || !r.OK:
		return "✗ failed " + ago(r.At, now), lvlErr
	case r.Offline:
		return "✓ offline " + ago(r.At, now), lvlOK
	case r.Email != "":
		return "✓ " + ago(r.At, now) + " as " + r.Email, lvlOK
	}
	return "✓ " + ago(r.At, now), lvlOK
}

// verifiedDetail is the detail pane's verification line.
func verifiedDetail(r *flow.Run, now time.Time) (string, level) {
	if r == nil {
		return "never; press v to run the live check", lvlMuted
	}
	when := fmt.Sprintf("%s (%s)", stamp(r.At), ago(r.At, now))
	if r.Failed() || !r.OK {
		var failed []string
		for _, c := range r.Checks {
			if c.Status == flow.Fail {
				failed = append(failed, c.ID)
			}
		}
		s := "✗ failed " + when
		if len(failed) > 0 {
			s += ": " + strings.Join(failed, ", ")
		}
		return s, lvlErr
	}
	s := "✓ " + when
	if r.Offline {
		s += ", offline checks only"
	}
	if r.Email != "" {
		s += " as " + r.Email
	}
	return s, lvlOK
}

// day formats a date as 2006-01-02 (UTC).
func day(t time.Time) string { return t.UTC().Format("2006-01-02") }

// stamp formats a time as 2006-01-02 15:04 UTC.
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

// draftLine is a draft's row: "draft: Contoso test, stopped after step 4".
func draftLine(d flow.Draft) string {
	name := d.Config.Name
	if name == "" {
		name = "(unnamed)"
	}
	if !d.Step.Valid() {
		return "draft: " + name
	}
	return fmt.Sprintf("draft: %s, stopped after step %d (%s)", name, d.Step.Number(), d.Step.Title())
}
