// Package prompt reads answers from a person at a terminal outside a
// full-screen UI: one reader for a typed line or a whole multi-line
// paste (ReadPaste).
package prompt

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/hiveku/byok/flow/sanitize"
	"github.com/hiveku/byok/ui/text"
	"golang.org/x/term"
)

// ErrInterrupted is returned when the person presses Ctrl+C while byok
// reads a paste in raw mode (no signal is raised then).
var ErrInterrupted = errors.New("interrupted")

// DefaultPasteLimit bounds what ReadPaste keeps: a Microsoft error page
// or an address is a few kilobytes.
const DefaultPasteLimit = 1 << 20

// PasteMode is how ReadPaste reads an answer.
type PasteMode int

const (
	// PasteAll reads standard input to its end: it is not a terminal.
	PasteAll PasteMode = iota
	// PasteLines reads lines until the text is complete (PasteOptions.
	// Complete), an empty line ends it, or end of input: a terminal byok
	// can't switch to raw mode, or TERM=dumb.
	PasteLines
	// PasteBracketed reads a terminal in raw mode with bracketed paste
	// on: a paste arrives whole, newlines included, and Enter ends the
	// answer.
	PasteBracketed
)

// Hint is what a prompt says about finishing the answer in mode m.
func (m PasteMode) Hint() string {
	switch m {
	case PasteBracketed:
		return "then press Enter"
	case PasteLines:
		return "then press Enter (twice if byok keeps waiting)"
	}
	return ""
}

// PasteOptions say where ReadPaste reads from and what it may assume.
type PasteOptions struct {
	// TTY is true when the input is a terminal (IOStreams.IsStdinTTY);
	// false reads to end of input.
	TTY bool
	// Term is $TERM; "dumb" reads lines (PasteLines).
	Term string
	// Echo receives the typed and pasted text in raw mode (the terminal
	// no longer echoes it), sanitized; nil echoes nothing.
	Echo io.Writer
	// Complete reports whether the text so far is a whole answer. In
	// PasteLines the answer then ends with its line; before that, an empty
	// line inside a pasted page does not end it (a Microsoft error page has
	// blank lines) but two in a row do. Nil: the first empty line after
	// some text ends the answer.
	Complete func(text string) bool
	// Mask echoes nothing of the answer (a secret value).
	Mask bool
	// Limit bounds the answer in bytes (DefaultPasteLimit when 0); the
	// rest is read and dropped.
	Limit int
	// Width is the terminal's width in cells: the echo of a paste wraps
	// at word boundaries to it, as byok's other text does. 0 leaves the
	// wrapping to the terminal, which cuts lines mid-word. The echo is
	// assumed to start at the beginning of a line.
	Width int
}

// Mode returns how ReadPaste reads from in with o.
func (o PasteOptions) Mode(in io.Reader) PasteMode {
	if !o.TTY {
		return PasteAll
	}
	if _, ok := rawFd(in); ok && o.Term != "dumb" {
		return PasteBracketed
	}
	return PasteLines
}

func (o PasteOptions) limit() int {
	if o.Limit > 0 {
		return o.Limit
	}
	return DefaultPasteLimit
}

// rawFd returns in's file descriptor when it is a terminal byok can put
// in raw mode.
func rawFd(in io.Reader) (int, bool) {
	f, ok := in.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return 0, false
	}
	return int(f.Fd()), true
}

// ReadPaste reads one answer from in: a typed line or a whole paste,
// newlines included, as o.Mode(in) says. Nothing of a paste is left
// behind for the shell: on a terminal, input still pending when the
// answer ends is discarded. Ctrl+C returns ErrInterrupted in raw mode; a
// cancelled ctx ends the wait with ctx.Err().
func ReadPaste(ctx context.Context, in io.Reader, o PasteOptions) (string, error) {
	switch o.Mode(in) {
	case PasteBracketed:
		fd, _ := rawFd(in)
		return readRaw(ctx, fd, in, o)
	case PasteLines:
		s, err := readLines(ctx, in, o)
		if fd, ok := rawFd(in); ok {
			flushInput(fd)
		}
		return s, err
	}
	return readAll(ctx, in, o)
}

// result is a reader goroutine's answer.
type result struct {
	s   string
	err error
}

