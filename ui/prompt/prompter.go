package prompt

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"github.com/hiveku/byok/flow/sanitize"
	"github.com/hiveku/byok/ui/text"
)

// ErrAborted is returned when the person leaves a prompt (Ctrl+C, Esc).
var ErrAborted = errors.New("aborted")

// Prompter asks questions on a terminal outside the full-screen UI:
// confirmations and short forms (rotate's new secret). With Accessible
// or Plain it asks one plain line at a time (for screen readers, and for
// TERM=dumb, which can't redraw); otherwise it draws a huh form.
type Prompter struct {
	// In is where answers are read; in accessible mode pass
	// ui.AccessibleInput's reader so that Ctrl+C ends a pending answer.
	In io.Reader
	// Out is where questions are drawn (stderr).
	Out io.Writer
	// Accessible asks in plain lines for screen readers.
	Accessible bool
	// Plain asks in plain lines because the terminal can't redraw
	// (TERM=dumb).
	Plain bool
	// NoColor draws forms without colour.
	NoColor bool
	// Width is the terminal's width for plain text (DefaultWidth when 0).
	Width int
}

func (p Prompter) plain() bool { return p.Accessible || p.Plain }

// out is a fresh wrapping writer: each question starts a line, since
// the person's answer and Enter (echoed by the terminal) ended the last.
func (p Prompter) out() io.Writer {
	if p.Width > 0 {
		return text.NewWriter(p.Out, p.Width)
	}
	return text.NewWriter(p.Out, text.DefaultWidth)
}

// Field is one question of a Form.
type Field struct {
	// Title is the question.
	Title string
	// Hint is a line under the question.
	Hint string
	// Value holds the default and receives the answer.
	Value *string
	// Secret hides the answer: nothing of it is echoed.
	Secret bool
	// Validate checks an answer; the question is asked again on error.
	Validate func(string) error
}

// YesNo reads a typed yes/no answer: y, yes, n or no in any case, and
// an empty answer for def; ok is false for anything else.
func YesNo(s string, def bool) (v, ok bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return def, true
	case "y", "yes":
		return true, true
	case "n", "no":
		return false, true
	}
	return false, false
}

// Confirm asks a yes/no question; Enter gives def.
func (p Prompter) Confirm(ctx context.Context, title string, def bool) (bool, error) {
	if p.plain() {
		choices := "y/N"
		if def {
			choices = "Y/n"
		}
		for {
			fmt.Fprintf(p.out(), "%s (%s): ", sanitize.Text(title), choices)
			s, err := readAnswer(ctx, p.In)
			if err != nil {
				return false, err
			}
			if v, ok := YesNo(s, def); ok {
				return v, nil
			}
			fmt.Fprintln(p.out(), "Please answer y or n.")
		}
	}
	v := def
	form := huh.NewForm(huh.NewGroup(huh.NewConfirm().Title(title).Affirmative("Yes").Negative("No").Value(&v))).
		WithInput(p.In).WithOutput(p.Out).WithShowHelp(false)
	if err := p.run(ctx, form); err != nil {
		return false, err
	}
	return v, nil
}

// Option is one answer of Choose.
type Option struct {
	Label, Value string
}

