package cmd

import (
	"strings"
	"testing"
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
	if got := b.String(); got != "\r\x1b[2K  / consent …" {
		t.Fatalf("frame = %q", got)
	}
	b.Reset()
	_, _ = l.Write([]byte("Paste the address: "))
	if got := b.String(); got != "\r\x1b[2KPaste the address: " {
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
	if got := b.String(); !strings.HasSuffix(got, "consent …\r\x1b[2K") {
		t.Fatalf("Done did not clear the spinner: %q", got)
	}
}
