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

// TestTextURLAlone: a URL that moves to the next line starts it, without
// the label's indent, and nothing follows it there, so that copying the
// line copies the URL.
func TestTextURLAlone(t *testing.T) {
	url := "https://app.hiveku.com/api/oauth/microsoft/callback"
	f := Finding{Code: 50011, Category: "redirect-uri", Title: "t", Cause: "c",
		Fix: "Add the exact URI from the message under the Web platform, or correct the saved one. For Hiveku it must be " + url + "; watch for a missing https://."}
	out := Text([]Finding{f}, 80)
	if !strings.Contains(out, "\n"+url+";\n             watch for") {
		t.Errorf("the URL does not stand alone:\n%s", out)
	}
}