// Choose asks title (with hint under it) for one of options; Enter
// keeps def. Plain, the options are numbered and the answer is a number
// or an option's value; otherwise a huh select is drawn.
func (p Prompter) Choose(ctx context.Context, title, hint string, options []Option, def string) (string, error) {
	if !p.plain() {
		v := def
		opts := make([]huh.Option[string], len(options))
		for i, o := range options {
			opts[i] = huh.NewOption(o.Label, o.Value)
		}
		err := p.run(ctx, chooseForm(title, hint, opts, &v).WithInput(p.In).WithOutput(p.Out))
		return v, err
	}
	keep := 0
	for i, o := range options {
		if o.Value == def {
			keep = i + 1
		}
	}
	for {
		w := p.out()
		fmt.Fprintln(w, sanitize.Text(title))
		if hint != "" {
			fmt.Fprintln(w, sanitize.Text(hint))
		}
		for i, o := range options {
			fmt.Fprintf(w, "  %d. %s\n", i+1, sanitize.Text(o.Label))
		}
		q := fmt.Sprintf("Choose 1 to %d", len(options))
		if keep > 0 {
			q += fmt.Sprintf(" [Enter keeps %d]", keep)
		}
		fmt.Fprintf(w, "%s: ", q)
		s, err := readAnswer(ctx, p.In)
		if err != nil {
			if errors.Is(err, ErrInterrupted) {
				return "", ErrAborted
			}
			return "", err
		}
		s = strings.TrimSpace(s)
		if s == "" && keep > 0 {
			return def, nil
		}
		for i, o := range options {
			if s == strconv.Itoa(i+1) || strings.EqualFold(s, o.Value) {
				return o.Value, nil
			}
		}
		fmt.Fprintf(p.out(), "Please answer a number from 1 to %d.\n", len(options))
	}
}

// chooseForm is Choose's huh select. Its filter is off: a short list
// needs none, and "/" then made the form wait for a filter text while
// the footer offered "/ filter" beside the two answers.
func chooseForm(title, hint string, opts []huh.Option[string], v *string) *huh.Form {
	km := huh.NewDefaultKeyMap()
	km.Select.Filter.SetEnabled(false)
	sel := huh.NewSelect[string]().Title(title).Description(hint).Options(opts...).Value(v)
	return huh.NewForm(huh.NewGroup(sel)).WithKeyMap(km).WithShowHelp(true)
}

// Form asks title, shows note and then asks each field in turn.
func (p Prompter) Form(ctx context.Context, title, note string, fields ...Field) error {
	if p.plain() {
		return p.plainForm(ctx, title, note, fields)
	}
	items := []huh.Field{huh.NewNote().Title(title).Description(note)}
	for _, f := range fields {
		in := huh.NewInput().Title(f.Title).Description(f.Hint).Value(f.Value)
		if f.Validate != nil {
			in = in.Validate(f.Validate)
		}
		if f.Secret {
			in = in.EchoMode(huh.EchoModePassword)
		}
		items = append(items, in)
	}
	return p.run(ctx, huh.NewForm(huh.NewGroup(items...)).WithInput(p.In).WithOutput(p.Out).WithShowHelp(true))
}

// run runs a huh form, mapping leaving it to ErrAborted.
//
// It runs the form as its own program rather than with huh's Run: huh
// ends a cancelled form with tea.Interrupt, which stops the program
// before it draws the form's last, empty frame, so Ctrl+C left the
// question on the screen above byok's "cancelled". Here leaving the form
// quits normally, and the form is wiped like an answered one.
func (p Prompter) run(ctx context.Context, form *huh.Form) error {
	if t := p.theme(); t != nil {
		form = form.WithTheme(t)
	}
	form.SubmitCmd, form.CancelCmd = tea.Quit, tea.Quit
	opts := []tea.ProgramOption{tea.WithContext(ctx), tea.WithInput(p.In), tea.WithOutput(p.Out)}
	if p.Width > 0 {
		// A terminal's own size wins; this is the size elsewhere.
		opts = append(opts, tea.WithWindowSize(p.Width, 24))
	}
	_, err := tea.NewProgram(formModel{form}, opts...).Run()
	switch {
	case form.State == huh.StateAborted, errors.Is(err, tea.ErrInterrupted):
		return ErrAborted
	case err != nil && ctx.Err() != nil:
		return ctx.Err()
	case err != nil:
		return fmt.Errorf("run form: %w", err)
	}
	return nil
}

// formModel runs a huh form as a bubbletea program.
type formModel struct{ form *huh.Form }

func (m formModel) Init() tea.Cmd { return m.form.Init() }

