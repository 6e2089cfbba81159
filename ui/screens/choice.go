package screens

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/ui/common"
)

// Choice is a screen with one list: a KindChoice field's options, the
// recommended one marked, and its flow.Other entry, which leads to a
// typed answer (a verified domain) or a pick from the catalog (custom
// permissions) on the same screen; Esc there returns to the list. An
// advice line under the list can follow the cursor.
type Choice struct {
	frame
	field  Field
	value  string                    // bound to the list: the option under the cursor
	typed  string                    // Other's typed answer
	picked []string                  // Other's catalog pick
	other  bool                      // on Other's question rather than the list
	advice func(value string) string // see WithAdvice
	keys   []key.Binding
	ms     *huh.MultiSelect[string] // the catalog pick, while on it
}

var _ Screen = (*Choice)(nil)

// NewChoice returns a Choice screen for f, below intro (nil for none),
// drawn with c. f.Value selects the option with that value; another
// non-empty value is Other's answer.
func NewChoice(c common.Common, intro func(width int) string, f Field) *Choice {
	ch := &Choice{frame: newFrame(c, intro), field: f, value: f.Value, picked: f.Picked}
	ch.minForm = 4 // a list scrolls: its title and three rows do
	if f.Other != nil && f.Value != "" && !ch.isOption(f.Value) {
		ch.value = f.Other.Value
		if !f.Other.Catalog {
			ch.typed = f.Value
		}
	}
	for _, o := range f.Options {
		if strings.EqualFold(o.Value, f.Value) {
			ch.value = o.Value
		}
	}
	ch.build()
	return ch
}

// WithAdvice sets the line shown under the list for the option under
// the cursor (hidden while an error is shown: it would say the same).
func (ch *Choice) WithAdvice(advice func(value string) string) *Choice {
	ch.advice = advice
	ch.below = func() string {
		if ch.other || ch.err != "" {
			return ""
		}
		return ch.advice(ch.value)
	}
	return ch
}

// WithKeys replaces the list's footer keys (default: ↑/↓ choose, enter
// next, esc back).
func (ch *Choice) WithKeys(keys ...key.Binding) *Choice {
	ch.keys = keys
	return ch
}

func (ch *Choice) isOption(v string) bool {
	for _, o := range ch.field.Options {
		if strings.EqualFold(o.Value, v) {
			return true
		}
	}
	return false
}

// Value is the option under the cursor (Other's Value on its entry).
func (ch *Choice) Value() string { return ch.value }

// OnOther reports whether Other's question is on screen.
func (ch *Choice) OnOther() bool { return ch.other }

// build (re)creates the form of the list or of Other's question.
func (ch *Choice) build() {
	f := ch.field
	switch {
	case ch.other && f.Other.Catalog:
		ch.ms = ch.catalog()
		ch.form = ch.newForm(huh.NewGroup(ch.ms))
	case ch.other:
		ch.form = ch.newForm(huh.NewGroup(huh.NewInput().Title(f.Other.Title).Description(f.Other.Hint).
			Placeholder(f.Other.Placeholder).Value(&ch.typed)))
	default:
		var opts []huh.Option[string]
		for _, o := range f.Options {
			label := o.Label
			if o.Recommended {
				label += " (recommended)"
			}
			opts = append(opts, huh.NewOption(label, o.Value))
		}
		if f.Other != nil {
			opts = append(opts, huh.NewOption(f.Other.Label, f.Other.Value))
		}
		sel := huh.NewSelect[string]().Title(f.Title).Description(f.Hint).Options(opts...).Value(&ch.value)
		// With an intro (the review's summary), keep the intro, the list
		// and the footer on one screen: the list scrolls when short.
		if intro := ch.introText(); intro != "" {
			if room := ch.height - lipgloss.Height(intro) - 3; room < len(opts)+1 {
				sel = sel.Height(max(room, 3))
			}
		}
		ch.form = ch.newForm(huh.NewGroup(sel))
	}
}

// catalog is the multi-select of Other's catalog pick.
func (ch *Choice) catalog() *huh.MultiSelect[string] {
	var opts []huh.Option[string]
	for _, p := range ch.field.Catalog {
		label := p.Name
		// huh cuts a long option rather than wrapping it: on a narrow
		// terminal the names alone read better.
		if p.Description != "" && ch.width >= 60 {
			label += " — " + p.Description
		}
		if p.AdminConsent {
			label += " (admin consent)"
		}
		// One line each, or huh breaks it mid-word.
		label = ansi.Truncate(label, max(ch.formWidth()-8, 10), "…")
		opt := huh.NewOption(label, p.Name)
		for _, s := range ch.picked {
			if strings.EqualFold(s, p.Name) {
				opt = opt.Selected(true)
			}
		}
		opts = append(opts, opt)
	}
	ms := huh.NewMultiSelect[string]().Title(ch.field.Other.Title).Description(ch.field.Other.Hint).
		Options(opts...).Value(&ch.picked)
	// huh sizes the list from the options alone, less the title and the
	// description: give it their height too, or the room there is (the
	// list scrolls).
	need := len(opts) + 1 + lipgloss.Height(common.Wrap(ch.field.Other.Hint, max(ch.formWidth()-2, 10)))
	return ms.Height(min(need, max(ch.height-4, 8)))
}

