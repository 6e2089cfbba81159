package prompt

import "golang.org/x/sys/unix"

// flushInput discards what the terminal received but byok did not read:
// the rest of a paste must not reach the shell after byok exits.
func flushInput(fd int) { _ = unix.IoctlSetInt(fd, unix.TCFLSH, unix.TCIFLUSH) }
