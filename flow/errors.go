package flow

import (
	"errors"
	"fmt"
)

// Application error codes (in the style of benbjohnson/wtf).
const (
	EINVALID  = "invalid"   // bad user input: exit status 2
	ENOTFOUND = "not_found" // no such config or draft
	ECONFLICT = "conflict"  // already exists
	EFAILED   = "failed"    // a check or operation failed: exit status 1
	EINTERNAL = "internal"  // a bug or an I/O problem
)

// Error is an error the user can act on. Field names the input at fault,
// Message says what is wrong (lower case, no trailing period), Fix says
// how to put it right.
type Error struct {
	Code    string
	Field   string
	Message string
	Fix     string
	// Err is the wrapped low-level cause, shown only with --debug.
	Err error
}

// Error renders "field: message (fix)".
func (e *Error) Error() string {
	s := e.Message
	if e.Field != "" {
		s = e.Field + ": " + s
	}
	if e.Fix != "" {
		s += "; " + e.Fix
	}
	return s
}

// Unwrap returns the wrapped cause.
func (e *Error) Unwrap() error { return e.Err }

// WithFix returns e with its Fix set.
func (e *Error) WithFix(format string, args ...any) *Error {
	e.Fix = fmt.Sprintf(format, args...)
	return e
}

// Invalid returns an EINVALID *Error for field.
func Invalid(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Errorf returns an *Error with the given code.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ExitCode maps err to byok's exit status: 0 ok, 2 invalid input, 1
// anything else.
func ExitCode(err error) int {
	switch ErrorCode(err) {
	case "":
		return 0
	case EINVALID:
		return 2
	}
	return 1
}
