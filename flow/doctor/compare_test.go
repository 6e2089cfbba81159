package doctor_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/doctor"
)

const fixtureSecret = "abC8Q~Zk3vQ9.sEcReT-value_1234567890xyz"

func savedConfig() flow.Config {
	return flow.Config{
		Name:        "Acme",
		AccountType: flow.MultiTenantPersonal,
		RedirectURI: hiveku,
		Scopes:      []string{"offline_access", "Mail.ReadWrite", "Mail.Send"},
		ClientID:    appID,
		DirectoryID: dirID,
		Tenant:      "common",
		Secret:      flow.Secret(fixtureSecret),
		SecretInfo:  flow.SecretInfo{Hint: "abC…", Expires: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)},
	}
}

// TestCompareNamesTheApp: with a config known, the portal path points at
// it by name instead of the catalog's "[your app]".
func TestCompareNamesTheApp(t *testing.T) {
	d := newDoctor(t)
	in := `{"error":"invalid_request","error_description":"AADSTS50011: The redirect URI '` + hiveku + `/' specified in the request does not match the redirect URIs configured for the application '` + appID + `'."}`
	fs := d.Compare(d.Diagnose(in), savedConfig())
	if len(fs) == 0 {
		t.Fatal("no finding")
	}
	for _, f := range fs {
		if all := f.Portal + f.Fix + f.Cause; strings.Contains(all, "[your app]") || !strings.Contains(f.Portal, "App registrations > Acme >") {
			t.Errorf("portal %q, fix %q", f.Portal, f.Fix)
		}
	}
}

func TestCompare(t *testing.T) {
	d := newDoctor(t)
	msg := func(code int, text string) string {
		return fmt.Sprintf(`{"error":"invalid_request","error_description":"AADSTS%d: %s\r\nTrace ID: %s"}`, code, text, traceID)
	}
	single := savedConfig()
	single.AccountType = flow.SingleTenant
	loop := savedConfig()
	loop.Loopback = true
	tests := []struct {
		name  string
		input string
		cfg   flow.Config
		want  map[string]string // key → substring
	}{
		{"redirect with trailing slash", msg(50011, "The redirect URI '"+hiveku+"/' specified in the request does not match the redirect URIs configured for the application '"+appID+"'."), savedConfig(),
			map[string]string{"redirect_check": "not the redirect URI saved for Acme", "redirect_saved": hiveku, "redirect_problems": "slash", "redirect_diff": "^", "app_id_check": "matches the client ID saved for Acme", "config": "Acme"}},
		{"redirect equal to the saved one", msg(50011, "The redirect URI '"+hiveku+"' specified in the request does not match the redirect URIs configured for the application '"+appID+"'."), savedConfig(),
			map[string]string{"redirect_check": "app registration lacks it"}},
		{"loopback without loopback saved", msg(50011, "The redirect URI 'http://localhost:53121/' specified in the request does not match the redirect URIs configured for the application '"+appID+"'."), savedConfig(),
			map[string]string{"redirect_check": "has no loopback URI"}},
		{"loopback saved", msg(50011, "The redirect URI 'http://localhost:53121/' specified in the request does not match the redirect URIs configured for the application '"+appID+"'."), loop,
			map[string]string{"redirect_check": "Microsoft ignores the port"}},
		{"other app id", msg(700016, "Application with identifier 'd0c7a1b2-0000-4000-8000-000000000001' was not found in the directory '"+dirID+"'."), savedConfig(),
			map[string]string{"app_id_check": "this app ID is not the one saved for Acme (saved: " + appID + ")", "tenant_check": "matches the directory ID saved for Acme"}},
		{"ids swapped", msg(700016, "Application with identifier '"+dirID+"' was not found in the directory 'd0c7a1b2-0000-4000-8000-000000000002'."), savedConfig(),
			map[string]string{"app_id_check": "swapped", "tenant_check": "this tenant is not your directory ID (saved for Acme: " + dirID + ")"}},
		{"single tenant on common", msg(50194, "Application '"+appID+"'(Acme Hiveku) isn't configured as a multitenant application."), func() flow.Config { c := single; c.Tenant = "common"; return c }(),
			map[string]string{"config_note": "single tenant but uses tenant common: set the tenant to your directory ID " + dirID}},
		{"expired secret", msg(7000222, "The provided client secret keys for app '"+appID+"' are expired."), savedConfig(),
			map[string]string{"config_note": "starts with abC… and expires 2026-11-01"}},
		{"consent lists scopes", msg(65001, "The user or administrator has not consented to use the application with ID '"+appID+"'."), savedConfig(),
			map[string]string{"config_note": "Acme requests offline_access, Mail.ReadWrite, Mail.Send"}},
		{"work-only app and personal account", "error=unauthorized_client&error_description=The+client+does+not+exist+or+is+not+enabled+for+consumers.", func() flow.Config { c := single; c.Tenant = dirID; return c }(),
			map[string]string{"config_note": "Acme is saved as Accounts in this organizational directory only"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			orig := d.Diagnose(tt.input)
			if len(orig) != 1 {
				t.Fatalf("Diagnose() = %v, want one finding", headings(orig))
			}
			before := len(orig[0].Details)
			got := d.Compare(orig, tt.cfg)
			if len(orig[0].Details) != before {
				t.Errorf("Compare() changed its input's Details")
			}
			for k, sub := range tt.want {
				if !strings.Contains(got[0].Details[k], sub) {
					t.Errorf("Details[%q] = %q, want it to contain %q", k, got[0].Details[k], sub)
				}
			}
			b, _ := json.Marshal(got)
			out := string(b) + doctor.Text(got, 80) + fmt.Sprintf("%+v", got)
			if strings.Contains(out, fixtureSecret) {
				t.Errorf("Compare output contains the secret value")
			}
		})
	}
}

func TestCompareDiffRendering(t *testing.T) {
	d := newDoctor(t)
	fs := d.Compare(d.Diagnose(sampleURLPlus), savedConfig())
	txt := doctor.Text(fs, 80)
	for _, want := range []string{"in error:", "expected:", hiveku + "/", "^"} {
		if !strings.Contains(txt, want) {
			t.Errorf("Text() lacks %q:\n%s", want, txt)
		}
	}
}
