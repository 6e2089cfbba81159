package ui

import (
	"strings"
	"testing"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/ui/screens"
)

func TestGroups(t *testing.T) {
	tests := []struct {
		step flow.StepID
		want string // the groups' field keys, "|" between groups
	}{
		{flow.StepName, "name"},
		{flow.StepAccountType, "account type"},
		{flow.StepRedirect, "redirect URI,loopback"},
		{flow.StepPermissions, "scopes"},
		{flow.StepSecret, "secret description,secret expiry,secret value"},
		{flow.StepTenant, "client ID,directory ID|tenant"},
		{flow.StepReview, ""},
	}
	for _, tt := range tests {
		var gs []string
		for _, g := range groups(tt.step) {
			var keys []string
			for _, f := range g {
				keys = append(keys, f.Key)
			}
			gs = append(gs, strings.Join(keys, ","))
		}
		if got := strings.Join(gs, "|"); got != tt.want {
			t.Errorf("groups(%s) = %q, want %q", tt.step, got, tt.want)
		}
	}
}

// TestEveryFieldOnAScreen: each field flow defines for steps 1–6 is
// asked on the step's screens, with its title and the kind of screen
// its kind needs; nothing is left to ui to know.
func TestEveryFieldOnAScreen(t *testing.T) {
	w := NewWizard(withDraft(testOptions(newFakeStore(t)), draftAt(flow.StepTenant)))
	for _, id := range flow.Steps[:6] {
		for part, g := range groups(id) {
			runCmds(t, w, w.open(pageStep, id, part))
			v := view(w)
			for _, f := range g {
				if !strings.Contains(v, f.Title) {
					t.Errorf("%s part %d: field %q (%s) not shown:\n%s", id, part, f.Key, f.Title, v)
				}
				_, isChoice := w.screen.(*screens.Choice)
				if isChoice != (f.Kind == flow.KindChoice) {
					t.Errorf("%s: field %q of kind %d on a %T", id, f.Key, f.Kind, w.screen)
				}
			}
			noSecret(t, string(id), v)
		}
	}
}
