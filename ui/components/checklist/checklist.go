// Package checklist is the live list of verification checks shown at the
// wizard's last step: a spinner beside the running check, then ✓, ✗, ! or
// - with the check's one-line detail and, for failures and warnings, the fix.
package checklist

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/sanitize"
	"github.com/hiveku/byok/ui/common"
	"github.com/hiveku/byok/ui/text"
)

// Item is one row of the checklist.
type Item struct {
	ID      string
	Running bool
	Check   flow.Check // valid once !Running
}

// Model is the checklist; it is a tea.Model-like value owned by the wizard.
type Model struct {
	Items   []Item
	Spinner spinner.Model
	// Static drops the spinner animation (golden tests, accessible mode):
	// a running check shows "…" instead of a frame.
	Static bool
	common *common.Common
}

// New returns an empty checklist drawing with c's styles.
func New(c *common.Common) Model {
	return Model{Spinner: spinner.New(spinner.WithSpinner(spinner.Line)), common: c}
}

// Tick starts the spinner animation (nil when Static).
func (m Model) Tick() tea.Cmd {
	if m.Static {
		return nil
	}
	return m.Spinner.Tick
}

// Start marks check id as running, adding it if new.
func (m *Model) Start(id string) {
	for i := range m.Items {
		if m.Items[i].ID == id {
			m.Items[i].Running = true
			return
		}
	}
	m.Items = append(m.Items, Item{ID: id, Running: true})
}

// Finish records c's result.
func (m *Model) Finish(c flow.Check) {
	for i := range m.Items {
		if m.Items[i].ID == c.ID {
			m.Items[i].Running = false
			m.Items[i].Check = c
			return
		}
	}
	m.Items = append(m.Items, Item{ID: c.ID, Check: c})
}

// Running reports whether any check is still running.
func (m Model) Running() bool {
	for _, it := range m.Items {
		if it.Running {
			return true
		}
	}
	return false
}

// Update advances the spinner.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	if m.Static {
		return m, nil
	}
	if _, ok := msg.(spinner.TickMsg); ok {
		var cmd tea.Cmd
		m.Spinner, cmd = m.Spinner.Update(msg)
		return m, cmd
	}
	return m, nil
}

// Symbol returns the mark for a status, the one set byok uses everywhere
// (ui/text.Mark): ✓ pass, ✗ fail, ! warn, - skip.
func Symbol(s flow.Status) string { return text.Mark(s) }

// Line renders one finished check as plain text (no styles): the mark, the
// status word, the check ID and the detail, then "fix: …" on the next
// line when there is one. Used by the accessible verify output too.
//
// Details and fixes may quote Microsoft's answers: they go through the
// output sanitizer (the TUI draws on stderr, outside the stdout one).
func Line(c flow.Check) string {
	s := fmt.Sprintf("%s %s %s", Symbol(c.Status), c.Status, sanitize.Line(c.ID))
	if c.Detail != "" {
		s += ": " + sanitize.Text(c.Detail)
	}
	if c.Fix != "" && c.Status != flow.Pass {
		s += "\n    fix: " + sanitize.Text(c.Fix)
	}
	return s
}

// View renders the list, one check per line.
func (m Model) View() string {
	var b strings.Builder
	st := common.DefaultStyles(true)
	if m.common != nil {
		st = m.common.Styles
	}
	for _, it := range m.Items {
		if it.Running {
			frame := "…"
			if !m.Static {
				frame = m.Spinner.View()
			}
			fmt.Fprintf(&b, "%s running %s\n", frame, it.ID)
			continue
		}
		line := Line(it.Check)
		switch it.Check.Status {
		case flow.Pass:
			line = st.OK.Render(line)
		case flow.Fail:
			line = st.Error.Render(line)
		case flow.Warn:
			line = st.Warn.Render(line)
		default:
			line = st.Muted.Render(line)
		}
		b.WriteString(line + "\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}
