package prompt

import (
	"bufio"
	"context"
	"io"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/hiveku/byok/ui/prompt/ptytest"
	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal pair (ptytest.Open).
func openPTY(t *testing.T) (master, slave *os.File) { t.Helper(); return ptytest.Open(t) }

// TestReadPasteTerminal pastes a Microsoft error page into a real
// pseudo-terminal the way a terminal with bracketed paste does, followed
// in the same burst by a shell command: the page is read whole, and the
// command never reaches whoever reads the terminal next (the shell).
func TestReadPasteTerminal(t *testing.T) {
	master, slave := openPTY(t)
	go func() { _, _ = io.Copy(io.Discard, master) }() // the screen
	opts := PasteOptions{TTY: true, Term: "xterm-256color", Echo: slave}
	if m := opts.Mode(slave); m != PasteBracketed {
		t.Fatalf("mode %v on a terminal", m)
	}
	page := strings.ReplaceAll(msPage, "\n", "\r")
	before, _ := unix.IoctlGetTermios(int(slave.Fd()), unix.TCGETS)
	done := make(chan result, 1)
	go func() {
		s, err := ReadPaste(context.Background(), slave, opts)
		done <- result{s, err}
	}()
	if _, err := master.WriteString(pasteStart + page + pasteEnd + "\recho LEFTOVER\r"); err != nil {
		t.Fatal(err)
	}
	r := <-done
	if r.err != nil || r.s != msPage {
		t.Fatalf("ReadPaste = %q, %v", r.s, r.err)
	}
	after, _ := unix.IoctlGetTermios(int(slave.Fd()), unix.TCGETS)
	if before.Lflag != after.Lflag || before.Iflag != after.Iflag {
		t.Errorf("terminal mode not restored: lflag %#x → %#x", before.Lflag, after.Lflag)
	}
	// The next reader (the shell, in cooked mode) sees only what is typed
	// after byok finished.
	if _, err := master.WriteString("next\r"); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(slave).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != "next" {
		t.Errorf("the shell would read %q, %v", line, err)
	}
}

// TestDrainDropsPendingInput: what the terminal holds when the answer
// ends (the rest of a paste) is dropped, not left for the shell.
func TestDrainDropsPendingInput(t *testing.T) {
	master, slave := openPTY(t)
	go func() { _, _ = io.Copy(io.Discard, master) }()
	if _, err := master.WriteString("rm -rf leftover\r"); err != nil {
		t.Fatal(err)
	}
	drain(int(slave.Fd()))
	flushInput(int(slave.Fd()))
	if _, err := master.WriteString("next\r"); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(slave).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != "next" {
		t.Errorf("the shell would read %q, %v", line, err)
	}
}

// TestPlainSecretOnTerminal: on a terminal a secret is read with nothing
// echoed, and a paste of several lines is one answer (the rest never
// reaches the shell).
func TestPlainSecretOnTerminal(t *testing.T) {
	master, slave := openPTY(t)
	var mu sync.Mutex
	var screen strings.Builder
	shown := func() string { mu.Lock(); defer mu.Unlock(); return screen.String() }
	got := make(chan struct{})
	go func() {
		buf := make([]byte, 1024)
		for {
			n, err := master.Read(buf)
			mu.Lock()
			screen.Write(buf[:n])
			mu.Unlock()
			if strings.Contains(shown(), "(not shown): ") {
				select {
				case <-got:
				default:
					close(got)
				}
			}
			if err != nil {
				return
			}
		}
	}()
	value := "abc"
	p := Prompter{In: slave, Out: slave, Plain: true}
	done := make(chan error, 1)
	go func() {
		done <- p.Form(context.Background(), "New secret", "", Field{Title: "Secret value", Value: &value, Secret: true})
	}()
	<-got
	if _, err := master.WriteString(pasteStart + "Sim8Q~s3cret-value\rsecond line" + pasteEnd + "\r"); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if value != "Sim8Q~s3cret-value\nsecond line" {
		t.Errorf("value = %q", value)
	}
	if strings.Contains(shown(), "s3cret") {
		t.Errorf("the secret was echoed: %q", shown())
	}
}

// TestQuietAndDiscardPending: Quiet turns echo off and back on, and what
// was typed meanwhile (or before DiscardPending) never reaches the next
// reader.
func TestQuietAndDiscardPending(t *testing.T) {
	master, slave := openPTY(t)
	go func() { _, _ = io.Copy(io.Discard, master) }()
	echo := func() bool {
		tio, err := unix.IoctlGetTermios(int(slave.Fd()), unix.TCGETS)
		if err != nil {
			t.Fatal(err)
		}
		return tio.Lflag&unix.ECHO != 0
	}
	if !echo() {
		t.Fatal("a new terminal without echo")
	}
	restore := Quiet(slave)
	if echo() {
		t.Error("Quiet left echo on")
	}
	// pending waits up to a second for a line to arrive (or not).
	pending := func(ms int) bool {
		fds := []unix.PollFd{{Fd: int32(slave.Fd()), Events: unix.POLLIN}}
		n, err := unix.Poll(fds, ms)
		return err == nil && n > 0
	}
	if _, err := master.WriteString("stray keys\r"); err != nil {
		t.Fatal(err)
	}
	if !pending(1000) {
		t.Fatal("the typed line never arrived")
	}
	DiscardPending(slave)
	if pending(0) {
		t.Error("DiscardPending left the typed line")
	}
	if _, err := master.WriteString("typed during the checks\r"); err != nil {
		t.Fatal(err)
	}
	if !pending(1000) {
		t.Fatal("the typed line never arrived")
	}
	restore()
	if !echo() {
		t.Error("restore left echo off")
	}
	if _, err := master.WriteString("next\r"); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(slave).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != "next" {
		t.Errorf("the next reader gets %q, %v", line, err)
	}
	// Not a terminal: nothing happens.
	Quiet(strings.NewReader("x"))()
	DiscardPending(strings.NewReader("x"))
}