// wait returns what read produces, or ctx.Err() when ctx ends first.
func wait(ctx context.Context, read func() (string, error)) (string, error) {
	done := make(chan result, 1)
	go func() {
		s, err := read()
		done <- result{s, err}
	}()
	select {
	case r := <-done:
		return r.s, r.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

func readAll(ctx context.Context, in io.Reader, o PasteOptions) (string, error) {
	return wait(ctx, func() (string, error) {
		b, err := io.ReadAll(io.LimitReader(in, int64(o.limit())))
		if err != nil {
			return "", fmt.Errorf("read standard input: %w", err)
		}
		_, _ = io.Copy(io.Discard, in) // beyond the limit
		return string(b), nil
	})
}

// readLines reads lines until an empty line ends a complete answer, or
// end of input. It reads byte by byte so that nothing after the answer
// is taken from in.
func readLines(ctx context.Context, in io.Reader, o PasteOptions) (string, error) {
	return wait(ctx, func() (string, error) {
		lr := &byteReader{r: in}
		var b strings.Builder
		prevEmpty := false
		for {
			line, err := lr.line()
			if err != nil && err != io.EOF {
				return "", fmt.Errorf("read standard input: %w", err)
			}
			text := b.String()
			empty := strings.TrimSpace(line) == ""
			if empty && strings.TrimSpace(text) != "" && (o.Complete == nil || prevEmpty) {
				return text, nil
			}
			if err == io.EOF && line == "" {
				return text, nil
			}
			if b.Len()+len(line) <= o.limit() {
				b.WriteString(line)
				b.WriteByte('\n')
			}
			if err == io.EOF || (!empty && o.Complete != nil && o.Complete(b.String())) {
				return b.String(), nil
			}
			prevEmpty = empty
		}
	})
}

// byteReader reads one byte at a time, with one byte of push-back for
// the byte after a bare CR.
type byteReader struct {
	r    io.Reader
	back []byte
}

func (br *byteReader) byte() (byte, error) {
	if len(br.back) > 0 {
		c := br.back[0]
		br.back = br.back[:0]
		return c, nil
	}
	var p [1]byte
	for {
		n, err := br.r.Read(p[:])
		if n == 1 {
			return p[0], nil
		}
		if err != nil {
			return 0, err
		}
	}
}

// line reads up to and without a newline (LF, CR or CRLF).
func (br *byteReader) line() (string, error) {
	var b []byte
	for {
		c, err := br.byte()
		if err != nil {
			return string(b), err
		}
		switch c {
		case '\n':
			return string(b), nil
		case '\r':
			if next, err := br.byte(); err == nil && next != '\n' {
				br.back = append(br.back, next)
			}
			return string(b), nil
		}
		b = append(b, c)
	}
}

// Bracketed paste control sequences (xterm; tmux passes them on).
const (
	pasteOn    = "\x1b[?2004h"
	pasteOff   = "\x1b[?2004l"
	pasteStart = "\x1b[200~"
	pasteEnd   = "\x1b[201~"
)

// readRaw reads a terminal in raw mode with bracketed paste on.
func readRaw(ctx context.Context, fd int, in io.Reader, o PasteOptions) (string, error) {
	old, err := term.MakeRaw(fd)
	if err != nil {
		return readLines(ctx, in, o)
	}
	// Raw mode also turns off the terminal's output processing: a
	// newline must be echoed as CR LF.
	raw := io.Writer(crlfWriter{io.Discard})
	if o.Echo != nil {
		raw = crlfWriter{o.Echo}
	}
	echo := raw
	if o.Width > 0 {
		echo = text.NewWriter(raw, o.Width)
	}
	fmt.Fprint(raw, pasteOn)
	defer func() {
		fmt.Fprint(raw, pasteOff)
		drain(fd)
		flushInput(fd)
		_ = term.Restore(fd, old)
	}()
	d := &decoder{echo: echo, raw: raw, limit: o.limit(), mask: o.Mask}
	buf := make([]byte, 4096)
	for {
		n, err := readCtx(ctx, fd, in, buf)
		if n > 0 {
			if done, derr := d.feed(buf[:n]); done || derr != nil {
				fmt.Fprint(raw, "\n")
				return d.text(), derr
			}
		}
		if err != nil {
			fmt.Fprint(raw, "\n")
			if err == io.EOF {
				return d.text(), nil
			}
			return "", err
		}
	}
}

// crlfWriter writes each newline as CR LF.
type crlfWriter struct{ w io.Writer }

func (c crlfWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(c.w, strings.ReplaceAll(string(p), "\n", "\r\n")); err != nil {
		return 0, err
	}
	return len(p), nil
}

// decoder turns raw terminal input into the answer.
type decoder struct {
	echo    io.Writer // the answer's text, newlines as \n
	raw     io.Writer // control output (backspace); nil: echo
	limit   int
	b       strings.Builder
	esc     []byte // an escape sequence being read
	inPaste bool
	pasted  bool   // a bracketed paste was received
	lastCR  bool   // the previous pasted byte was CR (CRLF is one newline)
	pend    []byte // added bytes not yet echoed (an incomplete UTF-8 sequence)
	mask    bool   // echo nothing
}

func (d *decoder) text() string { return d.b.String() }

// add appends byte c to the answer (up to the limit); flush echoes it.
func (d *decoder) add(c byte) {
	if d.b.Len() >= d.limit {
		return
	}
	d.b.WriteByte(c)
	d.pend = append(d.pend, c)
}

// flush echoes the bytes added since the last flush, up to the last
// whole UTF-8 character, through the output sanitizer. While a paste is
// still arriving it holds back a word that may continue in the next
// read, so that the echo's wrapping never splits it.
func (d *decoder) flush() {
	if d.mask {
		d.pend = d.pend[:0]
		return
	}
	n := len(d.pend)
	if d.inPaste {
		n = bytes.LastIndexAny(d.pend, " \n") + 1
	}
	for n > 0 && !utf8.Valid(d.pend[:n]) && len(d.pend)-n < utf8.UTFMax {
		n--
	}
	if n == 0 {
		return
	}
	fmt.Fprint(d.echo, sanitize.Text(string(d.pend[:n])))
	d.pend = append(d.pend[:0], d.pend[n:]...)
}

// feed consumes one read's bytes. It reports done when the answer ends:
// Enter typed outside a paste, as the last byte of what the terminal
// delivered (a keypress, not a newline inside an unbracketed paste), or
// Ctrl+D. Ctrl+C gives ErrInterrupted.
func (d *decoder) feed(p []byte) (bool, error) {
	defer d.flush()
	for i := 0; i < len(p); i++ {
		c := p[i]
		if d.esc != nil || c == 0x1b {
			d.esc = append(d.esc, c)
			if d.escape() {
				d.esc = nil
			}
			continue
		}
		if d.inPaste {
			switch {
			case c == '\r':
				d.add('\n')
			case c == '\n' && d.lastCR:
			default:
				d.add(c)
			}
			d.lastCR = c == '\r'
			continue
		}
		switch c {
		case 0x03: // Ctrl+C
			return true, ErrInterrupted
		case 0x04: // Ctrl+D
			return true, nil
		case '\r', '\n':
			if i == len(p)-1 || d.pasted {
				return true, nil
			}
			if c == '\r' && i+1 < len(p) && p[i+1] == '\n' {
				i++
			}
			d.add('\n') // a newline inside an unbracketed paste
		case 0x7f, 0x08: // Backspace
			d.flush()
			s := d.b.String()
			if r, size := utf8.DecodeLastRuneInString(s); size > 0 && r != '\n' {
				d.b.Reset()
				d.b.WriteString(s[:len(s)-size])
				d.pend = d.pend[:0]
				if !d.mask {
					raw := d.raw
					if raw == nil {
						raw = d.echo
					}
					fmt.Fprint(raw, "\b \b")
				}
			}
		default:
			if c >= 0x20 || c == '\t' {
				d.add(c)
			}
		}
	}
	return false, nil
}

// escape handles the escape sequence in d.esc and reports whether it is
// finished: the paste markers switch paste mode, any other CSI or
// two-byte sequence (arrows, function keys, Alt) is dropped.
func (d *decoder) escape() bool {
	s := string(d.esc)
	switch {
	case s == pasteStart:
		d.inPaste, d.pasted = true, true
		return true
	case s == pasteEnd:
		d.inPaste = false
		return true
	case len(s) == 1:
		return false
	case s[1] != '[':
		return true // ESC x (Alt+x) or a lone Esc followed by a key
	case len(s) > 2 && s[len(s)-1] >= 0x40 && s[len(s)-1] <= 0x7e:
		return true // the final byte of a CSI sequence
	}
	return len(s) > 32 // not a sequence byok knows; drop it
}
