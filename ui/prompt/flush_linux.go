package prompt

import "golang.org/x/sys/unix"

// flushInput discards what the terminal received but byok did not read:
// the rest of a paste must not reach the shell after byok exits.
func flushInput(fd int) { _ = unix.IoctlSetInt(fd, unix.TCFLSH, unix.TCIFLUSH) }

// quiet turns the terminal's echo off and returns what turns it back on
// after discarding what was typed meanwhile.
func quiet(fd int) func() {
	t, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	if err != nil {
		return func() {}
	}
	old := *t
	t.Lflag &^= unix.ECHO
	if err := unix.IoctlSetTermios(fd, unix.TCSETS, t); err != nil {
		return func() {}
	}
	return func() {
		flushInput(fd)
		_ = unix.IoctlSetTermios(fd, unix.TCSETS, &old)
	}
}
