package ui

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/hiveku/byok/flow"
)

// TestScreenKindsGolden draws every kind of screen (the intro, a text
// input, a choice with its advice, typed answer and catalog pick, the
// review, the live checklist, the doctor pane) at
// 80×24 and 40×15, without colour and with a fixed clock, into
// testdata/TestScreenKindsGolden.golden (-update rewrites it), and checks
// that no line is wider than the terminal except an unbreakable URL.
func TestScreenKindsGolden(t *testing.T) {
	var out bytes.Buffer
	for _, size := range [][2]int{{80, 24}, {40, 15}} {
		width, height := size[0], size[1]
		opts := func(d *flow.Draft) WizardOptions {
			o := testOptions(newFakeStore(t))
			o.Width, o.Height = width, height
			if d != nil {
				o = withDraft(o, d)
			}
			return o
		}
		shot := func(kind string, w *Wizard) {
			t.Helper()
			v := ansi.Strip(w.View().Content)
			fmt.Fprintf(&out, "──── %s %d×%d ────\n%s\n", kind, width, height, v)
			for _, l := range strings.Split(v, "\n") {
				if ansi.StringWidth(strings.TrimRight(l, " ")) > width && !strings.Contains(l, "://") {
					t.Errorf("%s %d×%d: line wider than the terminal: %q", kind, width, height, l)
				}
			}
			noSecret(t, kind, v)
		}

		w := NewWizard(opts(nil))
		runCmds(t, w, w.Init())
		shot("intro", w)
		send(t, w, keyEnter)
		shot("text input", w)

		w = start(t, opts(draftAt(flow.StepName)))
		shot("choice", w)

		w = start(t, opts(draftAt(flow.StepRedirect)))
		send(t, w, keyDown, keyDown, keyDown, keyEnter) // custom: pick from the catalog
		wantScreen(t, w, scrCustomScopes)
		shot("choice: catalog pick", w)

		w = start(t, opts(draftAt(flow.StepSecret)))
		send(t, w, keyEnter, keyEnter) // the IDs kept
		shot("choice with advice", w)
		send(t, w, keyDown, keyDown, keyDown, keyDown, keyEnter) // a verified domain
		wantScreen(t, w, scrTenantDomain)
		shot("choice: typed answer", w)

		w = start(t, opts(draftAt(flow.StepTenant)))
		shot("review", w)

		fv := &fakeVerify{}
		o := opts(draftAt(flow.StepTenant))
		o.Verify = fv.run
		w = start(t, o)
		w.checks.Static = true // no spinner frame in a golden
		send(t, w, keyEnter)   // Save
		run := sendVerify(t, w, keyEnter)
		done := make(chan struct{})
		go func() { defer close(done); run() }()
		for {
			if _, ok := nextEvent(t, w).(pasteRequestMsg); ok {
				break
			}
		}
		shot("verify checklist", w)
		send(t, w, keyCtrlC)
		<-done

		o = opts(draftAt(flow.StepAccountType))
		o.Doctor = func(string, flow.Config, int) string {
			var lines []string
			for i := 1; i <= 20; i++ {
				lines = append(lines, fmt.Sprintf("finding %d: the redirect URI has a trailing slash", i))
			}
			return strings.Join(lines, "\n")
		}
		w = start(t, o)
		send(t, w, tea.KeyPressMsg{Code: 'e', Mod: tea.ModCtrl}, tea.PasteMsg{Content: "Sign in\n\nAADSTS50011: mismatch"})
		shot("doctor paste", w)
		send(t, w, tea.KeyPressMsg{Code: 'd', Mod: tea.ModCtrl})
		shot("doctor findings", w)
	}
	golden.RequireEqual(t, out.Bytes())
}
