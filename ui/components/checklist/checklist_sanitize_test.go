package checklist

import (
	"strings"
	"testing"

	"github.com/hiveku/byok/flow"
)

// Issue 11: a token endpoint's error_description (a check's detail) with
// ESC]52 reached the terminal raw through the wizard's checklist.
func TestLineSanitizes(t *testing.T) {
	got := Line(flow.Check{ID: "consent", Status: flow.Fail, Detail: "AADSTS65001 \x1b]52;c;aGk=\x07\u202e", Fix: "see \x1b[2J"})
	if strings.ContainsAny(got, "\x1b\x07\u202e") {
		t.Errorf("Line() = %q", got)
	}
	if !strings.Contains(got, `\x1b]52`) || !strings.Contains(got, `\u202e`) {
		t.Errorf("Line() = %q: hostile characters should be shown escaped", got)
	}
}
