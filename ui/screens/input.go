package screens

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/ui/common"
)

// Input is a screen of text, secret and yes/no fields, answered one
// after the other (Enter moves on, the last Enter submits). A secret
// field echoes bullets and its value leaves the screen only as a
// flow.Secret.
type Input struct {
	frame
	fields []Field
	texts  []string // bound to the text and secret fields
	bools  []bool   // bound to the yes/no fields
	keys   []key.Binding
}

var _ Screen = (*Input)(nil)

// NewInput returns an Input screen asking fields, below intro (nil for
// none), drawn with c.
func NewInput(c common.Common, intro func(width int) string, fields ...Field) *Input {
	in := &Input{frame: newFrame(c, intro), fields: fields,
		texts: make([]string, len(fields)), bools: make([]bool, len(fields))}
	for i, f := range fields {
		in.texts[i] = f.Value
		in.bools[i], _ = strconv.ParseBool(f.Value)
	}
	in.build()
	return in
}

// WithKeys replaces the footer keys (default: enter next, esc back).
func (in *Input) WithKeys(keys ...key.Binding) *Input {
	in.keys = keys
	return in
}

// build (re)creates the form from the values so far; secret values are
// never kept across a rebuild.
func (in *Input) build() {
	var fields []huh.Field
	for i, f := range in.fields {
		if f.Kind == flow.KindConfirm {
			yes, no := f.Yes, f.No
			if yes == "" {
				yes, no = "Yes", "No"
			}
			fields = append(fields, huh.NewConfirm().Title(f.Title).Description(f.Hint).
				Affirmative(yes).Negative(no).Value(&in.bools[i]))
			continue
		}
		if f.Kind == flow.KindSecret {
			in.texts[i] = ""
		}
		t := huh.NewInput().Title(f.Title).Description(f.Hint).Placeholder(f.Placeholder).Value(&in.texts[i])
		if f.Limit > 0 {
			t = t.CharLimit(f.Limit)
		}
		if f.Kind == flow.KindSecret {
			t = t.EchoMode(huh.EchoModePassword)
		}
		if f.Check != nil {
			check := f.Check
			t = t.Validate(func(v string) error { return check(v, in.values()) })
		}
		fields = append(fields, t)
	}
	in.form = in.newForm(huh.NewGroup(fields...))
}

// values returns the answers as typed so far, the secret left out.
func (in *Input) values() map[string]string {
	m := make(map[string]string, len(in.fields))
	for i, f := range in.fields {
		switch f.Kind {
		case flow.KindSecret:
		case flow.KindConfirm:
			m[f.Key] = strconv.FormatBool(in.bools[i])
		default:
			m[f.Key] = in.texts[i]
		}
	}
	return m
}

// Init starts the form.
func (in *Input) Init() tea.Cmd { return in.initForm() }

// SetSize fits the screen into width×height.
func (in *Input) SetSize(width, height int) tea.Cmd { return in.setSize(width, height) }

// Update handles keys and pastes; the last Enter returns a SubmittedMsg,
// Esc a BackMsg.
func (in *Input) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		return in, in.SetSize(msg.Width, msg.Height)
	case tea.PasteMsg:
		in.paste()
	}
	if in.isBack(msg) {
		return in, back
	}
	if in.form.State != huh.StateNormal {
		return in, nil
	}
	cmd := in.answer(msg)
	if in.form.State != huh.StateCompleted {
		return in, cmd
	}
	sub := SubmittedMsg{Values: in.values()}
	for i, f := range in.fields {
		if f.Kind == flow.KindSecret {
			sub.Secret = flow.Secret(strings.TrimSpace(in.texts[i]))
			in.texts[i] = ""
		}
	}
	return in, tea.Batch(cmd, submitted(sub))
}

// Fail shows msg and asks again from the first field.
func (in *Input) Fail(msg string) tea.Cmd {
	in.err = msg
	in.build()
	return in.initForm()
}

// Keys are the footer keys.
func (in *Input) Keys() []key.Binding {
	if in.keys != nil {
		return in.keys
	}
	return []key.Binding{in.c.KeyMap.Next, in.c.KeyMap.Back}
}

// Content is the screen as text.
func (in *Input) Content() string { return in.render() }

// View implements tea.Model.
func (in *Input) View() tea.View { return tea.NewView(in.Content()) }
