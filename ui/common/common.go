// Package common holds what every wizard screen shares: the terminal size,
// the styles and the key map, passed in as a value rather than kept in
// globals (after soft-serve's pkg/ui/common).
package common

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// Common is the state shared by the wizard and its components.
type Common struct {
	Width, Height int
	Styles        Styles
	KeyMap        KeyMap
}

// NewCommon returns a Common for a width×height terminal. noColor drops
// every colour; status words ("error:", "warning:") carry the meaning.
func NewCommon(width, height int, noColor bool) Common {
	return Common{Width: width, Height: height, Styles: DefaultStyles(noColor), KeyMap: DefaultKeyMap()}
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

// KeyMap is the wizard's own keys; huh handles the keys inside a field.
type KeyMap struct {
	Next key.Binding
	Back key.Binding
	Quit key.Binding
}

// DefaultKeyMap returns enter/esc/ctrl+c.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Next: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "next")),
		Back: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Quit: key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
	}
}

// Wrap breaks s so that no line is wider than width columns (words first,
// long words such as URLs hard), keeping ANSI sequences intact. width <= 0
// leaves s unchanged.
func Wrap(s string, width int) string {
	if width <= 0 {
		return s
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if ansi.StringWidth(l) > width {
			lines[i] = ansi.Wrap(l, width, "")
		}
	}
	return strings.Join(lines, "\n")
}