// Init starts the form.
func (ch *Choice) Init() tea.Cmd { return ch.initForm() }

// SetSize fits the screen into width×height; the list is rebuilt, its
// height depending on the room left.
func (ch *Choice) SetSize(width, height int) tea.Cmd {
	if width == ch.width && height == ch.height {
		return ch.setSize(width, height)
	}
	ch.width, ch.height = width, height
	switch {
	case !ch.started:
		ch.build() // Init sizes it
	case ch.form.State == huh.StateNormal:
		var hovered string
		if ch.other && ch.ms != nil {
			hovered, _ = ch.ms.Hovered()
		}
		ch.build()
		cmd := ch.initForm()
		// huh keeps no cursor for a multi-select: bring it back to the
		// entry it was on.
		for i := 0; hovered != "" && i < len(ch.field.Catalog); i++ {
			if h, ok := ch.ms.Hovered(); !ok || h == hovered {
				break
			}
			ch.forward(tea.KeyPressMsg{Code: tea.KeyDown})
		}
		return cmd
	}
	return nil
}

// Update moves the cursor and submits: a SubmittedMsg with the option's
// value, or Other's answer after its question; Esc leaves Other's
// question for the list, or the screen with a BackMsg.
func (ch *Choice) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		return ch, ch.SetSize(msg.Width, msg.Height)
	case tea.PasteMsg:
		ch.paste()
	}
	if ch.isBack(msg) {
		if ch.other {
			ch.other, ch.err = false, ""
			ch.build()
			return ch, ch.initForm()
		}
		return ch, back
	}
	if ch.form.State != huh.StateNormal {
		return ch, nil
	}
	before := ch.value
	cmd := ch.answer(msg)
	if ch.form.State != huh.StateCompleted {
		if !ch.other && ch.value != before {
			ch.err = "" // about the option left: the advice speaks again
		}
		return ch, cmd
	}
	f := ch.field
	switch {
	case !ch.other && f.Other != nil && ch.value == f.Other.Value:
		ch.other, ch.err = true, ""
		ch.build()
		return ch, tea.Batch(cmd, ch.initForm())
	case !ch.other:
		return ch, tea.Batch(cmd, submitted(SubmittedMsg{Values: map[string]string{f.Key: ch.value}}))
	case f.Other.Catalog:
		return ch, tea.Batch(cmd, submitted(SubmittedMsg{Values: map[string]string{f.Key: strings.Join(ch.picked, ",")}, Other: true}))
	}
	v := strings.TrimSpace(ch.typed)
	if v == "" {
		// An empty answer to Other's question is not "the default": it
		// is an answer not typed yet.
		err := flow.Invalid(f.Key, "the %s is empty", strings.ToLower(f.Other.Title))
		if f.Other.Placeholder != "" {
			err = err.WithFix("type one such as %s, or press esc to pick another %s", f.Other.Placeholder, f.Key)
		}
		return ch, tea.Batch(cmd, ch.Fail(err.Error()))
	}
	return ch, tea.Batch(cmd, submitted(SubmittedMsg{Values: map[string]string{f.Key: v}, Other: true}))
}

// SetPicked replaces Other's catalog pick (the wizard adds back what is
// required).
func (ch *Choice) SetPicked(names []string) {
	ch.picked = append([]string(nil), names...)
}

// Fail shows msg and asks again where the answer was given.
func (ch *Choice) Fail(msg string) tea.Cmd {
	ch.err = msg
	ch.build()
	return ch.initForm()
}

// Keys are the footer keys of the list or Other's question.
func (ch *Choice) Keys() []key.Binding {
	km := ch.c.KeyMap
	switch {
	case ch.other && ch.field.Other.Catalog:
		return []key.Binding{km.Move, km.Toggle, km.Next, km.Back}
	case ch.other:
		return []key.Binding{km.Next, km.Back}
	case ch.keys != nil:
		return ch.keys
	}
	return []key.Binding{km.Choose, km.Next, km.Back}
}

// Content is the screen as text.
func (ch *Choice) Content() string { return ch.render() }

// View implements tea.Model.
func (ch *Choice) View() tea.View { return tea.NewView(ch.Content()) }
