package flow

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestOfflineChecks(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	ok := func() Config {
		c := valConfig()
		c.SecretInfo.Expires = now.AddDate(1, 0, 0)
		return c
	}
	type want struct {
		status Status
		detail string
		fix    string
	}
	tests := []struct {
		name string
		edit func(c *Config)
		id   string
		want want
	}{
		{"redirect ok", func(c *Config) {}, CheckRedirect, want{Pass, "exactly " + HivekuRedirectURI, ""}},
		{"redirect slash", func(c *Config) { c.RedirectURI += "/" }, CheckRedirect, want{Fail, "trailing slash", PortalRedirectPath}},
		{"redirect empty", func(c *Config) { c.RedirectURI = "" }, CheckRedirect, want{Fail, "no redirect URI saved", HivekuRedirectURI}},
		{"redirect custom", func(c *Config) { c.CustomRedirect, c.RedirectURI = true, "https://staging.example.com/cb" }, CheckRedirect, want{Pass, "custom redirect URI https://staging.example.com/cb", ""}},
		{"redirect custom bad", func(c *Config) { c.CustomRedirect, c.RedirectURI = true, "http://staging.example.com/cb" }, CheckRedirect, want{Fail, "only localhost may use http", PortalRedirectPath}},
		{"scopes ok", func(c *Config) {}, CheckScopes, want{Pass, "4 permissions: offline_access, Mail.ReadWrite", ""}},
		{"scopes no offline", func(c *Config) { c.Scopes = []string{"Mail.Read"} }, CheckScopes, want{Fail, "offline_access is missing", "refresh token"}},
		{"scopes no mail", func(c *Config) { c.Scopes = []string{"offline_access"} }, CheckScopes, want{Fail, "no mail permission", PortalPermissionsPath}},
		{"audience ok", func(c *Config) {}, CheckAudience, want{Pass, "multi-personal with tenant common", ""}},
		{"audience warn", func(c *Config) { c.Tenant = "consumers" }, CheckAudience, want{Warn, "leaves out work and school", PortalAudiencePath}},
		{"audience single common", func(c *Config) { c.AccountType, c.Tenant = SingleTenant, "common" }, CheckAudience, want{Fail, "AADSTS50194", valDir}},
		{"audience personal common", func(c *Config) { c.AccountType = PersonalOnly }, CheckAudience, want{Fail, "AADSTS9002331", "consumers"}},
		{"audience multi consumers", func(c *Config) { c.AccountType, c.Tenant = MultiTenant, "consumers" }, CheckAudience, want{Fail, "AADSTS9002332", "organizations"}},
		{"audience bad type", func(c *Config) { c.AccountType = "x" }, CheckAudience, want{Fail, "not one of the four", PortalAudiencePath}},
		{"secret ok", func(c *Config) {}, CheckSecret, want{Pass, "secret abC… is stored", ""}},
		{"secret missing", func(c *Config) { c.Secret, c.SecretInfo.Missing = "", true }, CheckSecret, want{Fail, "no secret value", "byok rotate 'Acme Hiveku'"}},
		{"secret empty", func(c *Config) { c.Secret = "" }, CheckSecret, want{Fail, "no secret value", PortalSecretsPath}},
		{"secret id", func(c *Config) { c.Secret = Secret(valOther) }, CheckSecret, want{Fail, "Secret ID", "Value column"}},
		{"secret id then rotate", func(c *Config) { c.Secret = Secret(valOther) }, CheckSecret, want{Fail, "Secret ID", "GUID that only names it; then run byok rotate"}},
		{"expiry ok", func(c *Config) {}, CheckExpiry, want{Pass, "expires in 365 days on 2027-11-27", ""}},
		{"expiry soon", func(c *Config) { c.SecretInfo.Expires = now.Add(10*24*time.Hour + time.Hour) }, CheckExpiry, want{Warn, "expires in 10 days", "before 2026-12-07"}},
		{"expiry tomorrow", func(c *Config) { c.SecretInfo.Expires = now.Add(36 * time.Hour) }, CheckExpiry, want{Warn, "expires in 1 day on", "byok rotate"}},
		{"expired", func(c *Config) { c.SecretInfo.Expires = now.Add(-time.Hour) }, CheckExpiry, want{Fail, "expired on 2026-11-27; Microsoft will answer AADSTS7000222", "New client secret"}},
		{"expires now", func(c *Config) { c.SecretInfo.Expires = now }, CheckExpiry, want{Fail, "AADSTS7000222", ""}},
		{"expiry unknown", func(c *Config) { c.SecretInfo.Expires = time.Time{} }, CheckExpiry, want{Warn, "unknown", "Expires column"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ok()
			tt.edit(&c)
			checks := OfflineChecks(c, now)
			ids := []string{CheckRedirect, CheckScopes, CheckAudience, CheckSecret, CheckExpiry}
			if len(checks) != len(ids) {
				t.Fatalf("OfflineChecks() returned %d checks, want %d", len(checks), len(ids))
			}
			var got Check
			for i, ck := range checks {
				if ck.ID != ids[i] {
					t.Errorf("check %d ID = %q, want %q", i, ck.ID, ids[i])
				}
				if ck.ID == tt.id {
					got = ck
				}
				if ck.Detail == "" || strings.Contains(ck.Detail, "\n") {
					t.Errorf("check %s Detail = %q: want one non-empty line", ck.ID, ck.Detail)
				}
				if ck.Status != Pass && ck.Fix == "" {
					t.Errorf("check %s is %s without a Fix", ck.ID, ck.Status)
				}
				if ck.Status == Pass && ck.Fix != "" {
					t.Errorf("check %s passed with Fix %q", ck.ID, ck.Fix)
				}
			}
			if got.Status != tt.want.status {
				t.Errorf("%s Status = %s, want %s (%s)", tt.id, got.Status, tt.want.status, got.Detail)
			}
			if !strings.Contains(got.Detail, tt.want.detail) {
				t.Errorf("%s Detail = %q, want it to contain %q", tt.id, got.Detail, tt.want.detail)
			}
			if !strings.Contains(got.Fix, tt.want.fix) {
				t.Errorf("%s Fix = %q, want it to contain %q", tt.id, got.Fix, tt.want.fix)
			}
			if s := fmt.Sprintf("%+v", checks); strings.Contains(s, valSecret) {
				t.Error("checks contain the secret value")
			}
		})
	}
}

