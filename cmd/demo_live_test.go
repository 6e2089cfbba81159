package cmd

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/ui"
)

// TestLiveLine checks that the spinner is drawn only at the start of a
// line, never over a prompt or while paused, and that any other write
// and Done clear it first.
func TestLiveLine(t *testing.T) {
	var b strings.Builder
	l := newLiveLine(&b)
	l.tick()
	if b.Len() != 0 {
		t.Fatalf("drew with no running check: %q", b.String())
	}
	l.Start("consent")
	l.tick()
	if got := b.String(); got != "\r\x1b[2K  / consent …\r\n  ctrl+c quit" {
		t.Fatalf("frame = %q", got)
	}
	b.Reset()
	_, _ = l.Write([]byte("Paste the address: "))
	if got := b.String(); got != "\r\x1b[2K\x1b[1A\x1b[2KPaste the address: " {
		t.Fatalf("write did not clear the spinner first: %q", got)
	}
	b.Reset()
	l.tick()
	if b.Len() != 0 {
		t.Fatalf("drew over a prompt: %q", b.String())
	}
	_, _ = l.Write([]byte("\n"))
	l.Pause()
	b.Reset()
	l.tick()
	if b.Len() != 0 {
		t.Fatalf("drew while paused: %q", b.String())
	}
	l.Resume()
	l.tick()
	l.Done()
	if got := b.String(); !strings.HasSuffix(got, "consent …\r\n  ctrl+c quit\r\x1b[2K\x1b[1A\x1b[2K") {
		t.Fatalf("Done did not clear the spinner: %q", got)
	}
}

// TestDemoPacing: on a terminal each check is held running for the pace
// (what is left of it after the check itself), through the injected
// sleeper and clock, so the test never sleeps; piped output is not paced.
func TestDemoPacing(t *testing.T) {
	for _, tty := range []bool{true, false} {
		f, _, stderr := newTestFactory(t)
		f.IO.SetStderrTTY(tty)
		var slept []time.Duration
		tick := testNow
		opts := &DemoOptions{
			IO: f.IO, Now: f.Now, Getenv: f.Getenv, Scenario: "happy", NoColor: true, Pace: 400 * time.Millisecond,
			sleep: func(ctx context.Context, d time.Duration) error { slept = append(slept, d); return nil },
			// Every reading is 100 ms after the last: each check takes 100 ms.
			clock: func() time.Time { tick = tick.Add(100 * time.Millisecond); return tick },
		}
		if err := demoRun(context.Background(), opts); err != nil {
			t.Fatalf("tty=%v: demo: %v\n%s", tty, err, stderr)
		}
		checks := strings.Count(stderr.String(), "✓ ")
		if checks < 10 {
			t.Fatalf("tty=%v: %d checks shown:\n%s", tty, checks, stderr)
		}
		if !tty {
			if len(slept) != 0 {
				t.Errorf("piped output paced: %v", slept)
			}
			continue
		}
		if len(slept) != checks {
			t.Errorf("pacing requested %d times for %d checks", len(slept), checks)
		}
		for _, d := range slept {
			if d != 300*time.Millisecond {
				t.Errorf("paced %v, want the 300 ms left of 400 ms after a 100 ms check", d)
				break
			}
		}
	}
}

// TestDemoAccessibleUnpaced: with --accessible (a screen reader) the
// checks are plain lines: no spinner, no pacing, no redraw.
func TestDemoAccessibleUnpaced(t *testing.T) {
	f, _, stderr := newTestFactory(t)
	f.IO.SetStderrTTY(true)
	opts := &DemoOptions{
		IO: f.IO, Now: f.Now, Getenv: f.Getenv, Scenario: "happy", NoColor: true, Accessible: true, Pace: time.Second,
		sleep: func(context.Context, time.Duration) error { t.Error("paced in accessible mode"); return nil },
	}
	if err := demoRun(context.Background(), opts); err != nil {
		t.Fatalf("demo: %v\n%s", err, stderr)
	}
	if strings.Contains(stderr.String(), "\x1b") {
		t.Errorf("escape sequences for a screen reader:\n%q", stderr)
	}
}

