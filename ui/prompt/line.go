package prompt

import (
	"context"
	"fmt"
	"io"

	"golang.org/x/term"
)

// ReadLine reads one typed line from in, without its line ending, and
// takes nothing after it: the next question reads the next answer, from
// a terminal or a pipe alike. A last line without a newline counts. It
// returns io.EOF when input ends before any answer, and ctx.Err() as soon
// as ctx ends (Ctrl+C in cooked mode), even while a read is waiting.
func ReadLine(ctx context.Context, in io.Reader) (string, error) {
	return readAnswer(ctx, in)
}

// ReadSecret reads one line that is never shown. On a terminal it turns
// the echo off for the answer and back on after it; the terminal stays in
// cooked mode (Ctrl+C still interrupts, line editing works) and nothing
// is written to it, not even an escape sequence, so a screen reader reads
// only the caller's prompt. Elsewhere it reads a line as ReadLine does (a
// pipe echoes nothing). The caller ends the line after the answer: the
// terminal does not echo Enter without echo.
//
// It returns io.EOF when input ends before any answer, and ctx.Err()
// when ctx ends first; the echo is then put back at once.
func ReadSecret(ctx context.Context, in io.Reader) (string, error) {
	fd, ok := terminalFd(in)
	if !ok {
		return readAnswer(ctx, in)
	}
	old, err := term.GetState(fd)
	if err != nil {
		return "", fmt.Errorf("read terminal state: %w", err)
	}
	s, err := wait(ctx, func() (string, error) {
		b, err := term.ReadPassword(fd)
		return string(b), err
	})
	if ctx.Err() != nil {
		// The abandoned read would restore the echo only after the
		// next Enter; byok is leaving now.
		_ = term.Restore(fd, old)
	}
	return s, err
}

// terminalFd returns the file descriptor of in when it is a terminal: an
// *os.File, or a reader wrapping one that says so with an Fd method
// (ui.AccessibleInput's).
func terminalFd(in io.Reader) (int, bool) {
	f, ok := in.(interface{ Fd() uintptr })
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return 0, false
	}
	return int(f.Fd()), true
}
