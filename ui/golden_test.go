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
	waitFor("is saved")
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
	final := view(fm)
	noSecret(t, "final screen", final)
	teatest.RequireEqualOutput(t, []byte(final))
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

// TestAccessible answers every step as typed lines (no terminal), with a
// wrong answer first on the name and the secret steps.
func TestAccessible(t *testing.T) {
	store := newFakeStore(t, "Taken")
	answers := strings.Join([]string{
		"",                                     // before you start: Start
		"",                                     // name: empty, re-asked
		"Acme Hiveku",                          // name
		"",                                     // account type: default (multitenant + personal)
		"",                                     // redirect URI: pre-filled Hiveku URI
		"y",                                    // also register http://localhost
		"2",                                    // permissions: read
		"",                                     // description: Hiveku prod
		"12m",                                  // expiry
		"0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0", // the Secret ID: re-asked
		testSecret,                             // the value
		testClientID,                           // client ID
		testDirectory,                          // directory ID
		"",                                     // tenant: default (common)
		"",                                     // review: Save
	}, "\n") + "\n"
	var out bytes.Buffer
	o := testOptions(store)
	o.Accessible = true
	o.In = strings.NewReader(answers)
	o.Out = &out
	c, err := RunWizard(context.Background(), o)
	if err != nil {
		t.Fatalf("RunWizard() error = %v\n%s", err, out.String())
	}
	if c.Name != "Acme Hiveku" || !c.Loopback || c.Tenant != "common" || c.Secret.Reveal() != testSecret ||
		strings.Join(c.Scopes, ",") != "offline_access,Mail.Read" {
		t.Errorf("config = %q loopback %v tenant %q scopes %v", c.Name, c.Loopback, c.Tenant, c.Scopes)
	}
	if got, want := c.SecretInfo.Expires.Format("2006-01-02"), testNow.AddDate(0, 12, 0).Format("2006-01-02"); got != want {
		t.Errorf("expires = %s, want %s", got, want)
	}
	if len(store.saved) != 1 {
		t.Errorf("saved %d configs, want 1", len(store.saved))
	}
	got := out.String()
	for _, want := range []string{"Step 1 of 7 · Name", "name: is empty", "Step 5 of 7 · Client secret", "this is the Secret ID", "Step 7 of 7 · Review", "byok verify 'Acme Hiveku'"} {
		if !strings.Contains(got, want) {
			t.Errorf("accessible output lacks %q", want)
		}
	}
	if strings.Contains(got, "\x1b[") {
		t.Errorf("accessible output has escape sequences")
	}
	noSecret(t, "accessible output", got)
}

// TestAccessibleEndOfInput stops with an error instead of looping when
// the answers run out on a step that keeps failing.
func TestAccessibleEndOfInput(t *testing.T) {
	store := newFakeStore(t, "Acme Hiveku")
	var out bytes.Buffer
	o := testOptions(store)
	o.Accessible = true
	o.In = strings.NewReader("\nAcme Hiveku\n")
	o.Out = &out
	_, err := RunWizard(context.Background(), o)
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("RunWizard() error = %v, want unexpected EOF", err)
	}
	if !strings.Contains(out.String(), "already called") {
		t.Errorf("the reason is not shown:\n%s", out.String())
	}
	if len(store.drafts) != 0 {
		t.Errorf("draft saved for a taken name")
	}
}

// TestAccessibleVerify runs verification in accessible mode, the paste
// read as a line.
func TestAccessibleVerify(t *testing.T) {
	store := newFakeStore(t)
	fv := &fakeVerify{}
	var out bytes.Buffer
	o := withDraft(testOptions(store), draftAt(flow.StepTenant))
	o.Accessible = true
	o.Verify = fv.run
	o.In = strings.NewReader("\n\n" + testPasted + "\n") // save, yes, paste
	o.Out = &out
	if _, err := RunWizard(context.Background(), o); err != nil {
		t.Fatalf("RunWizard() error = %v\n%s", err, out.String())
	}
	if fv.gotPaste != testPasted {
		t.Errorf("paste = %q, want %q", fv.gotPaste, testPasted)
	}
	got := out.String()
	for _, want := range []string{"checking redirect-uri…", "✓ pass redirect-uri", "login.example.test", "✗ fail consent", "fix: grant admin consent"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	noSecret(t, "accessible verify output", got)
}

// TestAccessibleEnterKeepsAnswers accepts every pre-filled answer (the
// demo's way in) with an empty line.
func TestAccessibleEnterKeepsAnswers(t *testing.T) {
	store := newFakeStore(t)
	d := draftAt("")
	d.Config.SecretInfo.Expires = time.Time{} // expiry shown as "24m"
	var out bytes.Buffer
	o := withDraft(testOptions(store), d)
	o.Accessible = true
	o.In = strings.NewReader(strings.Repeat("\n", 12))
	o.Out = &out
	c, err := RunWizard(context.Background(), o)
	if err != nil {
		t.Fatalf("RunWizard() error = %v\n%s", err, out.String())
	}
	if c.Name != "Acme Hiveku" || c.ClientID != testClientID || c.DirectoryID != testDirectory || c.Tenant != "common" || c.Secret.Reveal() != testSecret {
		t.Errorf("pre-filled answers not kept: %q %q %q %q", c.Name, c.ClientID, c.DirectoryID, c.Tenant)
	}
	if got := out.String(); !strings.Contains(got, "[Enter keeps Acme Hiveku]") || strings.Contains(got, "is empty") {
		t.Errorf("defaults not offered or not accepted:\n%s", got)
	}
	noSecret(t, "accessible output", out.String())
}
