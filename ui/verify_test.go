package ui

import (
	"context"
	"errors"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/hiveku/byok/flow"
)

const testPasted = "https://app.hiveku.com/api/oauth/microsoft/callback?code=fixed-code&state=fixed-state"

// fakeVerify is a VerifyFunc that walks the Reporter like the engine
// does: a few checks, the consent URL, a paste, then the result.
type fakeVerify struct {
	gotCfg   flow.Config
	gotPaste string
}

func (f *fakeVerify) run(ctx context.Context, c flow.Config, r flow.Reporter) (flow.Run, error) {
	f.gotCfg = c
	checks := []flow.Check{
		{ID: flow.CheckRedirect, Status: flow.Pass, Detail: "matches Hiveku's exactly"},
		{ID: flow.CheckDiscovery, Status: flow.Pass, Detail: "tenant common found"},
		{ID: flow.CheckCreds, Status: flow.Warn, Detail: "secret expires in 20 days", Fix: "rotate it soon with byok rotate"},
	}
	for _, c := range checks {
		r.Started(c.ID)
		r.Finished(c)
	}
	r.Started(flow.CheckConsent)
	r.ConsentURL("https://login.example.test/common/oauth2/v2.0/authorize?state=fixed-state", false)
	pasted, err := r.Paste(ctx)
	if err != nil {
		return flow.Run{}, err
	}
	f.gotPaste = pasted
	consent := flow.Check{ID: flow.CheckConsent, Status: flow.Fail, Code: 65001, Detail: "consent was not granted", Fix: "grant admin consent in the portal"}
	r.Finished(consent)
	return flow.Run{Name: c.Name, Checks: append(checks, consent)}, nil
}

// nextEvent reads the next verification msg (blocking, no timer: the
// fake VerifyFunc always sends one) and feeds it to the wizard.
func nextEvent(t *testing.T, w *Wizard) tea.Msg {
	t.Helper()
	msg := <-w.events
	send(t, w, msg)
	return msg
}

func TestVerifyStep(t *testing.T) {
	store := newFakeStore(t)
	fv := &fakeVerify{}
	o := withDraft(testOptions(store), draftAt(flow.StepTenant))
	o.Verify = fv.run
	w := start(t, o)
	send(t, w, keyEnter) // Save
	wantScreen(t, w, scrVerifyAsk)
	if got := view(w); !strings.Contains(got, "Verify it works now?") {
		t.Fatalf("no verify question:\n%s", got)
	}

	// Yes: the Cmd that runs the VerifyFunc is started by hand here, in
	// its own goroutine, as bubbletea would.
	run := sendVerify(t, w, keyEnter)
	if current(w) != scrVerifying {
		t.Fatalf("screen = %d after yes, want verifying", current(w))
	}
	done := make(chan struct{})
	go func() { defer close(done); run() }()

	for {
		msg := nextEvent(t, w)
		if _, ok := msg.(pasteRequestMsg); ok {
			break
		}
	}
	wantScreen(t, w, scrPaste)
	got := view(w)
	for _, want := range []string{"✓ pass redirect-uri", "! warn secret", "fix: rotate it soon", "login.example.test", "Paste the address"} {
		if !strings.Contains(got, want) {
			t.Errorf("checklist lacks %q:\n%s", want, got)
		}
	}
	send(t, w, keyEnter) // empty paste is refused
	if got := view(w); !strings.Contains(got, "error: address: nothing was pasted") {
		t.Errorf("empty paste accepted:\n%s", got)
	}
	send(t, w, typed(testPasted), keyEnter)
	if current(w) != scrVerifying {
		t.Fatalf("paste not submitted:\n%s", view(w))
	}
	for {
		if _, ok := nextEvent(t, w).(verifyDoneMsg); ok {
			break
		}
	}
	<-done
	if fv.gotPaste != testPasted {
		t.Errorf("Paste returned %q, want %q", fv.gotPaste, testPasted)
	}
	if fv.gotCfg.Name != "Acme Hiveku" || fv.gotCfg.Secret.Reveal() != testSecret {
		t.Errorf("VerifyFunc got config %q without its secret", fv.gotCfg.Name)
	}
	wantScreen(t, w, scrDone)
	got = view(w)
	for _, want := range []string{"✗ fail consent", "fix: grant admin consent", "not verified", "byok verify 'Acme Hiveku'"} {
		if !strings.Contains(got, want) {
			t.Errorf("final screen lacks %q:\n%s", want, got)
		}
	}
	noSecret(t, "final screen", got)
}

