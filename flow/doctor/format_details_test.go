package doctor

import (
	"strings"
	"testing"
)

// TestTextNoEmptyDetails: a finding whose only detail is the hidden config
// note prints no empty "Details:" heading.
func TestTextNoEmptyDetails(t *testing.T) {
	f := Finding{Code: 65004, Category: "consent", Title: "t", Cause: "c", Fix: "f",
		Details: map[string]string{"config": "only shown elsewhere"}}
	if out := Text([]Finding{f}, 80); strings.Contains(out, "Details:") {
		t.Errorf("empty Details heading:\n%s", out)
	}
	f.Details["trace_id"] = "0c3e1f2a-1111-2222-3333-444455556666"
	if out := Text([]Finding{f}, 80); !strings.Contains(out, "Details:") || !strings.Contains(out, "0c3e1f2a") {
		t.Errorf("details missing:\n%s", out)
	}
}
