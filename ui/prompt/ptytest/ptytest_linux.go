// Package ptytest opens pseudo-terminals for tests that read a terminal
// the way byok does at a person's keyboard: raw mode, bracketed paste,
// input left for the shell.
package ptytest

import (
	"fmt"
	"os"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// Open opens a pseudo-terminal pair and closes it when the test ends:
// what is written to master is what a terminal emulator sends (keys,
// pastes); slave is byok's standard input. It skips the test where the
// system has no pseudo-terminals.
func Open(tb testing.TB) (master, slave *os.File) {
	tb.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		tb.Skipf("no pseudo-terminals: %v", err)
	}
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		m.Close()
		tb.Skipf("unlock pty: %v", err)
	}
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		m.Close()
		tb.Skipf("pty number: %v", err)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		m.Close()
		tb.Skipf("open pty: %v", err)
	}
	tb.Cleanup(func() { s.Close(); m.Close() })
	return m, s
}
