package cmd

import (
	"context"
	"strings"
	"testing"

	"github.com/hiveku/byok/flow"
)

func TestWizardFirstQuestionLeadsToCreate(t *testing.T) {
	f, _, _ := newTestFactory(t)
	opts := newSetupOptions(f)
	asked, created := 0, 0
	opts.AskHow = func(context.Context, *SetupOptions) (string, error) { asked++; return howCreate, nil }
	opts.Create = func(context.Context, *SetupOptions) error { created++; return nil }
	if err := runWizard(context.Background(), opts, nil); err != nil {
		t.Fatalf("runWizard() = %v", err)
	}
	if asked != 1 || created != 1 {
		t.Errorf("asked %d, created %d; want 1 and 1", asked, created)
	}
	// A draft being resumed is a portal wizard already: no question.
	asked = 0
	opts.AskHow = func(context.Context, *SetupOptions) (string, error) { asked++; return howPortal, nil }
	opts.Store = func(context.Context) (flow.Store, error) { return nil, errBoomCmd }
	_ = runWizard(context.Background(), opts, &flow.Draft{Config: flow.Config{Name: "x"}})
	if asked != 0 {
		t.Errorf("asked how to register while resuming a draft")
	}
}

func TestAskHowAccessible(t *testing.T) {
	f, _, stderr := newTestFactory(t)
	opts := newSetupOptions(f)
	opts.Accessible = true
	f.IO.SetColorForced(true) // colour on: still no escape sequence
	f.IO.In = strings.NewReader("2\n")
	how, err := askHow(context.Background(), opts)
	if err != nil || how != howCreate {
		t.Fatalf("askHow() = %q, %v; want create", how, err)
	}
	out := stderr.String()
	if !strings.Contains(out, "I'll use the portal (step by step)") || !strings.Contains(out, "Create it for me (sign in as an admin)") {
		t.Errorf("the question lacks its two answers:\n%s", out)
	}
	// A screen reader gets plain text, colour or not.
	if strings.Contains(out, "\x1b") {
		t.Errorf("accessible question wrote an escape sequence: %q", out)
	}
}

var errBoomCmd = &flow.Error{Code: flow.EINTERNAL, Message: "boom"}
