// Package screens holds the wizard's kinds of screen as small bubbletea
// models: Input (text, secret and yes/no fields), Choice (one list, with
// flow.Other's typed answer or catalog pick) and Review (the summary and
// Save / Edit step N). Each is built from field definitions — flow's
// steps (FromFlow) or the wizard's own small ones — and reports its
// answer with a SubmittedMsg, or BackMsg when Esc leaves it. They know
// nothing of the steps' order, the store or verification: the wizard
// coordinates them.
package screens

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"
	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/ui/common"
)

// Screen is what the wizard needs of a screen besides tea.Model.
type Screen interface {
	tea.Model
	// SetSize fits the screen into width×height cells: its intro, form
	// and messages; the wizard's header and footer are outside it.
	SetSize(width, height int) tea.Cmd
	// Keys are the screen's own key bindings for the footer.
	Keys() []key.Binding
	// Fail shows msg as an error and asks again, answers kept (a secret
	// value is cleared).
	Fail(msg string) tea.Cmd
	// Content is the screen as text (View's content).
	Content() string
}

// SubmittedMsg reports a screen's answers: Values by field key ("true"
// or "false" for a yes/no field), and the secret field's value apart,
// as a flow.Secret that never prints.
type SubmittedMsg struct {
	Values map[string]string
	Secret flow.Secret
	// Other is set when a Choice's answer is flow.Other's typed answer
	// or catalog pick rather than one of its options.
	Other bool
}

// BackMsg reports Esc on a screen that has nothing of its own to leave
// (a list's filter, a choice's typed answer).
type BackMsg struct{}

func submitted(m SubmittedMsg) tea.Cmd { return func() tea.Msg { return m } }

func back() tea.Msg { return BackMsg{} }

// Field is one question of a screen.
type Field struct {
	Key, Title, Hint, Placeholder string
	Kind                          flow.FieldKind
	// Value is the pre-filled answer ("true"/"false" for KindConfirm).
	Value string
	// Limit caps the runes typed (0: huh's default).
	Limit int
	// Check validates v as it is typed, with the screen's other values
	// by key (nil: no live check).
	Check func(v string, values map[string]string) error
	// Yes and No label a KindConfirm's buttons ("Yes", "No" when empty).
	Yes, No string
	// Options and Other are a KindChoice's entries.
	Options []flow.Option
	Other   *flow.Other
	// Catalog is what an Other with Catalog set picks from; Picked is
	// ticked at first.
	Catalog []flow.Permission
	Picked  []string
}

// FromFlow returns flow's field f as a screen field: a's answer (or f's
// default) pre-filled, the check bound to a with the screen's values
// laid over it, the options for a, and env's catalog.
func FromFlow(f flow.Field, a flow.Answers, env flow.StepEnv) Field {
	sf := Field{
		Key: f.Key, Title: f.Title, Hint: f.Hint, Placeholder: f.Placeholder,
		Kind: f.Kind, Value: a.Get(f.Key), Other: f.Other,
	}
	if sf.Value == "" && f.Default != nil {
		sf.Value = f.Default(a)
	}
	if f.Options != nil {
		sf.Options = f.Options(a)
	}
	if f.Check != nil {
		check := f.Check
		sf.Check = func(v string, values map[string]string) error {
			b := a
			for k, x := range values {
				b.Set(k, x)
			}
			return check(v, b, env)
		}
	}
	if f.Other != nil && f.Other.Catalog {
		sf.Catalog = env.Permissions
		// A preset's names, or the list as given (ParseScopes refuses
		// a list it would not keep, such as one without a mail scope).
		if scopes, err := flow.ParseScopes(sf.Value, env.Permissions); err == nil {
			sf.Picked = scopes
		} else {
			sf.Picked = strings.FieldsFunc(sf.Value, func(r rune) bool { return r == ',' || r == ' ' })
		}
	}
	return sf
}

// frame is what every screen shares: its size, styles, intro text above
// the form, the huh form and the error under it.
type frame struct {
	c      common.Common
	intro  func(width int) string
	width  int
	height int
	err    string
	form   *huh.Form
	// below is a line under the form besides the error (a choice's
	// advice), or nil.
	below func() string
	// started is set once the form was initialised and sized: before,
	// a new size is only recorded (Init sizes the form).
	started bool
	// minForm is the fewest rows the form gets, whatever the room.
	minForm int
	// errs is how many field errors huh showed after the last msg (see
	// answer).
	errs int
}

func newFrame(c common.Common, intro func(int) string) frame {
	return frame{c: c, intro: intro, width: c.Width, height: c.Height, minForm: 6}
}

// newForm wraps groups in a huh form: our own footer instead of huh's
// help, errors shown, the screen's width.
func (f *frame) newForm(groups ...*huh.Group) *huh.Form {
	return huh.NewForm(groups...).
		WithTheme(Theme(f.c.NoColor)).
		WithShowHelp(false).
		WithShowErrors(true).
		WithWidth(f.formWidth())
}

func (f *frame) formWidth() int { return max(f.width-2, 20) }

// introText is the intro wrapped to the width ("" without one).
func (f *frame) introText() string {
	if f.intro == nil {
		return ""
	}
	return common.Wrap(f.intro(f.width), f.width)
}

