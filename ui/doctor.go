package ui

import (
	"github.com/hiveku/byok/flow/sanitize"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/ui/common"
)

// DoctorFunc explains a pasted Microsoft error in plain text wrapped to
// width, comparing what it names with the answers so far (c). It returns
// "" when it recognises nothing. cmd wires it to flow/doctor.
type DoctorFunc func(text string, c flow.Config, width int) string

// doctorPane is the "paste an error" overlay: from any step, ctrl+e opens
// it, the person pastes what Microsoft showed (a bracketed paste arrives
// whole, newlines included), ctrl+d explains it in a scrollable viewport,
// and esc returns to the step exactly as it was.
type doctorPane struct {
	input    textarea.Model
	text     string // what was explained
	findings string // rendered diagnosis, once asked
	width    int    // the width findings were rendered for
	view     viewport.Model
}

func newDoctorPane(width int) *doctorPane {
	ta := textarea.New()
	ta.Placeholder = "Paste the error text or the address the browser shows (AADSTS…)"
	ta.ShowLineNumbers = false
	ta.CharLimit = 64 << 10
	ta.SetWidth(max(width-2, 20))
	ta.SetHeight(6)
	ta.Focus()
	return &doctorPane{input: ta}
}

// updateDoctor handles a msg while the pane is open.
func (w *Wizard) updateDoctor(msg tea.Msg) (tea.Model, tea.Cmd) {
	if p, ok := msg.(tea.PasteMsg); ok {
		// A paste is text from outside, shown in the input as it is:
		// its control, bidi and invisible characters are made visible
		// (the textarea drops only C0 controls). A terminal's paste
		// ends its lines with CR: they stay line breaks.
		p.Content = sanitize.Text(strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(p.Content))
		msg = p
	}
	if k, ok := msg.(tea.KeyPressMsg); ok {
		km := w.common.KeyMap
		switch {
		case key.Matches(k, km.Leave):
			if w.doctor.findings != "" {
				w.doctor.findings = "" // back to the paste, to try another
				w.doctor.input.Focus()
				return w, nil
			}
			w.doctor = nil
			return w, nil
		case key.Matches(k, km.Explain):
			text := strings.TrimSpace(w.doctor.input.Value())
			if text == "" {
				return w, nil
			}
			w.doctor.text = text
			w.explain()
			w.doctor.input.Blur()
			w.sizeDoctor()
			return w, nil
		}
		if w.doctor.findings != "" {
			var cmd tea.Cmd
			w.doctor.view, cmd = w.doctor.view.Update(msg) // ↑/↓, pgup/pgdn
			return w, cmd
		}
	}
	if w.doctor.findings != "" {
		return w, nil
	}
	var cmd tea.Cmd
	w.doctor.input, cmd = w.doctor.input.Update(msg)
	return w, cmd
}

// explain renders the doctor's findings on the pasted text for the
// terminal's width.
func (w *Wizard) explain() {
	out := w.o.Doctor(w.doctor.text, w.Config(), w.common.Width)
	if out == "" {
		out = "No Microsoft sign-in error found in what you pasted. Paste the whole message, including the AADSTS code if there is one."
	}
	// The findings quote Microsoft's message and the pasted URI.
	w.doctor.findings, w.doctor.width = sanitize.Text(out), w.common.Width
}

// sizeDoctor fits the pane to the terminal: the findings viewport takes
// what the header and the footer leave.
func (w *Wizard) sizeDoctor() {
	if w.doctor == nil {
		return
	}
	w.doctor.input.SetWidth(max(w.common.Width-2, 20))
	w.doctor.input.SetHeight(max(min(6, w.common.Height-10), 2))
	footer := lipgloss.Height(common.Wrap(w.doctorKeys(), w.common.Width))
	h := max(w.common.Height-footer-4, 3)
	if w.doctor.view.Width() == 0 {
		w.doctor.view = viewport.New(viewport.WithWidth(w.common.Width), viewport.WithHeight(h))
	}
	w.doctor.view.SetWidth(w.common.Width)
	w.doctor.view.SetHeight(h)
	if w.doctor.findings != "" {
		if w.doctor.width != w.common.Width {
			w.explain() // its columns are laid out for a width
		}
		w.doctor.view.SetContent(common.Wrap(w.doctor.findings, w.common.Width))
	}
}

// doctorKeys is the pane's key footer.
func (w *Wizard) doctorKeys() string {
	km := w.common.KeyMap
	if w.doctor.findings != "" {
		return common.NewHelp().ShortHelpView([]key.Binding{km.Scroll, km.PasteAnother, km.LeaveTwice, km.Quit})
	}
	return common.NewHelp().ShortHelpView([]key.Binding{km.Explain, km.Leave, km.Quit})
}

// doctorView renders the pane in place of the step.
func (w *Wizard) doctorView() string {
	st := w.common.Styles
	width := w.common.Width
	parts := []string{st.Header.Render("Paste an error · byok doctor")}
	if w.doctor.findings != "" {
		parts = append(parts, w.doctor.view.View())
		if !w.doctor.view.AtBottom() {
			parts[len(parts)-1] += "\n" + st.Muted.Render("↓ more")
		}
	} else {
		parts = append(parts,
			st.Help.Render(common.Wrap("Paste what Microsoft showed: an error page's text, the address the browser landed on, or a log line. byok names the setting at fault and how to fix it.", width)),
			w.doctor.input.View())
	}
	parts = append(parts, common.Wrap(st.Footer.Render(w.doctorKeys()), width))
	return strings.Join(parts, "\n\n")
}
