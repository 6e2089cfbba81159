package cmd

import (
	"context"
	"io"
	"sync"
	"time"
)

// liveLine is the demo's live checklist on a terminal: a spinner beside
// the running check, so a presenter can follow the checks as they run,
// and under it the key hint (ctrl+c quit). Every other write first clears
// the two lines, and they are drawn only at the start of an empty line
// (never over a prompt waiting for input) and not while paused (a
// question on the other stream).
// Without a terminal the demo writes plain lines and no liveLine exists,
// so tests and goldens see no spinner frame.
type liveLine struct {
	mu     sync.Mutex
	w      io.Writer
	label  string // running check, "" when none
	frame  int
	shown  bool // the spinner's line and the hint are on screen
	atBOL  bool // the last write ended a line
	paused bool
}

// liveHint is the key hint under the running check.
const liveHint = "ctrl+c quit"

// spinnerFrames are the spinner's frames (bubbles' Line spinner, as the
// wizard's checklist uses).
var spinnerFrames = []string{"|", "/", "-", "\\"}

func newLiveLine(w io.Writer) *liveLine { return &liveLine{w: w, atBOL: true} }

// Write clears the spinner, then writes p.
func (l *liveLine) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.clear()
	n, err := l.w.Write(p)
	if len(p) > 0 {
		l.atBOL = p[len(p)-1] == '\n'
	}
	return n, err
}

// clear erases the hint's line and the spinner's, leaving the cursor at
// the start of the spinner's.
func (l *liveLine) clear() {
	if l.shown {
		_, _ = io.WriteString(l.w, "\r\x1b[2K\x1b[1A\x1b[2K")
		l.shown = false
	}
}

// Start shows label as the running check from the next tick on.
func (l *liveLine) Start(label string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.label = label
}

// Done removes the spinner (the check's line follows).
func (l *liveLine) Done() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.label = ""
	l.clear()
}

// Pause removes the spinner until Resume (a question on stderr).
func (l *liveLine) Pause() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.paused = true
	l.clear()
}

// Resume lets the spinner be drawn again.
func (l *liveLine) Resume() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.paused = false
}

// tick draws the next frame when a check runs and the cursor is at the
// start of an empty line.
func (l *liveLine) tick() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.label == "" || l.paused || !l.atBOL {
		return
	}
	l.clear()
	l.frame = (l.frame + 1) % len(spinnerFrames)
	_, _ = io.WriteString(l.w, "\r\x1b[2K  "+spinnerFrames[l.frame]+" "+l.label+" …\r\n  "+liveHint)
	l.shown = true
}

// run ticks every interval until ctx ends, then clears the line.
func (l *liveLine) run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			l.Done()
			return
		case <-t.C:
			l.tick()
		}
	}
}
