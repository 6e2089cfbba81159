package prompt

import "io"

// Quiet keeps keys pressed while byok is busy (the demo's checklist
// running) off the screen, where they would break a line being redrawn,
// and out of the next answer: it turns the terminal's echo off until
// restore is called, which discards what was typed meanwhile and turns
// echo back on. Ctrl+C still interrupts, and a prompt shown meanwhile
// (raw mode) works as usual. When in is not a terminal it does nothing.
func Quiet(in io.Reader) (restore func()) {
	fd, ok := rawFd(in)
	if !ok {
		return func() {}
	}
	return quiet(fd)
}

// DiscardPending drops what the terminal received but byok has not read,
// so that keys pressed earlier (an Enter while checks ran) do not answer
// the question asked next. When in is not a terminal it does nothing.
func DiscardPending(in io.Reader) {
	if fd, ok := rawFd(in); ok {
		flushInput(fd)
	}
}
