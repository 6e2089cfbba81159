package doctor_test

import (
	"strings"
	"testing"

	"github.com/hiveku/byok/assets"
	"github.com/hiveku/byok/flow/doctor"
)

// TestCodesAnyCaseAndWrapped: codes typed in another case, or wrapped
// across lines by a terminal or a ticket, are found; a code followed by a
// date on the next line is not glued to it.
func TestCodesAnyCaseAndWrapped(t *testing.T) {
	cat, err := assets.AADSTSCatalog()
	if err != nil {
		t.Fatal(err)
	}
	d := doctor.New(cat)
	tests := []struct {
		in   string
		want int
	}{
		{"error: aaDSTS90093: Graph returned 403 Forbidden", 90093},
		{"Aadsts650053: The application asked for scope", 650053},
		{"Sorry, but we're having trouble signing you in.\nAADS\nTS50011: The redirect URI", 50011},
		{"invalid_client: AADSTS700\n016: Application with identifier", 700016},
		{"error_description=AADSTS70001\n6: Application with identifier 'x' was not found", 700016},
		{"AADSTS50011\n2024-11-27 09:00:00Z", 50011},
		{"AADSTS50011: The redirect URI\n  2024", 50011},
	}
	for _, tt := range tests {
		fs := d.Diagnose(tt.in)
		if len(fs) == 0 || fs[0].Code != tt.want {
			var got []int
			for _, f := range fs {
				got = append(got, f.Code)
			}
			t.Errorf("Diagnose(%q) codes = %v, want %d first", tt.in, got, tt.want)
		}
	}
}

// TestInferCategory: an uncatalogued code is placed by Microsoft's words.
func TestInferCategory(t *testing.T) {
	d := doctor.New(nil)
	for in, want := range map[string]string{
		"AADSTS999991: The reply address 'https://x' does not match":     "redirect-uri",
		"AADSTS999992: The tenant identifier 'abc' is not valid":         "tenant",
		"AADSTS999993: The user has not given consent to the app":        "consent",
		"AADSTS999994: The client secret for the app is wrong":           "client-secret",
		"AADSTS999995: The requested scope 'Mail.Foo' is unknown":        "scope",
		"AADSTS999996: Something unexpected happened. Please try again.": "other",
	} {
		fs := d.Diagnose(in)
		if len(fs) != 1 || fs[0].Category != want || fs[0].Fix == "" {
			t.Errorf("Diagnose(%q) = %+v, want category %s", in, fs, want)
		}
	}
}

// TestAADSTS50020ByIdentityProvider: a personal account (live.com) on a
// work-only app is an account-type fix, not a guest invitation.
func TestAADSTS50020ByIdentityProvider(t *testing.T) {
	cat, _ := assets.AADSTSCatalog()
	d := doctor.New(cat)
	live := d.Diagnose("AADSTS50020: User account 'sam@outlook.com' from identity provider 'live.com' does not exist in tenant 'Contoso' and cannot access the application")
	work := d.Diagnose("AADSTS50020: User account 'pat@fabrikam.com' from identity provider 'https://sts.windows.net/6e1f2a3b-8c4d-4e5f-a061-7b8c9d0e1f2a/' does not exist in tenant 'Contoso'")
	if len(live) != 1 || len(work) != 1 {
		t.Fatalf("findings = %d, %d", len(live), len(work))
	}
	if !strings.Contains(live[0].Fix, "Supported account types") || strings.Contains(live[0].Fix, "invite") {
		t.Errorf("live.com fix = %q", live[0].Fix)
	}
	if !strings.Contains(work[0].Fix, "guest") {
		t.Errorf("work account fix = %q", work[0].Fix)
	}
}