func TestVerifyLaterAndNil(t *testing.T) {
	t.Run("later", func(t *testing.T) {
		store := newFakeStore(t)
		called := false
		o := withDraft(testOptions(store), draftAt(flow.StepTenant))
		o.Verify = func(context.Context, flow.Config, flow.Reporter) (flow.Run, error) {
			called = true
			return flow.Run{}, nil
		}
		w := start(t, o)
		send(t, w, keyEnter)   // save
		send(t, w, typed("n")) // Later (n answers at once)
		wantScreen(t, w, scrDone)
		if called {
			t.Errorf("VerifyFunc ran after Later")
		}
		if got := view(w); !strings.Contains(got, "not run yet") {
			t.Errorf("final screen does not say how to verify later:\n%s", got)
		}
	})
	t.Run("no VerifyFunc", func(t *testing.T) {
		store := newFakeStore(t)
		w := start(t, withDraft(testOptions(store), draftAt(flow.StepTenant)))
		send(t, w, keyEnter)
		wantScreen(t, w, scrDone)
		if got := view(w); !strings.Contains(got, "byok verify 'Acme Hiveku'") {
			t.Errorf("final screen lacks the verify command:\n%s", got)
		}
	})
}

func TestVerifyCtrlCCancels(t *testing.T) {
	store := newFakeStore(t)
	var verifyErr error
	o := withDraft(testOptions(store), draftAt(flow.StepTenant))
	o.Verify = func(ctx context.Context, c flow.Config, r flow.Reporter) (flow.Run, error) {
		_, err := r.Paste(ctx)
		verifyErr = err
		return flow.Run{}, err
	}
	w := start(t, o)
	send(t, w, keyEnter)
	run := sendVerify(t, w, keyEnter)
	done := make(chan struct{})
	go func() { defer close(done); run() }()
	nextEvent(t, w) // paste request
	wantScreen(t, w, scrPaste)
	if quit := send(t, w, keyCtrlC); !quit || !w.Aborted() {
		t.Fatalf("ctrl+c during verify: quit=%v aborted=%v", quit, w.Aborted())
	}
	<-done // the VerifyFunc returns once its context is cancelled
	if !errors.Is(verifyErr, context.Canceled) {
		t.Errorf("Paste error = %v, want context.Canceled", verifyErr)
	}
	if len(store.saved) != 1 {
		t.Errorf("config not saved before verify")
	}
}

// TestDoneScrolls: a last screen taller than the terminal (a long
// checklist) scrolls with ↑/↓ instead of losing its end, and leaves no
// frame behind when finished (RunWizard prints it whole).
func TestDoneScrolls(t *testing.T) {
	o := withDraft(testOptions(newFakeStore(t)), draftAt(flow.StepTenant))
	o.Height = 15
	w := start(t, o)
	send(t, w, keyEnter) // save; no VerifyFunc: the last screen
	wantScreen(t, w, scrDone)
	v := view(w)
	if n := strings.Count(v, "\n") + 1; n > 15 || !strings.Contains(v, "↓ more") || !strings.Contains(v, "↑/↓ scroll") {
		t.Fatalf("last screen at 80×15 (%d lines) neither fits nor scrolls:\n%s", n, v)
	}
	if strings.Contains(v, "Check it end to end") {
		t.Fatalf("the end is in sight before scrolling:\n%s", v)
	}
	for range 20 {
		send(t, w, keyDown)
	}
	v = view(w)
	if !strings.Contains(v, "Check it end to end") || strings.Contains(v, "↓ more") || !strings.HasPrefix(v, "Done · Acme Hiveku is saved") {
		t.Errorf("scrolled to the end, the last screen shows:\n%s", v)
	}
	send(t, w, keyUp)
	if !strings.Contains(view(w), "↓ more") {
		t.Errorf("↑ after the end does not scroll back at once:\n%s", view(w))
	}
	if quit := send(t, w, keyEnter); !quit || view(w) != "" {
		t.Errorf("enter: quit=%v, frame left:\n%s", quit, view(w))
	}
}
