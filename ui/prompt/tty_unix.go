//go:build linux || darwin || freebsd || netbsd || openbsd

package prompt

import (
	"context"
	"io"

	"golang.org/x/sys/unix"
)

// readCtx reads from the terminal fd once it has input, or returns
// ctx.Err() once ctx ends, so that no reader is left behind to take the
// next keystrokes after a cancelled wait (a loopback redirect that
// arrived first).
func readCtx(ctx context.Context, fd int, in io.Reader, buf []byte) (int, error) {
	fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
	for {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		// Wake up now and then to notice a cancelled ctx.
		n, err := unix.Poll(fds, 100)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return 0, err
		}
		if n > 0 {
			return in.Read(buf)
		}
	}
}

// drain reads and drops what the terminal delivers within a moment of
// the answer's end: the rest of a paste that arrived in more than one
// piece must not reach the shell after byok exits.
func drain(fd int) {
	fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
	buf := make([]byte, 4096)
	for i := 0; i < 50; i++ { // at most about a second of pasting
		if n, err := unix.Poll(fds, 20); err != nil || n == 0 {
			return
		}
		if n, err := unix.Read(fd, buf); n <= 0 || err != nil {
			return
		}
	}
}
