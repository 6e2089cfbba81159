package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/ui/components/checklist"
	"golang.org/x/term"
)

// lineReader hands out at most one line per Read. huh's accessible
// prompts wrap the reader in a fresh bufio.Scanner for every question;
// without this the first scanner would swallow every later answer.
//
// With ctx set (on a terminal), bytes are read by a background goroutine
// so that a Read waiting for the person returns as soon as ctx is
// cancelled: in cooked mode Ctrl+C cancels ctx, but a blocked read on the
// terminal would otherwise wait for Enter.
type lineReader struct {
	r   io.Reader
	ctx context.Context
	eof bool
	one [1]byte

	pump  sync.Once
	bytes chan byteOrErr
}

type byteOrErr struct {
	b   byte
	ok  bool
	err error
}

// next returns the next byte (ok) and/or the reader's error.
func (l *lineReader) next() (byte, bool, error) {
	if l.ctx == nil {
		k, err := l.r.Read(l.one[:])
		return l.one[0], k == 1, err
	}
	l.pump.Do(func() {
		l.bytes = make(chan byteOrErr)
		go func() {
			var one [1]byte
			for {
				k, err := l.r.Read(one[:])
				l.bytes <- byteOrErr{one[0], k == 1, err}
				if err != nil {
					return
				}
			}
		}()
	})
	select {
	case r := <-l.bytes:
		return r.b, r.ok, r.err
	case <-l.ctx.Done():
		return 0, false, l.ctx.Err()
	}
}

// Read reads byte by byte up to and including the next newline.
func (l *lineReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		b, ok, err := l.next()
		if ok {
			p[n] = b
			n++
			if b == '\n' {
				return n, nil
			}
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				l.eof = true
			}
			if n > 0 {
				return n, nil
			}
			return 0, err
		}
	}
	return n, nil
}

// readLine reads one line (without its newline).
func (l *lineReader) readLine() (string, error) {
	var b strings.Builder
	buf := make([]byte, 256)
	for {
		n, err := l.Read(buf)
		b.Write(buf[:n])
		if strings.HasSuffix(b.String(), "\n") {
			return strings.TrimRight(b.String(), "\r\n"), nil
		}
		if err != nil {
			if b.Len() > 0 && errors.Is(err, io.EOF) {
				return b.String(), nil
			}
			return b.String(), err
		}
	}
}

// AccessibleInput wraps r for huh's accessible prompts: one line per Read
// (so that answers typed or piped ahead are not swallowed), and on a
// terminal a pending read ends when ctx is cancelled, so Ctrl+C quits at
// once instead of after Enter. Commands use it for their own prompts.
func AccessibleInput(ctx context.Context, r io.Reader) io.Reader {
	lr := &lineReader{r: r}
	if f, ok := r.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		lr.ctx = ctx
		return ttyLineReader{lineReader: lr, fd: f.Fd()}
	}
	return lr
}

// accessibleLines returns the lineReader inside what AccessibleInput made.
func accessibleLines(r io.Reader) *lineReader {
	if t, ok := r.(ttyLineReader); ok {
		return t.lineReader
	}
	return r.(*lineReader)
}

// ttyLineReader is a lineReader on a terminal: huh reads passwords from
// its file descriptor, without echo.
type ttyLineReader struct {
	*lineReader
	fd uintptr
}

// Fd returns the terminal's file descriptor.
func (t ttyLineReader) Fd() uintptr { return t.fd }

