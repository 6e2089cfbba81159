package ui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"
	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/ui/internal/tuitest"
)

// TestWizardTranscript drives the happy path (with one redirect near
// miss) through direct Update calls and compares every screen with
// testdata/TestWizardTranscript.golden. Regenerate with -update.
func TestWizardTranscript(t *testing.T) {
	store := newFakeStore(t)
	w := start(t, testOptions(store))
	var out bytes.Buffer
	shot := func(label string) {
		t.Helper()
		fmt.Fprintf(&out, "──── %s ────\n%s\n", label, view(w))
	}

	shot("start")
	typeInto(t, w, "Acme Hiveku")
	send(t, w, keyEnter)
	shot("after name")
	send(t, w, keyEnter)
	typeInto(t, w, "http://app.hiveku.com/api/oauth/microsoft/callback/")
	send(t, w, keyEnter, keyEnter)
	shot("redirect near miss")
	send(t, w, keyEnter)
	shot("permissions")
	send(t, w, keyEnter, keyEnter, keyEnter)
	typeInto(t, w, testSecret)
	shot("secret typed (masked)")
	send(t, w, keyEnter)
	typeInto(t, w, testClientID)
	send(t, w, keyEnter)
	typeInto(t, w, testDirectory)
	send(t, w, keyEnter)
	shot("tenant")
	send(t, w, keyEnter)
	shot("review")
	send(t, w, keyEnter)
	shot("done")

	wantScreen(t, w, scrDone)
	noSecret(t, "transcript", out.String())
	if got := store.draftSteps(); len(got) != 6 {
		t.Errorf("drafts saved for steps %v, want one per step 1–6", got)
	}
	golden.RequireEqual(t, out.Bytes())
}

// TestWizardHappyPath runs the wizard as a real bubbletea program
// (teatest, 80×24) through every step with typed keys, then compares the
// final screen with testdata/TestWizardHappyPath.golden.
func TestWizardHappyPath(t *testing.T) {
	store := newFakeStore(t)
	rec, screen := tuitest.Record(NewWizard(testOptions(store)))
	tm := teatest.NewTestModel(t, rec, teatest.WithInitialTermSize(80, 24))
	t.Cleanup(func() { _ = tm.Quit() })

	waitFor := func(s string) {
		t.Helper()
		screen.WaitFor(t, s, 10*time.Second)
	}
	enter := func() { tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter}) }

	waitFor("Before you start")
	enter()
	waitFor("Step 1 of 7")
	tm.Type("Acme Hiveku")
	enter()
	waitFor("Step 2 of 7")
	enter()
	waitFor("Step 3 of 7")
	enter() // Hiveku's URI is pre-filled
	waitFor("┃ Also register")
	enter() // no loopback
	waitFor("Step 4 of 7")
	enter()
	waitFor("Step 5 of 7")
	enter() // description
	waitFor("┃ Expires")
	enter() // 24m
	waitFor("┃ Secret value")
	tm.Type(testSecret)
	enter()
	waitFor("Step 6 of 7")
	tm.Type(testClientID)
	enter()
	waitFor("┃ Directory (tenant) ID")
	tm.Type(testDirectory)
	enter()
	waitFor("Tenant Hiveku will use")
	enter()
	waitFor("Step 7 of 7")
	enter()
	done := screen.WaitFor(t, "is saved", 10*time.Second)
	enter()

	fm, ok := tuitest.Unwrap(tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second))).(*Wizard)
	if !ok {
		t.Fatalf("final model is not a *Wizard")
	}
	c, saved := fm.Saved()
	if !saved || fm.Aborted() {
		t.Fatalf("saved=%v aborted=%v", saved, fm.Aborted())
	}
	if c.Name != "Acme Hiveku" || c.Tenant != "common" || c.Secret.Reveal() != testSecret ||
		c.ClientID != testClientID || c.DirectoryID != testDirectory || c.RedirectURI != flow.HivekuRedirectURI {
		t.Errorf("saved config = %q %q %q %q %q", c.Name, c.Tenant, c.ClientID, c.DirectoryID, c.RedirectURI)
	}
	if v := view(fm); v != "" {
		t.Errorf("the wizard leaves a frame behind (RunWizard prints the last screen whole):\n%s", v)
	}
	if final := ansi.Strip(fm.final()); !strings.Contains(done, strings.Split(final, "\n")[0]) || !strings.Contains(final, "Settings > OAuth Apps") {
		t.Errorf("final text:\n%s", final)
	}
	noSecret(t, "final screen", done)
	teatest.RequireEqualOutput(t, []byte(done))
}

// TestRunWizardCtrlC runs RunWizard on a pipe and presses Ctrl+C.
func TestRunWizardCtrlC(t *testing.T) {
	store := newFakeStore(t)
	o := testOptions(store)
	r, wr := io.Pipe()
	o.In = r
	var out bytes.Buffer
	o.Out = &out
	go func() {
		_, _ = wr.Write([]byte{0x03})
	}()
	c, err := RunWizard(context.Background(), o)
	_ = wr.Close()
	if !errors.Is(err, ErrAborted) {
		t.Fatalf("RunWizard() error = %v, want ErrAborted", err)
	}
	if c.Name != "" || len(store.saved) != 0 {
		t.Errorf("config returned or saved after ctrl+c: %q", c.Name)
	}
}

// TestRunWizardContextCancelled ends the wizard through its context.
func TestRunWizardContextCancelled(t *testing.T) {
	store := newFakeStore(t)
	o := testOptions(store)
	r, wr := io.Pipe()
	defer wr.Close()
	o.In = r
	o.Out = io.Discard
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := RunWizard(ctx, o); !errors.Is(err, ErrAborted) {
		t.Fatalf("RunWizard() error = %v, want ErrAborted", err)
	}
}
