package verify

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/hiveku/byok/flow"
)

// never is a timer that does not fire: the loopback wait can then end
// only through the browser or a paste.
func never(time.Duration) <-chan time.Time { return make(chan time.Time) }

// pasteScript answers ReadPaste with its texts in turn, then blocks until
// ctx is done; calls counts the reads.
type pasteScript struct {
	texts []string
	calls int
	ended chan struct{}
}

func (p *pasteScript) ReadPaste(ctx context.Context) (string, error) {
	p.calls++
	if len(p.texts) > 0 {
		t := p.texts[0]
		p.texts = p.texts[1:]
		return t, nil
	}
	<-ctx.Done()
	if p.ended != nil {
		close(p.ended)
	}
	return "", ctx.Err()
}

// failsafe bounds a test that would otherwise hang if the wait did not
// end; it is not used to synchronise anything.
func failsafe(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// TestLoopbackPastedErrorEndsWait: Microsoft shows an error page (the
// loopback redirect is not registered), the browser never comes back,
// the person pastes the page: the wait ends at once with the diagnosis,
// not with the timeout.
func TestLoopbackPastedErrorEndsWait(t *testing.T) {
	f := newFakeMS(t) // http://localhost is not registered: AADSTS50011 page
	b := newFakeBrowser(t, true)
	v, _ := newTestVerifier(f, b)
	v.After = never
	paste := &pasteScript{}
	v.Paste = PasteFunc(func(ctx context.Context) (string, error) {
		if b.page == "" {
			t.Errorf("paste read before the browser showed a page")
		}
		paste.texts = []string{"", b.page} // an Enter first: ignored
		v.Paste = paste
		return paste.ReadPaste(ctx)
	})
	run, err := v.Verify(failsafe(t), testConfig(true), &testReporter{}, false)
	if err != nil {
		t.Fatalf("Verify() error = %v", err)
	}
	c := liveChecks(run)[flow.CheckConsent]
	if c.Status != flow.Fail || c.Code != 50011 || strings.Contains(c.Detail, "no answer") {
		t.Fatalf("consent = %+v, want the pasted AADSTS50011", c)
	}
	if !strings.Contains(c.Fix, "http://localhost") || !strings.Contains(c.Fix, "Web") {
		t.Errorf("fix %q does not say to register the loopback redirect URI under Web", c.Fix)
	}
	if liveChecks(run)[flow.CheckToken].Status != flow.Skip {
		t.Errorf("token ran after a failed consent")
	}
}

// TestLoopbackBrowserWinsOverPaste: the browser comes back while the
// paste reader waits; the reader's context is cancelled.
func TestLoopbackBrowserWinsOverPaste(t *testing.T) {
	f := newFakeMS(t)
	f.extraRedirect = []string{"http://localhost"}
	b := newFakeBrowser(t, true)
	v, _ := newTestVerifier(f, b)
	v.After = never
	paste := &pasteScript{ended: make(chan struct{})}
	v.Paste = paste
	run, err := v.Verify(failsafe(t), testConfig(true), &testReporter{}, false)
	if err != nil {
		t.Fatalf("Verify() error = %v", err)
	}
	if c := liveChecks(run)[flow.CheckConsent]; c.Status != flow.Pass || !strings.Contains(c.Detail, "loopback") {
		t.Fatalf("consent = %+v, want the code on the loopback listener", c)
	}
	select {
	case <-paste.ended:
	case <-failsafe(t).Done():
		t.Fatal("the paste reader was not cancelled")
	}
}

// TestLoopbackPastedAddress: the browser could not reach the listener
// (e.g. another machine) and the person pastes the address it landed on.
func TestLoopbackPastedAddress(t *testing.T) {
	f := newFakeMS(t)
	f.extraRedirect = []string{"http://localhost"}
	b := newFakeBrowser(t, false) // lands, does not deliver
	v, _ := newTestVerifier(f, b)
	v.After = never
	v.Paste = PasteFunc(func(context.Context) (string, error) { return b.landed, nil })
	run, err := v.Verify(failsafe(t), testConfig(true), &testReporter{}, false)
	if err != nil {
		t.Fatalf("Verify() error = %v", err)
	}
	if c := liveChecks(run)[flow.CheckConsent]; c.Status != flow.Pass || !strings.Contains(c.Detail, "from the address the browser landed on") {
		t.Fatalf("consent = %+v, want the pasted code", c)
	}
	if !run.OK {
		t.Errorf("run failed: %+v", run.Checks)
	}
}

// TestLoopbackPasteEOF: no paste source after all (stdin closed): the
// wait goes on for the browser alone and times out as before.
func TestLoopbackPasteEOF(t *testing.T) {
	f := newFakeMS(t)
	b := newFakeBrowser(t, true)
	v, _ := newTestVerifier(f, b)
	v.Paste = PasteFunc(func(context.Context) (string, error) { return "", io.EOF })
	run, err := v.Verify(failsafe(t), testConfig(true), &testReporter{}, false)
	if err != nil {
		t.Fatalf("Verify() error = %v", err)
	}
	if c := liveChecks(run)[flow.CheckConsent]; c.Status != flow.Fail || !strings.Contains(c.Detail, "no answer from the browser") {
		t.Fatalf("consent = %+v, want the timeout", c)
	}
}

// TestAdminApprovalRetry: after AADSTS90094, verify offers the
// select_account retry; accepted, the retry gets a code.
func TestAdminApprovalRetry(t *testing.T) {
	for _, yes := range []bool{true, false} {
		f := newFakeMS(t)
		f.authError, f.adminConsentedLater = "90094", true
		b := newFakeBrowser(t, false)
		b.done = make(chan time.Time, 2) // two sign-ins
		v, _ := newTestVerifier(f, b)
		var asked []string
		v.Confirm = func(_ context.Context, q string) (bool, error) { asked = append(asked, q); return yes, nil }
		rep := &testReporter{paste: func(context.Context) (string, error) { return b.landed, nil }}
		run, err := v.Verify(context.Background(), testConfig(false), rep, false)
		if err != nil {
			t.Fatalf("Verify() error = %v", err)
		}
		if len(asked) != 1 || !strings.Contains(asked[0], "select_account") {
			t.Fatalf("asked %q, want the select_account question once", asked)
		}
		c := liveChecks(run)[flow.CheckConsent]
		if yes && (c.Status != flow.Pass || !strings.Contains(c.Detail, "select_account")) {
			t.Errorf("yes: consent = %+v, want a pass through select_account", c)
		}
		if !yes && (c.Status != flow.Fail || c.Code != 90094) {
			t.Errorf("no: consent = %+v, want the 90094 failure", c)
		}
	}
}

// TestLoopbackPasteInterrupted: Ctrl+C at the paste prompt stops the run.
func TestLoopbackPasteInterrupted(t *testing.T) {
	f := newFakeMS(t)
	b := newFakeBrowser(t, true)
	v, _ := newTestVerifier(f, b)
	v.After = never
	stop := errors.New("interrupted")
	v.Paste = PasteFunc(func(context.Context) (string, error) { return "", stop })
	if _, err := v.Verify(failsafe(t), testConfig(true), &testReporter{}, false); !errors.Is(err, stop) {
		t.Fatalf("Verify() error = %v, want the reader's error", err)
	}
}
