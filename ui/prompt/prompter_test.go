package prompt

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"github.com/charmbracelet/colorprofile"
)

func TestPlainConfirm(t *testing.T) {
	tests := []struct {
		in   string
		def  bool
		want bool
		asks int
	}{
		{"y\n", false, true, 1},
		{"no\n", true, false, 1},
		{"\n", true, true, 1},
		{"\n", false, false, 1},
		{"maybe\nY\n", false, true, 2},
	}
	for _, tt := range tests {
		var out bytes.Buffer
		in := strings.NewReader(tt.in + "left for later")
		p := Prompter{In: in, Out: &out, Plain: true}
		got, err := p.Confirm(context.Background(), "Delete \"Acme\"?", tt.def)
		if err != nil || got != tt.want {
			t.Errorf("%q: Confirm = %v, %v; want %v", tt.in, got, err, tt.want)
		}
		if n := strings.Count(out.String(), "Delete \"Acme\"?"); n != tt.asks {
			t.Errorf("%q: asked %d times:\n%s", tt.in, n, out.String())
		}
		if rest, _ := io.ReadAll(in); string(rest) != "left for later" {
			t.Errorf("%q: took %q too much", tt.in, rest)
		}
	}
	p := Prompter{In: strings.NewReader(""), Out: io.Discard, Accessible: true}
	if _, err := p.Confirm(context.Background(), "Sure?", true); !errors.Is(err, io.EOF) {
		t.Errorf("no answer at all: %v, want EOF", err)
	}
}

func TestPlainForm(t *testing.T) {
	var out bytes.Buffer
	desc, exp, secret := "Hiveku prod", "24m", ""
	p := Prompter{In: strings.NewReader("\nsoon\n12m\nshort\nlong-enough-secret\n"), Out: &out, Plain: true}
	err := p.Form(context.Background(), "New client secret", "Create it in the portal.",
		Field{Title: "Description", Hint: "as typed in the portal", Value: &desc},
		Field{Title: "Expires", Value: &exp, Validate: func(s string) error {
			if s == "soon" {
				return errors.New("secret expiry: “soon” is neither a date nor a lifetime")
			}
			return nil
		}},
		Field{Title: "Secret value", Value: &secret, Secret: true, Validate: func(s string) error {
			if len(s) < 10 {
				return errors.New("secret value: too short")
			}
			return nil
		}},
	)
	if err != nil || desc != "Hiveku prod" || exp != "12m" || secret != "long-enough-secret" {
		t.Fatalf("Form = %v; %q %q %q\n%s", err, desc, exp, secret, out.String())
	}
	o := out.String()
	// Title, then hint, then what Enter keeps, as the form shows them.
	for _, want := range []string{"Description (as typed in the portal) [Enter keeps Hiveku prod]: ", "error: secret expiry", "error: secret value: too short"} {
		if !strings.Contains(o, want) {
			t.Errorf("output lacks %q:\n%s", want, o)
		}
	}
	if strings.Contains(o, "long-enough-secret") {
		t.Error("the secret was shown")
	}
}

func TestPlainChoose(t *testing.T) {
	opts := []Option{{Label: "I'll use the portal", Value: "portal"}, {Label: "Create it for me", Value: "create"}}
	tests := []struct {
		in, want string
		asks     int
	}{
		{"\n", "portal", 1},
		{"2\n", "create", 1},
		{"CREATE\n", "create", 1},
		{"3\nfoo\n1\n", "portal", 3},
	}
	for _, tt := range tests {
		var out bytes.Buffer
		in := strings.NewReader(tt.in + "left for later")
		p := Prompter{In: in, Out: &out, Accessible: true}
		got, err := p.Choose(context.Background(), "How?", "Both end the same.", opts, "portal")
		if err != nil || got != tt.want {
			t.Errorf("%q: Choose = %q, %v; want %q", tt.in, got, err, tt.want)
		}
		o := out.String()
		if n := strings.Count(o, "Choose 1 to 2 [Enter keeps 1]: "); n != tt.asks {
			t.Errorf("%q: asked %d times:\n%s", tt.in, n, o)
		}
		if !strings.Contains(o, "  2. Create it for me\n") || strings.Contains(o, "\x1b") {
			t.Errorf("%q: output %q", tt.in, o)
		}
		if rest, _ := io.ReadAll(in); string(rest) != "left for later" {
			t.Errorf("%q: took %q too much", tt.in, rest)
		}
	}
	p := Prompter{In: strings.NewReader(""), Out: io.Discard, Plain: true}
	if _, err := p.Choose(context.Background(), "How?", "", opts, "portal"); !errors.Is(err, io.EOF) {
		t.Errorf("no answer at all: %v, want EOF", err)
	}
}

// TestNoColorButtons: without colour the focused Yes/No button still
// looks different from the other one (the colour profile keeps text
// attributes such as reverse video, and drops colours).
func TestNoColorButtons(t *testing.T) {
	st := Prompter{NoColor: true}.theme().Theme(true)
	plain := func(s string) string {
		var b bytes.Buffer
		w := &colorprofile.Writer{Forward: &b, Profile: colorprofile.Ascii}
		_, _ = w.WriteString(s)
		return b.String()
	}
	for _, set := range []huh.FieldStyles{st.Focused, st.Blurred} {
		on, off := plain(set.FocusedButton.Render("Yes")), plain(set.BlurredButton.Render("Yes"))
		if on == off {
			t.Errorf("focused and blurred buttons look the same without colour: %q", on)
		}
	}
}

// TestChooseHasNoFilter: the select offers its answers and keys, and no
// "/ filter" (pressing "/" used to open a filter prompt).
func TestChooseHasNoFilter(t *testing.T) {
	v := "portal"
	f := chooseForm("How?", "Both end the same.", []huh.Option[string]{huh.NewOption("Portal", "portal"), huh.NewOption("Create", "create")}, &v)
	f.Init()
	f.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	view := f.View()
	if !strings.Contains(view, "enter") || strings.Contains(view, "filter") {
		t.Errorf("select view:\n%s", view)
	}
	f.Update(tea.KeyPressMsg{Code: '/', Text: "/"})
	f.Update(tea.KeyPressMsg{Code: tea.KeyDown})
	f.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	if v != "create" {
		t.Errorf("after /, down, enter: %q, want create", v)
	}
}
