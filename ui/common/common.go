// Package common holds what every wizard screen shares: the terminal size,
// the styles and the key map, passed in as a value rather than kept in
// globals (after soft-serve's pkg/ui/common).
package common

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/hiveku/byok/ui/text"
)

// Common is the state shared by the wizard and its components.
type Common struct {
	Width, Height int
	// NoColor is set when colours are off (huh themes need it too).
	NoColor bool
	Styles  Styles
	KeyMap  KeyMap
}

// NewCommon returns a Common for a width×height terminal. noColor drops
// every colour; status words ("error:", "warning:") carry the meaning.
func NewCommon(width, height int, noColor bool) Common {
	return Common{Width: width, Height: height, NoColor: noColor, Styles: DefaultStyles(noColor), KeyMap: DefaultKeyMap()}
}

// SetSize records a new terminal size.
func (c *Common) SetSize(width, height int) {
	c.Width, c.Height = width, height
}

// Styles are the lipgloss styles of the wizard.
type Styles struct {
	Header lipgloss.Style
	Help   lipgloss.Style
	Error  lipgloss.Style
	Warn   lipgloss.Style
	OK     lipgloss.Style
	Muted  lipgloss.Style
	Label  lipgloss.Style
	Footer lipgloss.Style
}

// DefaultStyles returns the wizard's styles; with noColor they only use
// bold and no colour.
func DefaultStyles(noColor bool) Styles {
	s := Styles{
		Header: lipgloss.NewStyle().Bold(true),
		Help:   lipgloss.NewStyle(),
		Error:  lipgloss.NewStyle(),
		Warn:   lipgloss.NewStyle(),
		OK:     lipgloss.NewStyle(),
		Muted:  lipgloss.NewStyle(),
		Label:  lipgloss.NewStyle().Bold(true),
		Footer: lipgloss.NewStyle(),
	}
	if noColor {
		return s
	}
	s.Header = s.Header.Foreground(lipgloss.Color("12"))
	s.Help = s.Help.Foreground(lipgloss.Color("245"))
	s.Error = s.Error.Foreground(lipgloss.Color("9"))
	s.Warn = s.Warn.Foreground(lipgloss.Color("11"))
	s.OK = s.OK.Foreground(lipgloss.Color("10"))
	s.Muted = s.Muted.Foreground(lipgloss.Color("8"))
	s.Footer = s.Footer.Foreground(lipgloss.Color("8"))
	return s
}

// KeyMap is the wizard's one key map: Update matches keys against it
// (key.Matches) and the footer shows its help (help.Model.ShortHelpView),
// so a key and its hint cannot drift apart. huh handles the keys inside a
// field; the bindings that only describe those (Choose, Move, Toggle,
// ChooseLR) are there for the footer.
type KeyMap struct {
	// Next submits a screen's form (huh does it; the hint says so).
	Next key.Binding
	// Start submits "Before you start".
	Start key.Binding
	// Submit submits the pasted address.
	Submit key.Binding
	// Back goes to the previous screen; twice on step 1 leaves.
	Back key.Binding
	// Finish closes the last screen.
	Finish key.Binding
	// Doctor opens the "paste an error" pane.
	Doctor key.Binding
	// Quit leaves, keeping the draft.
	Quit key.Binding
	// Stop cancels a running verification (the same key as Quit).
	Stop key.Binding
	// Choose, ChooseLR, Move and Toggle describe huh's list and confirm
	// keys.
	Choose, ChooseLR, Move, Toggle key.Binding

	// The "paste an error" pane: Explain runs the doctor, Scroll moves
	// its findings, Leave (esc) goes back to the paste from the findings
	// (PasteAnother's hint) and to the wizard from the paste (Leave's and
	// LeaveTwice's hints).
	Explain, Scroll, Leave, PasteAnother, LeaveTwice key.Binding
}

// DefaultKeyMap returns the wizard's keys.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Next:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "next")),
		Start:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "start")),
		Submit:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "submit")),
		Back:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Finish:   key.NewBinding(key.WithKeys("enter", "q", "space"), key.WithHelp("enter", "finish")),
		Doctor:   key.NewBinding(key.WithKeys("ctrl+e"), key.WithHelp("ctrl+e", "paste an error")),
		Quit:     key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		Stop:     key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "stop")),
		Choose:   key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "choose")),
		ChooseLR: key.NewBinding(key.WithKeys("left", "right"), key.WithHelp("←/→", "choose")),
		Move:     key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "move")),
		Toggle:   key.NewBinding(key.WithKeys("x", "space"), key.WithHelp("x", "toggle")),

		Explain:      key.NewBinding(key.WithKeys("ctrl+d"), key.WithHelp("ctrl+d", "explain")),
		Scroll:       key.NewBinding(key.WithKeys("up", "down", "pgup", "pgdown"), key.WithHelp("↑/↓", "scroll")),
		Leave:        key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back to the wizard")),
		PasteAnother: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "paste another")),
		LeaveTwice:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc esc", "back to the wizard")),
	}
}

// NewHelp returns the help model the footers render key hints with:
// "key desc" pairs separated by " · ", unstyled (the caller's footer
// style colours the line) and never cut (the caller wraps it).
func NewHelp() help.Model {
	h := help.New()
	h.ShortSeparator = " · "
	plain := lipgloss.NewStyle()
	h.Styles = help.Styles{
		Ellipsis: plain, ShortKey: plain, ShortDesc: plain, ShortSeparator: plain,
		FullKey: plain, FullDesc: plain, FullSeparator: plain,
	}
	return h
}

// Wrap breaks s so that no line is wider than width columns, with
// ui/text's one rule: at spaces, never inside a GUID or an AADSTS code
// (ansi.Wrap breaks at hyphens), a continuation keeping its line's
// indent, a URL that moves standing alone at column 0. A screen has no
// room for a longer line, so a word still wider than width (a long URL:
// the wizard prints the ones to copy whole above itself) is then cut
// hard. ANSI sequences are kept intact. width <= 0 leaves s unchanged.
func Wrap(s string, width int) string {
	if width <= 0 {
		return s
	}
	lines := strings.Split(text.Wrap(s, width), "\n")
	for i, l := range lines {
		if ansi.StringWidth(l) > width {
			lines[i] = ansi.Hardwrap(l, width, true)
		}
	}
	return strings.Join(lines, "\n")
}