// inputIsTTY reports whether o.In is a terminal.
func (w *Wizard) inputIsTTY() bool {
	f, ok := w.o.In.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// runAccessible asks every question as a plain prompt on o.In/o.Out
// (huh's accessible mode): no alternate screen, no cursor movement. The
// same screens, validators and store calls as the TUI run in order.
func (w *Wizard) runAccessible(ctx context.Context) (flow.Config, error) {
	in := AccessibleInput(ctx, w.o.In)
	lr := accessibleLines(in)
	// Plain prompts: no escape sequence at all reaches a screen reader
	// (lipgloss v2 styles always render full SGR; this drops them).
	out := io.Writer(&colorprofile.Writer{Forward: w.o.Out, Profile: colorprofile.NoTTY})
	w.build() // the secret field depends on w.accessible and the input
	var lastHeader string
	for range 1000 {
		if ctx.Err() != nil {
			w.aborted = true
			return w.result, ErrAborted
		}
		// The header and help are read once per step, not on every retry.
		if header := plain(w.header()); header != lastHeader || w.screen == scrDone {
			lastHeader = header
			fmt.Fprintln(out, header)
			if h := strings.TrimSpace(w.o.Help(w.screen.step())); h != "" && w.screen != scrDone && w.screen != scrBefore {
				fmt.Fprintln(out, h)
			}
		}
		if intro := w.intro(); intro != "" && w.screen != scrVerifying {
			fmt.Fprintln(out, plain(intro))
		}
		if msgs := w.messages(); msgs != "" {
			fmt.Fprintln(out, plain(msgs))
		}
		switch w.screen {
		case scrDone:
			if w.aborted {
				return w.result, ErrAborted
			}
			return w.result, nil
		case scrVerifying:
			w.verifyAccessible(ctx, lr)
			continue
		}
		before, atEOF := w.screen, lr.eof
		if w.form == nil {
			return w.result, fmt.Errorf("run wizard: no question on screen %d", w.screen)
		}
		if err := w.form.WithAccessible(true).WithInput(in).WithOutput(out).RunWithContext(ctx); err != nil {
			return w.result, fmt.Errorf("ask %s: %w", w.screen.step().Title(), err)
		}
		w.runSync(w.submit())
		if atEOF && w.screen == before && w.errMsg != "" {
			fmt.Fprintln(out, plain(w.messages()))
			return w.result, fmt.Errorf("read answers: input ended before step %d (%s) was answered: %w",
				w.screen.step().Number(), w.screen.step().Title(), io.ErrUnexpectedEOF)
		}
		fmt.Fprintln(out)
	}
	return w.result, fmt.Errorf("run wizard: too many attempts")
}

// runSync runs cmd and feeds its msgs back into Update until none are
// left. In accessible mode the wizard only returns its own store
// commands (no form, spinner or tick commands), so this cannot hang.
func (w *Wizard) runSync(cmd tea.Cmd) {
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case nameCheckedMsg, draftSavedMsg, savedMsg:
			_, next := w.Update(msg)
			queue = append(queue, next)
		}
	}
}

// verifyAccessible runs the verification with plain-text progress.
func (w *Wizard) verifyAccessible(ctx context.Context, lr *lineReader) {
	rep := &textReporter{out: w.o.Out, in: lr}
	run, err := w.o.Verify(ctx, w.result, rep)
	for _, c := range rep.checks {
		w.checks.Finish(c)
	}
	if err != nil {
		w.verifyErr = err
	} else {
		w.run = &run
	}
	w.screen = scrDone
	w.form = nil
}

// textReporter is the flow.Reporter of accessible mode: one line per
// event, and the paste read as one line of input.
type textReporter struct {
	out    io.Writer
	in     *lineReader
	checks []flow.Check
}

var _ flow.Reporter = (*textReporter)(nil)

// Started implements flow.Reporter.
func (r *textReporter) Started(id string) { fmt.Fprintf(r.out, "checking %s…\n", id) }

// Finished implements flow.Reporter.
func (r *textReporter) Finished(c flow.Check) {
	r.checks = append(r.checks, c)
	fmt.Fprintln(r.out, checklist.Line(c))
}

// ConsentURL implements flow.Reporter.
func (r *textReporter) ConsentURL(url string, opened bool) {
	if opened {
		fmt.Fprintln(r.out, "Your browser shows Microsoft's consent screen. If it did not open, visit:")
	} else {
		fmt.Fprintln(r.out, "Open this address to see Microsoft's consent screen:")
	}
	fmt.Fprintln(r.out, url)
}

// Paste implements flow.Reporter: one line of input.
func (r *textReporter) Paste(ctx context.Context) (string, error) {
	fmt.Fprint(r.out, "Paste the address your browser landed on (or the error text), then press Enter: ")
	s, err := r.in.readLine()
	fmt.Fprintln(r.out)
	if err != nil && strings.TrimSpace(s) == "" {
		return "", fmt.Errorf("read pasted address: %w", err)
	}
	return strings.TrimSpace(s), nil
}
