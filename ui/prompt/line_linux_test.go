package prompt

import (
	"context"
	"errors"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"

	"golang.org/x/sys/unix"
)

// screen collects what the terminal shows (the master side's output)
// and reports when text has appeared.
type screen struct {
	mu   sync.Mutex
	b    strings.Builder
	cond *sync.Cond
}

func newScreen(r io.Reader) *screen {
	s := &screen{}
	s.cond = sync.NewCond(&s.mu)
	go func() {
		buf := make([]byte, 1024)
		for {
			n, err := r.Read(buf)
			s.mu.Lock()
			s.b.Write(buf[:n])
			s.cond.Broadcast()
			s.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	return s
}

func (s *screen) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestReadSecretOnTerminal: a secret typed on a terminal is not echoed,
// no escape sequence is written (a screen reader reads only the prompt),
// and the echo is back on afterwards.
func TestReadSecretOnTerminal(t *testing.T) {
	master, slave := openPTY(t)
	shown := newScreen(master)
	type answer struct {
		s   string
		err error
	}
	done := make(chan answer, 1)
	go func() {
		s, err := ReadSecret(context.Background(), slave)
		done <- answer{s, err}
	}()
	// The terminal echoes what arrives while its echo is on: type only
	// once ReadSecret has turned it off.
	for echoOn(t, slave.Fd()) {
		runtime.Gosched()
	}
	if _, err := master.WriteString("Sim8Q~s3cret-value\r"); err != nil {
		t.Fatal(err)
	}
	if a := <-done; a.err != nil || a.s != "Sim8Q~s3cret-value" {
		t.Fatalf("ReadSecret = %q, %v", a.s, a.err)
	}
	// What the terminal echoed is in order before anything echoed now.
	if _, err := master.WriteString("x"); err != nil {
		t.Fatal(err)
	}
	shown.mu.Lock()
	for !strings.Contains(shown.b.String(), "x") {
		shown.cond.Wait()
	}
	shown.mu.Unlock()
	if got := shown.String(); strings.Contains(got, "s3cret") || strings.Contains(got, "\x1b") {
		t.Errorf("the terminal showed %q", got)
	}
	if !echoOn(t, slave.Fd()) {
		t.Errorf("echo is still off")
	}
}

// echoOn reports whether the terminal fd echoes input.
func echoOn(t *testing.T, fd uintptr) bool {
	t.Helper()
	tio, err := unix.IoctlGetTermios(int(fd), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	return tio.Lflag&unix.ECHO != 0
}

// TestReadSecretCancelled: Ctrl+C (a cancelled ctx) while the secret is
// awaited ends the read at once and turns the echo back on.
func TestReadSecretCancelled(t *testing.T) {
	master, pty := openPTY(t)
	newScreen(master)
	// The read ReadSecret leaves behind holds the descriptor's number:
	// it must not be closed and reused by the next test's terminal.
	fd, err := unix.Dup(int(pty.Fd()))
	if err != nil {
		t.Fatal(err)
	}
	slave := os.NewFile(uintptr(fd), "pty") // never closed
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := ReadSecret(ctx, slave)
		done <- err
	}()
	for echoOn(t, slave.Fd()) { // waiting for the secret
		runtime.Gosched()
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("ReadSecret error = %v, want context.Canceled", err)
	}
	if !echoOn(t, slave.Fd()) {
		t.Errorf("echo left off after the cancelled read")
	}
	_, _ = master.WriteString("\r") // ends the abandoned read
}

// TestReadLinePipe: answers come one line each, nothing after a line is
// taken, a cancelled ctx ends a read nobody answers, and the end of
// input is io.EOF.
func TestReadLinePipe(t *testing.T) {
	in := strings.NewReader("first\r\nsecond\nlast")
	for _, want := range []string{"first", "second", "last"} {
		if got, err := ReadLine(context.Background(), in); err != nil || got != want {
			t.Fatalf("ReadLine = %q, %v; want %q", got, err, want)
		}
	}
	if _, err := ReadLine(context.Background(), in); !errors.Is(err, io.EOF) {
		t.Fatalf("at the end: %v, want io.EOF", err)
	}
	pr, pw := io.Pipe()
	defer pw.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ReadLine(ctx, pr); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v, want context.Canceled", err)
	}
}

// fdReader is a reader that wraps a terminal and says so, as
// ui.AccessibleInput's does.
type fdReader struct{ f *os.File }

func (r fdReader) Read(p []byte) (int, error) { return r.f.Read(p) }
func (r fdReader) Fd() uintptr                { return r.f.Fd() }

// TestAccessibleSecretOnTerminal: rotate's prompt in accessible mode, on
// a terminal reached through a wrapping reader, does not show the secret
// and writes no escape sequence.
func TestAccessibleSecretOnTerminal(t *testing.T) {
	master, slave := openPTY(t)
	shown := newScreen(master)
	value := ""
	p := Prompter{In: fdReader{slave}, Out: slave, Accessible: true}
	done := make(chan error, 1)
	go func() {
		done <- p.Form(context.Background(), "New secret", "", Field{Title: "Secret value", Value: &value, Secret: true})
	}()
	for echoOn(t, slave.Fd()) {
		runtime.Gosched()
	}
	if _, err := master.WriteString("Sim8Q~s3cret-value\r"); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if value != "Sim8Q~s3cret-value" {
		t.Errorf("value = %q", value)
	}
	if _, err := master.WriteString("x"); err != nil {
		t.Fatal(err)
	}
	shown.mu.Lock()
	for !strings.Contains(shown.b.String(), "x") {
		shown.cond.Wait()
	}
	shown.mu.Unlock()
	if got := shown.String(); strings.Contains(got, "s3cret") || strings.Contains(got, "\x1b") || !strings.Contains(got, "(not shown)") {
		t.Errorf("the terminal showed %q", got)
	}
}
