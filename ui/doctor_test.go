package ui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/hiveku/byok/flow"
)

// TestDoctorPane: ctrl+e on a step opens the paste pane, ctrl+d explains
// the paste with the answers so far, esc esc returns to the same step.
func TestDoctorPane(t *testing.T) {
	s := newFakeStore(t)
	o := withDraft(testOptions(s), draftAt(flow.StepAccountType))
	var gotText string
	var gotCfg flow.Config
	o.Doctor = func(text string, c flow.Config, width int) string {
		gotText, gotCfg = text, c
		return "AADSTS50011  redirect-uri  The redirect URI doesn't match\nFix: remove the trailing slash"
	}
	w := start(t, o)
	if w.Step() != flow.StepRedirect {
		t.Fatalf("starts at %q, want redirect-uri", w.Step())
	}
	if !strings.Contains(view(w), "ctrl+e paste an error") {
		t.Errorf("footer does not offer the doctor:\n%s", view(w))
	}
	send(t, w, tea.KeyPressMsg{Code: 'e', Mod: tea.ModCtrl})
	if v := view(w); !strings.Contains(v, "Paste an error") {
		t.Fatalf("ctrl+e did not open the pane:\n%s", v)
	}
	paste := "AADSTS50011: The redirect URI 'https://app.hiveku.com/api/oauth/microsoft/callback/' does not match"
	send(t, w, tea.PasteMsg{Content: paste})
	// Enter inside the pane is a newline in the paste, never "next step".
	send(t, w, tea.KeyPressMsg{Code: tea.KeyEnter})
	if w.Step() != flow.StepRedirect {
		t.Fatalf("enter in the pane moved the wizard to %q", w.Step())
	}
	send(t, w, tea.KeyPressMsg{Code: 'd', Mod: tea.ModCtrl})
	if gotText != paste {
		t.Errorf("doctor got %q, want the paste", gotText)
	}
	if gotCfg.Name != "Acme Hiveku" {
		t.Errorf("doctor was not given the answers so far: %+v", gotCfg.Name)
	}
	if v := view(w); !strings.Contains(v, "remove the trailing slash") {
		t.Errorf("findings not shown:\n%s", v)
	}
	send(t, w, tea.KeyPressMsg{Code: tea.KeyEscape}, tea.KeyPressMsg{Code: tea.KeyEscape})
	v := view(w)
	if strings.Contains(v, "Paste an error") || !strings.Contains(v, "Step 3 of 7") {
		t.Errorf("esc esc did not return to step 3:\n%s", v)
	}
	if w.Step() != flow.StepRedirect {
		t.Errorf("back at %q, want redirect-uri", w.Step())
	}
}

// TestDoctorPaneOff: without a DoctorFunc, ctrl+e does nothing and the
// footer doesn't offer it.
func TestDoctorPaneOff(t *testing.T) {
	w := start(t, withDraft(testOptions(newFakeStore(t)), draftAt(flow.StepAccountType)))
	send(t, w, tea.KeyPressMsg{Code: 'e', Mod: tea.ModCtrl})
	if v := view(w); strings.Contains(v, "Paste an error") || strings.Contains(v, "ctrl+e") {
		t.Errorf("doctor offered without a DoctorFunc:\n%s", v)
	}
}

// TestDoctorPaneMultiLinePasteAndScroll: a bracketed paste of a whole
// Microsoft error page is one answer, newlines included, and findings
// taller than the terminal scroll in a viewport instead of being cut.
func TestDoctorPaneMultiLinePasteAndScroll(t *testing.T) {
	var gotText string
	var gotWidth int
	o := withDraft(testOptions(newFakeStore(t)), draftAt(flow.StepAccountType))
	o.Height = 15
	o.Doctor = func(text string, _ flow.Config, width int) string {
		gotText, gotWidth = text, width
		var lines []string
		for i := 1; i <= 30; i++ {
			lines = append(lines, fmt.Sprintf("finding line %d", i))
		}
		return strings.Join(lines, "\n")
	}
	w := start(t, o)
	send(t, w, tea.KeyPressMsg{Code: 'e', Mod: tea.ModCtrl})
	page := "Sign in\nSorry, but we're having trouble signing you in.\n\nAADSTS50011: The redirect URI does not match."
	send(t, w, tea.PasteMsg{Content: page})
	send(t, w, tea.KeyPressMsg{Code: 'd', Mod: tea.ModCtrl})
	if gotText != page {
		t.Fatalf("doctor got %q, want the whole page", gotText)
	}
	v := view(w)
	if !strings.Contains(v, "Paste an error") || !strings.Contains(v, "finding line 1 ") || strings.Contains(v, "finding line 30") || !strings.Contains(v, "↓ more") {
		t.Fatalf("findings not shown from the top in a viewport:\n%s", v)
	}
	if n := strings.Count(v, "\n") + 1; n > 15 {
		t.Errorf("pane is %d lines on a 15-line terminal", n)
	}
	// A resize lays the findings out again for the new width.
	send(t, w, tea.WindowSizeMsg{Width: 40, Height: 15})
	if gotWidth != 40 {
		t.Errorf("findings rendered for width %d after the resize, want 40", gotWidth)
	}
	for range 30 {
		send(t, w, keyDown)
	}
	if v := view(w); !strings.Contains(v, "finding line 30") {
		t.Errorf("↓ did not scroll to the end:\n%s", v)
	}
}

// A pasted page is text from outside, and the findings quote it: neither
// reaches the terminal with a control, bidi or invisible character (an
// OSC 52 clipboard write, a screen clear, a right-to-left override).
func TestDoctorPaneSanitizes(t *testing.T) {
	o := withDraft(testOptions(newFakeStore(t)), draftAt(flow.StepAccountType))
	o.Doctor = func(text string, _ flow.Config, _ int) string { return "Microsoft: " + text }
	w := start(t, o)
	send(t, w, tea.KeyPressMsg{Code: 'e', Mod: tea.ModCtrl})
	// (a terminal's paste ends lines with CR, which stay line breaks)
	hostile := "Sign in\rAADSTS50011: '\x1b]52;c;aGk=\x07https://x/' \u202eevil\u200b\x1b[2J"
	send(t, w, tea.PasteMsg{Content: hostile})
	for _, when := range []string{"pasted", "explained"} {
		if when == "explained" {
			send(t, w, tea.KeyPressMsg{Code: 'd', Mod: tea.ModCtrl})
		}
		raw := w.View().Content
		for _, bad := range []string{"\x1b]52", "\x07", "\x1b[2J", "\u202e", "\u200b"} {
			if strings.Contains(raw, bad) {
				t.Errorf("%s: the pane draws %q raw", when, bad)
			}
		}
		// the AADSTS line starts its own line of the input
		if v := view(w); when == "pasted" && (strings.Contains(v, `\x0d`) || !strings.Contains(v, "┃ AADSTS50011")) {
			t.Errorf("the paste's CR line ends are not line breaks:\n%s", v)
		}
		if !strings.Contains(view(w), `\u202e`) {
			t.Errorf("%s: the override is not shown escaped:\n%s", when, view(w))
		}
	}
}
