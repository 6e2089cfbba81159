package flow

import (
	"errors"
	"strings"
	"testing"
)

// valWant describes an expected validator error; empty strings are not
// checked, and a nil *valWant means "no error".
type valWant struct {
	field string
	msg   []string // substrings of Message
	fix   []string // substrings of Fix
}

// valCheck asserts that err matches want: nil for nil, otherwise an
// EINVALID *Error for want.field whose Message and Fix contain the given
// parts (case-insensitive).
func valCheck(tb testing.TB, err error, want *valWant) {
	tb.Helper()
	if want == nil {
		if err != nil {
			tb.Fatalf("error = %v, want nil", err)
		}
		return
	}
	var e *Error
	if !errors.As(err, &e) {
		tb.Fatalf("error = %v (%T), want *Error", err, err)
	}
	if e.Code != EINVALID {
		tb.Errorf("Code = %q, want %q", e.Code, EINVALID)
	}
	if ExitCode(err) != 2 {
		tb.Errorf("ExitCode = %d, want 2", ExitCode(err))
	}
	if want.field != "" && e.Field != want.field {
		tb.Errorf("Field = %q, want %q", e.Field, want.field)
	}
	for _, m := range want.msg {
		if !strings.Contains(strings.ToLower(e.Message), strings.ToLower(m)) {
			tb.Errorf("Message = %q, want it to contain %q", e.Message, m)
		}
	}
	for _, f := range want.fix {
		if !strings.Contains(strings.ToLower(e.Fix), strings.ToLower(f)) {
			tb.Errorf("Fix = %q, want it to contain %q", e.Fix, f)
		}
	}
	if e.Message == "" || strings.HasSuffix(e.Message, ".") {
		tb.Errorf("Message = %q: want non-empty, no trailing period", e.Message)
	}
	if e.Fix == "" {
		tb.Errorf("Fix is empty for %q", e.Message)
	}
}

// valGUIDs used across tests.
const (
	valClient = "11111111-2222-3333-4444-555555555555"
	valDir    = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
	valOther  = "99999999-8888-7777-6666-555555555555"
	// valSecret looks like a portal value (fixture, not a real secret).
	valSecret = "abC8Q~fixtureFIXTUREfixture.value_0123456"
)
