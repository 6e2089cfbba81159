package cmd

import (
	"bytes"
	"io"
	"os"

	"github.com/hiveku/byok/flow/sanitize"
	"github.com/hiveku/byok/ui/text"
	"github.com/mattn/go-isatty"
	"golang.org/x/term"
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
	colorForced                    bool
	dumb                           bool
	// width is the terminal width override (0: detect, else 80).
	width int
	// jsonExport holds --json FIELDS, --jq and --template (exporter.go).
	jsonExport *jsonExporter
}

// System returns streams on the process's stdio with TTYs detected.
// NO_COLOR is applied by the root command through Factory.Getenv.
func System() *IOStreams {
	return &IOStreams{
		In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr,
		stdinTTY:  isTTY(os.Stdin),
		stdoutTTY: isTTY(os.Stdout),
		stderrTTY: isTTY(os.Stderr),
	}
}

func isTTY(f *os.File) bool {
	return isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
}

// Test returns streams on in-memory buffers (no TTY, no colour, 80
// columns) and the buffers.
func Test() (*IOStreams, *bytes.Buffer, *bytes.Buffer, *bytes.Buffer) {
	in, out, errOut := &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: in, Out: out, ErrOut: errOut, colorDisabled: true, width: 80}, in, out, errOut
}

// SetStdinTTY overrides stdin terminal detection (tests).
func (s *IOStreams) SetStdinTTY(v bool) { s.stdinTTY = v }

// SetStdoutTTY overrides stdout terminal detection (tests).
func (s *IOStreams) SetStdoutTTY(v bool) { s.stdoutTTY = v }

// SetStderrTTY overrides stderr terminal detection (tests).
func (s *IOStreams) SetStderrTTY(v bool) { s.stderrTTY = v }

// SetNeverPrompt forbids prompts (--no-input).
func (s *IOStreams) SetNeverPrompt(v bool) { s.neverPrompt = v }

// SetColorDisabled turns colour off (--no-color, NO_COLOR).
func (s *IOStreams) SetColorDisabled(v bool) { s.colorDisabled = v }

// SetColorForced turns colour on even when the output is not a terminal
// (CLICOLOR_FORCE); SetColorDisabled still wins (--no-color).
func (s *IOStreams) SetColorForced(v bool) { s.colorForced = v }

// SetDumbTerminal records TERM=dumb: prompts are plain lines, since the
// terminal can't redraw.
func (s *IOStreams) SetDumbTerminal(v bool) { s.dumb = v }

// DumbTerminal reports TERM=dumb.
func (s *IOStreams) DumbTerminal() bool { return s.dumb }

// SetWidth fixes the terminal width (tests); 0 means detect.
func (s *IOStreams) SetWidth(w int) { s.width = w }

// IsStdinTTY reports whether stdin is a terminal.
func (s *IOStreams) IsStdinTTY() bool { return s.stdinTTY }

// IsStdoutTTY reports whether stdout is a terminal.
func (s *IOStreams) IsStdoutTTY() bool { return s.stdoutTTY }

// IsStderrTTY reports whether stderr is a terminal.
func (s *IOStreams) IsStderrTTY() bool { return s.stderrTTY }

// CanPrompt reports whether an interactive prompt may be shown: stdin and
// stderr (where the TUI draws) are terminals and --no-input was not given.
func (s *IOStreams) CanPrompt() bool { return !s.neverPrompt && s.stdinTTY && s.stderrTTY }

// ColorEnabled reports whether stderr (prompts, the TUI, messages) may be
// coloured.
func (s *IOStreams) ColorEnabled() bool { return !s.colorDisabled && (s.colorForced || s.stderrTTY) }

// ColorDisabled reports whether colour was turned off (--no-color,
// NO_COLOR), whatever the terminals.
func (s *IOStreams) ColorDisabled() bool { return s.colorDisabled }

// OutColorEnabled reports whether stdout (list and show) may be coloured.
func (s *IOStreams) OutColorEnabled() bool { return !s.colorDisabled && (s.colorForced || s.stdoutTTY) }

// SanitizeOut puts the output sanitizer (sanitize.Writer) on stdout
// and returns the function that flushes it and puts the original stream
// back: whatever a renderer prints there (tables, show, verify's
// checklist, doctor, audit, import messages, JSON) reaches the terminal
// or pipe with escape sequences, bidi and zero-width characters shown
// escaped, JSON kept valid, and byok's own colours (SGR) kept only when
// colour is on for stdout. Run wraps every command in it.
func (s *IOStreams) SanitizeOut() (restore func()) {
	if _, ok := s.Out.(*sanitize.Writer); ok {
		return func() {}
	}
	orig := s.Out
	sw := sanitize.NewWriter(orig, s.OutColorEnabled)
	s.Out = sw
	return func() {
		_ = sw.Flush()
		s.Out = orig
	}
}

// TerminalWidth returns the width of stdout's terminal, or 80 when it is
// not a terminal (so piped tables keep the same layout).
func (s *IOStreams) TerminalWidth() int {
	if s.width > 0 {
		return s.width
	}
	out := s.Out
	if sw, ok := out.(*sanitize.Writer); ok {
		out = sw.W
	}
	if f, ok := out.(*os.File); ok && s.stdoutTTY {
		if w, _, err := term.GetSize(int(f.Fd())); err == nil && w > 0 {
			return w
		}
	}
	return 80
}

// TerminalSize returns the width and height of stderr's terminal (where
// the TUI draws), or 80×24.
func (s *IOStreams) TerminalSize() (int, int) {
	if f, ok := s.ErrOut.(*os.File); ok && s.stderrTTY {
		if w, h, err := term.GetSize(int(f.Fd())); err == nil && w > 0 && h > 0 {
			return w, h
		}
	}
	return 80, 24
}

// EchoWidth is the width a paste's echo on stderr wraps at
// (prompt.PasteOptions.Width): the terminal's, or 0 when stderr is not
// a terminal.
func (s *IOStreams) EchoWidth() int {
	if !s.stderrTTY {
		return 0
	}
	w, _ := s.TerminalSize()
	return w
}

// Text returns a writer for human text on stdout. On a terminal it wraps
// the text at word boundaries to TerminalWidth (ui/text.Writer), never
// inside a URL, GUID or AADSTS code; piped (a file, grep, a log) the
// lines stay whole. JSON, tab-separated tables and scripts go to Out
// itself. Use one Text writer for a command's whole output.
func (s *IOStreams) Text() io.Writer {
	if !s.stdoutTTY {
		return s.Out
	}
	return text.NewWriter(s.Out, s.TerminalWidth())
}

// TextWidth is the width human text on stdout is laid out for: the
// terminal's, or no limit when stdout is not a terminal (lines stay
// whole for grep and logs).
func (s *IOStreams) TextWidth() int {
	if !s.stdoutTTY {
		return text.Unlimited
	}
	return s.TerminalWidth()
}

// TextErr is Text for messages on stderr, wrapped to stderr's width.
func (s *IOStreams) TextErr() io.Writer {
	if !s.stderrTTY {
		return s.ErrOut
	}
	return text.NewWriter(s.ErrOut, s.ErrWidth())
}

// ErrWidth is the width text on stderr is laid out for: stderr's
// terminal (or the width set for tests), 80 when it is not a terminal.
func (s *IOStreams) ErrWidth() int {
	if s.width > 0 {
		return s.width
	}
	w, _ := s.TerminalSize()
	return w
}
