//go:build !linux

package prompt

// flushInput is a no-op where byok has no portable way to discard
// pending terminal input; raw mode has already consumed what arrived
// with the answer.
func flushInput(int) {}

// quiet leaves the terminal as it is where byok has no portable way to
// turn echo off alone.
func quiet(int) func() { return func() {} }