// formHeight is the height huh may fill: the screen less its intro and
// a line for a message; huh scrolls the fields within it.
func (f *frame) formHeight() int {
	h := f.height
	if intro := f.introText(); intro != "" {
		h -= lipgloss.Height(intro) + 1
	}
	if m := f.msgs(); m != "" {
		h -= lipgloss.Height(common.Wrap(m, f.width)) + 1
	}
	return max(h, f.minForm)
}

// msgs is what is shown under the form: the advice, the error.
func (f *frame) msgs() string {
	var msgs []string
	if f.below != nil {
		if b := f.below(); b != "" {
			msgs = append(msgs, b)
		}
	}
	if f.err != "" {
		msgs = append(msgs, f.c.Styles.Error.Render("error: "+f.err))
	}
	return strings.Join(msgs, "\n")
}

// initForm starts the form and sizes it now rather than waiting for the
// program to answer huh's size request: select lists are measured from
// it. Twice: the first pass lets each field measure itself at this
// width, the second sizes the group from those measurements.
func (f *frame) initForm() tea.Cmd {
	if f.form == nil {
		return nil
	}
	f.started = true
	f.errs = 0
	cmds := []tea.Cmd{f.form.Init()}
	for range 2 {
		cmds = append(cmds, f.forward(tea.WindowSizeMsg{Width: f.width, Height: f.formHeight()}))
	}
	return tea.Batch(cmds...)
}

// setSize records the size and passes it to the form.
func (f *frame) setSize(width, height int) tea.Cmd {
	f.width, f.height = width, height
	if f.form == nil {
		return nil
	}
	f.form = f.form.WithWidth(f.formWidth())
	if !f.started {
		return nil
	}
	return f.forward(tea.WindowSizeMsg{Width: width, Height: f.formHeight()})
}

// forward hands msg to the form.
func (f *frame) forward(msg tea.Msg) tea.Cmd {
	if f.form == nil {
		return nil
	}
	m, cmd := f.form.Update(msg)
	if fm, ok := m.(*huh.Form); ok {
		f.form = fm
	}
	return cmd
}

// answer hands a msg of the person to the form. huh shows a field's
// error under the group and sizes the group's viewport from the height
// minus that footer: while errors are shown, the form is sized again so
// that it keeps to its rows (a new error would push the step's header
// off the top of a short terminal).
func (f *frame) answer(msg tea.Msg) tea.Cmd {
	cmd := f.forward(msg)
	if f.form.State != huh.StateNormal {
		return cmd
	}
	n := len(f.form.Errors())
	if n == 0 && f.errs == 0 {
		return cmd
	}
	f.errs = n
	h := f.formHeight()
	cmds := []tea.Cmd{cmd, f.forward(tea.WindowSizeMsg{Width: f.width, Height: h})}
	// huh leaves the blank line above its footer out of its count.
	if over := lipgloss.Height(strings.TrimRight(f.form.View(), "\n")) - h; over > 0 {
		cmds = append(cmds, f.forward(tea.WindowSizeMsg{Width: f.width, Height: h - over}))
	}
	return tea.Batch(cmds...)
}

// focused returns the focused huh field, or nil.
func (f *frame) focused() huh.Field {
	if f.form == nil || f.form.State != huh.StateNormal {
		return nil
	}
	return f.form.GetFocusedField()
}

// filtering reports whether a list's filter (typed after "/") is open:
// Esc closes it rather than leaving the screen.
func (f *frame) filtering() bool {
	ff, ok := f.focused().(interface{ GetFiltering() bool })
	return ok && ff.GetFiltering()
}

// isBack reports whether msg is Esc meant for the screen (no filter open).
func (f *frame) isBack(msg tea.Msg) bool {
	k, ok := msg.(tea.KeyPressMsg)
	return ok && key.Matches(k, f.c.KeyMap.Back) && !f.filtering()
}

// paste makes a paste a whole answer: it replaces a pre-filled value
// instead of being appended to it.
func (f *frame) paste() {
	if _, ok := f.focused().(*huh.Input); ok {
		f.forward(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl})
		f.forward(tea.KeyPressMsg{Code: 'k', Mod: tea.ModCtrl})
	}
}

// render draws the intro, the form and the messages under it. When they
// do not fit the height, the intro is cut from the bottom, then the
// messages, so that the question stays in sight.
func (f *frame) render() string {
	var form string
	if f.form != nil && f.form.State == huh.StateNormal {
		form = common.Wrap(strings.TrimRight(f.form.View(), "\n"), f.width)
	}
	msgs := common.Wrap(f.msgs(), f.width)
	intro := f.introText()
	view := Join(intro, form, msgs)
	over := lipgloss.Height(view) - f.height
	if over > 0 && intro != "" {
		intro, over = cut(intro, over)
		view = Join(intro, form, msgs)
	}
	if over > 0 && msgs != "" {
		msgs, _ = cut(msgs, over)
		view = Join(intro, form, msgs)
	}
	return view
}

// cut drops over lines from the bottom of s, marking the cut with "…",
// and returns what is still over.
func cut(s string, over int) (string, int) {
	lines := strings.Split(s, "\n")
	if keep := len(lines) - over - 1; keep > 0 {
		return strings.Join(lines[:keep], "\n") + "\n…", 0
	}
	return "…", over - (len(lines) - 1)
}

// Join puts blank lines between the parts that are not empty (a
// screen's intro, form and messages; the wizard's header, body and
// footer).
func Join(parts ...string) string {
	var keep []string
	for _, p := range parts {
		if p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, "\n\n")
}