// TestDemoPaceFlag: --pace is a duration, 400 ms by default; a negative
// one is bad usage.
func TestDemoPaceFlag(t *testing.T) {
	f, _, _ := newTestFactory(t)
	if fl := NewCmdDemo(f).Flags().Lookup("pace"); fl == nil || fl.DefValue != "400ms" {
		t.Fatalf("--pace flag = %+v, want a 400ms default", fl)
	}
	f2, _, stderr := newTestFactory(t)
	if code := runCmd(t, f2, "demo", "--pace", "-1s"); code != 2 || !strings.Contains(stderr.String(), "--pace") {
		t.Errorf("--pace -1s: exit %d, stderr %q; want 2 naming the flag", code, stderr)
	}
}

// TestDemoHeadingAfterConsent: once the presenter has answered the
// consent question on a terminal, the Step 8 heading and the checks so
// far are drawn again at the top of a cleared screen, so the rest of the
// checklist runs under its heading (issue 10: the heading had scrolled
// away under the consent question).
func TestDemoHeadingAfterConsent(t *testing.T) {
	f, _, stderr := newTestFactory(t)
	f.IO.SetStdinTTY(true)
	f.IO.SetStdoutTTY(true)
	f.IO.SetStderrTTY(true)
	opts := &DemoOptions{
		IO: f.IO, Now: f.Now, Getenv: f.Getenv, Scenario: "happy", NoColor: true,
		wizard: func(ctx context.Context, o ui.WizardOptions) (flow.Config, error) {
			return o.Draft.Config, o.Store.SaveConfig(ctx, o.Draft.Config, false)
		},
		confirm: func(context.Context, string, bool) (bool, error) { return true, nil },
	}
	if err := demoRun(context.Background(), opts); err != nil {
		t.Fatalf("demo: %v\n%s", err, stderr)
	}
	out := stderr.String()
	redraw := "\x1b[H\x1b[2JStep 8 · Verify it works (as alex@contoso.com)\n✓ redirect-uri"
	i := strings.Index(out, redraw)
	if i < 0 {
		t.Fatalf("no redraw of the heading after the consent:\n%q", out)
	}
	after := out[i:]
	if !strings.Contains(after, "✓ consent") || strings.Contains(after, "consent screen (simulated)") || !strings.Contains(after, "✓ access") {
		t.Errorf("after the redraw:\n%s", after)
	}
	if strings.Index(out, "is asked to consent") > i {
		t.Errorf("redrawn before the question")
	}
}

// TestDemoCtrlCAtConsent: Ctrl+C at the consent question cancels the
// demo (exit 130) there and then: no consent check fails for want of a
// paste and no check after it is paced through as skipped.
func TestDemoCtrlCAtConsent(t *testing.T) {
	f, _, stderr := newTestFactory(t)
	f.IO.SetStdinTTY(true)
	f.IO.SetStdoutTTY(true)
	f.IO.SetStderrTTY(true)
	var paced int
	opts := &DemoOptions{
		IO: f.IO, Now: f.Now, Getenv: f.Getenv, Scenario: "happy", NoColor: true, Pace: time.Second,
		wizard: func(ctx context.Context, o ui.WizardOptions) (flow.Config, error) {
			return o.Draft.Config, o.Store.SaveConfig(ctx, o.Draft.Config, false)
		},
		confirm: func(context.Context, string, bool) (bool, error) { return false, ErrAborted },
		sleep:   func(context.Context, time.Duration) error { paced++; return nil },
		clock:   func() time.Time { return testNow },
	}
	if err := demoRun(context.Background(), opts); !errors.Is(err, ErrAborted) {
		t.Fatalf("demo = %v, want ErrAborted (exit 130)\n%s", err, stderr)
	}
	out := stderr.String()
	if strings.Contains(out, "consent ") && strings.Contains(out, "✗") || strings.Contains(out, "skipped") {
		t.Errorf("checks reported after Ctrl+C:\n%s", out)
	}
	if paced != 7 {
		t.Errorf("paced %d checks, want the 7 before the consent", paced)
	}
}
