package assets

import (
	"fmt"
	"strings"
	"testing"
)

// TestAADSTSCatalog makes a broken embed fail here rather than for a
// user: the JSON parses, every entry validates, codes are unique and the
// guide's troubleshooting codes are present.
func TestAADSTSCatalog(t *testing.T) {
	cat, err := AADSTSCatalog()
	if err != nil {
		t.Fatalf("AADSTSCatalog() error = %v", err)
	}
	seen := map[string]bool{}
	codes := 0
	for _, e := range cat {
		key := fmt.Sprintf("%d/%s/%s", e.Code, e.Error, e.Match)
		if e.Code != 0 {
			key = fmt.Sprint(e.Code)
			if e.Match != "" {
				key += "/" + e.Match // a variant chosen by Microsoft's message
			} else {
				codes++
			}
		}
		if seen[key] {
			t.Errorf("duplicate catalog entry %s", key)
		}
		seen[key] = true
	}
	if codes < 60 {
		t.Errorf("catalog has %d AADSTS codes, want at least 60", codes)
	}
	for _, c := range []int{50011, 700016, 65001, 7000222, 50194, 9002331, 9002332, 50020, 500208} {
		if !seen[fmt.Sprint(c)] {
			t.Errorf("catalog lacks AADSTS%d from the guide's troubleshooting", c)
		}
	}
	for _, k := range []string{"0/unauthorized_client/not enabled for consumers", "0/invalid_client/", "0/access_denied/", "0/invalid_grant/", "0/consent_required/", "0/interaction_required/"} {
		if !seen[k] {
			t.Errorf("catalog lacks bare error %s", k)
		}
	}
}

// TestAADSTSFixesHaveNoPlaceholders: a fix is read by a person, who
// can't fill in a literal [tenant].
func TestAADSTSFixesHaveNoPlaceholders(t *testing.T) {
	entries, err := AADSTSCatalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		for _, p := range []string{"[tenant]", "<tenant>", "{tenant}"} {
			if strings.Contains(e.Fix, p) {
				t.Errorf("AADSTS%d: fix holds the placeholder %s: %q", e.Code, p, e.Fix)
			}
		}
	}
}
