package ui

import (
	"context"
	"errors"
	"io"
	"testing"

	"github.com/hiveku/byok/ui/prompt"
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

// TestLineReaderReadsNoFurther: once an answer is read, the next line is
// still there for whatever reads the input next (the wizard's own
// prompts after cmd's first question): nothing is read ahead.
func TestLineReaderReadsNoFurther(t *testing.T) {
	pr, pw := io.Pipe()
	go func() { _, _ = io.WriteString(pw, "1\nnext\n"); pw.Close() }()
	l := &lineReader{r: pr, ctx: context.Background()}
	buf := make([]byte, 64)
	if n, err := l.Read(buf); err != nil || string(buf[:n]) != "1\n" {
		t.Fatalf("Read = %q, %v", buf[:n], err)
	}
	if got, err := prompt.ReadLine(context.Background(), pr); err != nil || got != "next" {
		t.Fatalf("the next reader got %q, %v; want \"next\"", got, err)
	}
}
