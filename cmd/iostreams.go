package cmd

import (
	"bytes"
	"io"
	"os"

	"github.com/mattn/go-isatty"
)

// IOStreams is the only way commands reach stdin, stdout and stderr, and
// the one place TTY and colour decisions are made (after cli/cli).
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	stdinTTY, stdoutTTY, stderrTTY bool
	neverPrompt                    bool
	colorDisabled                  bool
}

// System returns streams on the process's stdio with TTYs detected.
func System() *IOStreams {
	return &IOStreams{
		In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr,
		stdinTTY:      isTTY(os.Stdin),
		stdoutTTY:     isTTY(os.Stdout),
		stderrTTY:     isTTY(os.Stderr),
		colorDisabled: os.Getenv("NO_COLOR") != "",
	}
}

func isTTY(f *os.File) bool {
	return isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
}

// Test returns streams on in-memory buffers (no TTY) and the buffers.
func Test() (*IOStreams, *bytes.Buffer, *bytes.Buffer, *bytes.Buffer) {
	in, out, errOut := &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: in, Out: out, ErrOut: errOut, colorDisabled: true}, in, out, errOut
}

// SetStdinTTY, SetStdoutTTY and SetStderrTTY override detection in tests.
func (s *IOStreams) SetStdinTTY(v bool)  { s.stdinTTY = v }
func (s *IOStreams) SetStdoutTTY(v bool) { s.stdoutTTY = v }
func (s *IOStreams) SetStderrTTY(v bool) { s.stderrTTY = v }

// SetNeverPrompt forbids prompts (--no-input).
func (s *IOStreams) SetNeverPrompt(v bool) { s.neverPrompt = v }

// SetColorDisabled turns colour off (--no-color, NO_COLOR).
func (s *IOStreams) SetColorDisabled(v bool) { s.colorDisabled = v }

// IsStdinTTY reports whether stdin is a terminal.
func (s *IOStreams) IsStdinTTY() bool { return s.stdinTTY }

// IsStdoutTTY reports whether stdout is a terminal.
func (s *IOStreams) IsStdoutTTY() bool { return s.stdoutTTY }

// IsStderrTTY reports whether stderr is a terminal.
func (s *IOStreams) IsStderrTTY() bool { return s.stderrTTY }

// CanPrompt reports whether an interactive prompt may be shown: stdin and
// stderr (where the TUI draws) are terminals and --no-input was not given.
func (s *IOStreams) CanPrompt() bool { return !s.neverPrompt && s.stdinTTY && s.stderrTTY }

// ColorEnabled reports whether output may be coloured.
func (s *IOStreams) ColorEnabled() bool { return !s.colorDisabled && s.stderrTTY }
