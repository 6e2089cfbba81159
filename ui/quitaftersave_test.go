package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/hiveku/byok/flow"
)

// TestQuitAfterSave: with QuitAfterSave (the demo), saving at review ends
// the wizard at once with a one-line confirmation, neither asking to
// verify nor showing the next-steps screen.
func TestQuitAfterSave(t *testing.T) {
	s := newFakeStore(t)
	o := withDraft(testOptions(s), draftAt(flow.StepTenant))
	o.QuitAfterSave = true
	w := start(t, o)
	if got := w.Step(); got != flow.StepReview {
		t.Fatalf("starts at %q, want review", got)
	}
	if quit := send(t, w, tea.KeyPressMsg{Code: tea.KeyEnter}); !quit {
		t.Fatalf("wizard did not quit after Save")
	}
	if _, ok := w.Saved(); !ok {
		t.Fatalf("config not saved")
	}
	v := view(w)
	if !strings.Contains(v, "✓ saved:") || strings.Contains(v, "Next steps") || strings.Contains(v, "byok verify") {
		t.Errorf("final view = %q, want only the saved line", v)
	}
}
