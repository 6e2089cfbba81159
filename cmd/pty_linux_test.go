package cmd

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/ui"
	"github.com/hiveku/byok/ui/prompt/ptytest"
	"github.com/hiveku/byok/ui/text"
	"golang.org/x/sys/unix"
)

// doctorErrorPage is what a person copies from Microsoft's sign-in error
// page: blank lines included, the AADSTS code in the middle.
const doctorErrorPage = "Sign in\n" +
	"Sorry, but we're having trouble signing you in.\n" +
	"\n" +
	"AADSTS50011: The redirect URI 'https://app.hiveku.com/api/oauth/microsoft/callback/' specified in the request does not match the redirect URIs configured for the application '11111111-2222-4333-8444-555555555555'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.\n" +
	"\n" +
	"Troubleshooting details\n" +
	"Request Id: 5c3a1d2e-0000-4000-8000-000000000001\n" +
	"Correlation Id: 5c3a1d2e-0000-4000-8000-000000000002\n" +
	"Timestamp: 2026-11-27T09:00:00Z\n"

// syncBuffer is stderr shared by byok and the test; waitFor blocks until
// it holds s.
type syncBuffer struct {
	mu      sync.Mutex
	b       bytes.Buffer
	changed chan struct{}
}

func newSyncBuffer() *syncBuffer { return &syncBuffer{changed: make(chan struct{}, 1)} }

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case s.changed <- struct{}{}:
	default:
	}
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func (s *syncBuffer) waitFor(str string, done <-chan int) bool {
	for !strings.Contains(s.String(), str) {
		select {
		case <-s.changed:
		case <-done:
			return false
		}
	}
	return true
}

// TestDoctorPasteOnTerminal pastes a whole Microsoft error page into
// `byok doctor` on a pseudo-terminal, followed in the same burst by a
// command typed for the shell: with bracketed paste (xterm) and without
// (TERM=dumb, lines), the page is diagnosed as AADSTS50011 and nothing
// of it is left for the shell to read.
func TestDoctorPasteOnTerminal(t *testing.T) {
	for _, tt := range []struct {
		term  string
		ready string // what stderr shows once byok reads
		input string // what the terminal sends
		hint  string
	}{
		{"xterm-256color", "\x1b[?2004h",
			"\x1b[200~" + strings.ReplaceAll(doctorErrorPage, "\n", "\r") + "\x1b[201~\recho LEFTOVER\r", "then press Enter:"},
		{"dumb", "press Enter",
			strings.ReplaceAll(doctorErrorPage, "\n", "\r") + "echo LEFTOVER\r", "twice if byok keeps waiting"},
	} {
		t.Run(tt.term, func(t *testing.T) {
			master, slave := ptytest.Open(t)
			go func() { _, _ = io.Copy(io.Discard, master) }() // the screen
			f, stdout, _ := doctorFactory(t, "")
			stderr := newSyncBuffer()
			f.IO.In, f.IO.ErrOut = slave, stderr
			f.IO.SetStdinTTY(true)
			f.IO.SetStderrTTY(true) // 80 columns: the echo wraps at words
			env := f.Getenv
			f.Getenv = func(k string) string {
				if k == "TERM" {
					return tt.term
				}
				return env(k)
			}
			done := make(chan int, 1)
			go func() { done <- runCmd(t, f, "doctor", "--name", "Acme") }()
			if !stderr.waitFor(tt.ready, done) {
				t.Fatalf("byok ended before reading the paste:\n%s", stderr)
			}
			if _, err := master.WriteString(tt.input); err != nil {
				t.Fatal(err)
			}
			if code := <-done; code != 0 {
				t.Fatalf("exit %d, want 0\nstderr %q\nstdout %s", code, stderr, stdout)
			}
			if !strings.Contains(strings.Join(strings.Fields(stderr.String()), " "), tt.hint) {
				t.Errorf("the prompt does not say how to end the paste (%q):\n%q", tt.hint, stderr)
			}
			if tt.term != "dumb" {
				// Echoed by byok in raw mode: wrapped at 80 at word
				// boundaries, never by the terminal inside a word.
				for _, l := range strings.Split(strings.ReplaceAll(stderr.String(), "\r", ""), "\n") {
					if w := text.Width(l); w > 80 && strings.Contains(strings.TrimSpace(l), " ") {
						t.Errorf("echo line %d wide: %q", w, l)
					}
				}
				if !strings.Contains(stderr.String(), "'https://app.hiveku.com/api/oauth/microsoft/callback/'") {
					t.Errorf("echo cut a word:\n%s", stderr)
				}
			}
			out := stdout.String()
			for _, want := range []string{"AADSTS50011", "redirect-uri", "callback/"} {
				if !strings.Contains(out, want) {
					t.Errorf("diagnosis lacks %q:\n%s", want, out)
				}
			}
			// The shell, reading next, sees only what is typed after byok.
			if _, err := master.WriteString("next\r"); err != nil {
				t.Fatal(err)
			}
			line, err := bufio.NewReader(slave).ReadString('\n')
			if err != nil || strings.TrimSpace(line) != "next" {
				t.Errorf("the shell would read %q, %v", line, err)
			}
		})
	}
}

// TestDemoStrayKeysDoNotAnswer: an Enter pressed while the demo's checks
// run is neither echoed into the checklist nor taken as the answer to
// the consent question, and the terminal's echo is back afterwards.
func TestDemoStrayKeysDoNotAnswer(t *testing.T) {
	master, slave := ptytest.Open(t)
	go func() { _, _ = io.Copy(io.Discard, master) }()
	f, _, stderr := newTestFactory(t)
	f.IO.In = slave
	f.IO.SetStdinTTY(true)
	f.IO.SetStderrTTY(true)
	pending := func(ms int) bool {
		fds := []unix.PollFd{{Fd: int32(slave.Fd()), Events: unix.POLLIN}}
		n, err := unix.Poll(fds, ms)
		return err == nil && n > 0
	}
	echo := func() bool {
		tio, err := unix.IoctlGetTermios(int(slave.Fd()), unix.TCGETS)
		return err == nil && tio.Lflag&unix.ECHO != 0
	}
	opts := &DemoOptions{
		IO: f.IO, Now: f.Now, Getenv: f.Getenv, Scenario: "happy", NoColor: true,
		wizard: func(ctx context.Context, o ui.WizardOptions) (flow.Config, error) {
			return o.Draft.Config, o.Store.SaveConfig(ctx, o.Draft.Config, false)
		},
		confirm: func(context.Context, string, bool) (bool, error) {
			if echo() {
				t.Error("echo on while the checks run")
			}
			if pending(0) {
				t.Error("the Enter typed during the checks is there for the consent question")
			}
			return true, nil
		},
	}
	// The presenter presses Enter as the checks start: the wizard is done
	// and the line arrives before the consent question is asked.
	opts.sleep = func(ctx context.Context, d time.Duration) error { return nil }
	wizard := opts.wizard
	opts.wizard = func(ctx context.Context, o ui.WizardOptions) (flow.Config, error) {
		c, err := wizard(ctx, o)
		if _, werr := master.WriteString("\r"); werr != nil {
			t.Fatal(werr)
		}
		return c, err
	}
	if err := demoRun(context.Background(), opts); err != nil {
		t.Fatalf("demo: %v\n%s", err, stderr)
	}
	if !echo() {
		t.Error("echo left off after the demo")
	}
}
