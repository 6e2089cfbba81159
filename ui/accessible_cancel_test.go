package ui

import (
	"context"
	"errors"
	"io"
	"testing"
)

// TestLineReaderCancel: on a terminal, a read waiting for the person ends
// when ctx is cancelled (Ctrl+C in cooked mode), instead of after Enter.
func TestLineReaderCancel(t *testing.T) {
	pr, pw := io.Pipe() // nobody types: a read would block forever
	defer pw.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	l := &lineReader{r: pr, ctx: ctx}
	n, err := l.Read(make([]byte, 16))
	if n != 0 || !errors.Is(err, context.Canceled) {
		t.Fatalf("Read = %d, %v; want 0, context.Canceled", n, err)
	}
}

// TestLineReaderPumpKeepsLines: with ctx set, answers still come one line
// per Read, in order, and EOF is seen.
func TestLineReaderPumpKeepsLines(t *testing.T) {
	pr, pw := io.Pipe()
	go func() { _, _ = io.WriteString(pw, "first\nsecond\n"); pw.Close() }()
	l := &lineReader{r: pr, ctx: context.Background()}
	buf := make([]byte, 64)
	for _, want := range []string{"first\n", "second\n"} {
		n, err := l.Read(buf)
		if err != nil || string(buf[:n]) != want {
			t.Fatalf("Read = %q, %v; want %q", buf[:n], err, want)
		}
	}
	if _, err := l.Read(buf); !errors.Is(err, io.EOF) || !l.eof {
		t.Fatalf("after the last line: err %v, eof %v; want io.EOF", err, l.eof)
	}
}