func (m formModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	f, cmd := m.form.Update(msg)
	if f, ok := f.(*huh.Form); ok {
		m.form = f
	}
	return m, cmd
}

func (m formModel) View() tea.View {
	v := tea.NewView(m.form.View())
	v.ReportFocus = true // as huh's own Run does (its fields track focus)
	return v
}

// plainForm asks the fields one line at a time. A secret is read from
// the terminal without echo: a whole paste at once (ReadPaste with
// Mask), or in accessible mode a line (ReadSecret), since the paste
// reader writes escape sequences; an empty answer keeps the default.
func (p Prompter) plainForm(ctx context.Context, title, note string, fields []Field) error {
	fmt.Fprintf(p.out(), "%s\n%s\n", sanitize.Text(title), sanitize.Text(note))
	for _, f := range fields {
		for {
			w := p.out()
			// The question reads as the form shows it: the title, then
			// its hint, then what Enter keeps.
			q := f.Title
			if f.Hint != "" {
				q += " (" + f.Hint + ")"
			}
			if def := *f.Value; def != "" && !f.Secret {
				q += " [Enter keeps " + def + "]"
			}
			hidden := q
			if f.Hint == "" {
				hidden += " (not shown)" // a hint, if any, says so itself
			}
			var s string
			var err error
			if f.Secret {
				if _, ok := terminalFd(p.In); ok && p.Accessible {
					fmt.Fprintf(w, "%s: ", sanitize.Text(hidden))
					s, err = ReadSecret(ctx, p.In)
					fmt.Fprintln(p.Out) // Enter is not echoed either
				} else if _, ok := rawFd(p.In); ok {
					fmt.Fprintf(w, "%s: ", sanitize.Text(hidden))
					s, err = ReadPaste(ctx, p.In, PasteOptions{TTY: true, Echo: p.Out, Mask: true})
				} else {
					fmt.Fprintf(w, "%s: ", sanitize.Text(q))
					s, err = readAnswer(ctx, p.In)
				}
			} else {
				fmt.Fprintf(w, "%s: ", sanitize.Text(q))
				s, err = readAnswer(ctx, p.In)
			}
			if err != nil {
				if errors.Is(err, ErrInterrupted) {
					return ErrAborted
				}
				return err
			}
			if strings.TrimSpace(s) == "" {
				s = *f.Value
			}
			if f.Validate != nil {
				if err := f.Validate(s); err != nil {
					fmt.Fprintf(p.out(), "error: %s\n", sanitize.Text(err.Error()))
					continue
				}
			}
			*f.Value = s
			break
		}
	}
	return nil
}

// readAnswer reads one line, taking nothing after it from in; io.EOF
// before any answer is an error (no one is there to answer).
func readAnswer(ctx context.Context, in io.Reader) (string, error) {
	return wait(ctx, func() (string, error) {
		s, err := (&byteReader{r: in}).line()
		if err == io.EOF && s != "" {
			err = nil
		}
		return strings.TrimRight(s, "\r"), err
	})
}

// theme is the forms' theme: nil for huh's default, noColorTheme
// under NoColor.
func (p Prompter) theme() huh.Theme {
	if p.NoColor {
		return huh.ThemeFunc(noColorTheme)
	}
	return nil
}

// noColorTheme is huh's base theme with the focused button in reverse
// video: the base theme tells Yes from No only by colour, so with
// NO_COLOR both looked the same and Enter gave an answer no one could see.
func noColorTheme(isDark bool) *huh.Styles {
	t := huh.ThemeBase(isDark)
	t.Focused.FocusedButton = t.Focused.FocusedButton.UnsetForeground().UnsetBackground().Reverse(true).Bold(true)
	t.Focused.BlurredButton = t.Focused.BlurredButton.UnsetForeground().UnsetBackground()
	t.Blurred.FocusedButton, t.Blurred.BlurredButton = t.Focused.FocusedButton, t.Focused.BlurredButton
	return t
}