func TestFailFrom(t *testing.T) {
	tests := []struct {
		name    string
		err     error
		detail  string
		fixWant string
	}{
		{"plain", fmt.Errorf("boom"), "boom", "see somewhere"},
		{"no fix", Invalid("f", "bad"), "f: bad", "see somewhere"},
		{"fix names place", Invalid("f", "bad").WithFix("go to somewhere"), "f: bad", "go to somewhere"},
		{"fix without place", Invalid("f", "bad").WithFix("do x"), "f: bad", "do x (somewhere)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ck := failFrom(Check{ID: "x"}, tt.err, "somewhere")
			if ck.Status != Fail || ck.Detail != tt.detail || ck.Fix != tt.fixWant {
				t.Errorf("failFrom() = %+v, want detail %q fix %q", ck, tt.detail, tt.fixWant)
			}
		})
	}
}

func TestShellArg(t *testing.T) {
	tests := []struct{ in, want string }{
		{"acme-prod_1.x", "acme-prod_1.x"},
		{"Acme Hiveku", "'Acme Hiveku'"},
		{"it's", `'it'\''s'`},
		{"", "''"},
	}
	for _, tt := range tests {
		if got := shellArg(tt.in); got != tt.want {
			t.Errorf("shellArg(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestPlural(t *testing.T) {
	tests := []struct {
		n          int
		unit, want string
	}{
		{1, "day", "1 day"}, {0, "day", "0 days"}, {2, "slash", "2 slashes"}, {3, "pass", "3 passes"},
	}
	for _, tt := range tests {
		if got := plural(tt.n, tt.unit); got != tt.want {
			t.Errorf("plural(%d, %q) = %q, want %q", tt.n, tt.unit, got, tt.want)
		}
	}
}

// Issue 11, keys: a secret sealed with another key was reported as "no
// secret value is stored"; it is stored, and the fix is the old key.
func TestOfflineSecretUnreadable(t *testing.T) {
	c := Config{Name: "Acme", SecretInfo: SecretInfo{Hint: "abC", Missing: true, Unreadable: true}}
	ck := checkSecret(c)
	if ck.Status != Fail || !strings.Contains(ck.Detail, "is stored but the current key cannot open it") ||
		!strings.Contains(ck.Fix, "BYOK_KEY") {
		t.Errorf("check = %+v", ck)
	}
}
