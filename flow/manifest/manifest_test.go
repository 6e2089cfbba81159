package manifest_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/manifest"
)

var now = time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC)

// catalog is the part of the Graph delegated permission catalog the tests
// need (IDs from microsoft-identity.md §7).
var catalog = []flow.Permission{
	{Name: "offline_access", ID: "7427e0e9-2fba-42fe-b0c0-848c9e6a8182"},
	{Name: "User.Read", ID: "e1fe6dd8-ba31-4d61-89e7-88639da4683d"},
	{Name: "Mail.Read", ID: "570282fd-fa5c-430d-a7fd-fc8dc98a9dca", Mail: true},
	{Name: "Mail.ReadWrite", ID: "024d486e-b451-40bb-833d-3e66d98c5c73", Mail: true},
	{Name: "Mail.Send", ID: "e383f46e-2787-4529-855e-0e479a3ffac0", Mail: true},
	{Name: "Calendars.ReadWrite", ID: "1ec239c2-d7c9-4623-a91a-a9775856bb36", Calendar: true},
}

func testConfig() flow.Config {
	return flow.Config{
		Name:        "Acme Hiveku",
		AccountType: flow.MultiTenantPersonal,
		RedirectURI: flow.HivekuRedirectURI,
		Loopback:    true,
		Scopes:      []string{"offline_access", "Mail.ReadWrite", "Mail.Send", "Calendars.ReadWrite"},
		ClientID:    "11111111-2222-3333-4444-555555555555",
		DirectoryID: "66666666-7777-8888-9999-000000000000",
		Tenant:      "common",
		SecretInfo:  flow.SecretInfo{Description: "Hiveku prod", Hint: "Fx7…", Expires: now.AddDate(2, 0, 0)},
	}
}

func mustParseFile(tb testing.TB, name string) *manifest.Manifest {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	m, err := manifest.Parse(data)
	if err != nil {
		tb.Fatalf("Parse(%s) = %v", name, err)
	}
	return m
}

func TestParseFormats(t *testing.T) {
	tests := []struct {
		file     string
		format   manifest.Format
		audience flow.AccountType
		derived  bool
		web      int
		secrets  int
		public   bool
	}{
		{"graph-good.json", manifest.FormatGraph, flow.MultiTenantPersonal, false, 2, 1, false},
		{"graph-broken.json", manifest.FormatGraph, flow.SingleTenant, false, 0, 1, true},
		{"aad-good.json", manifest.FormatAADGraph, flow.MultiTenantPersonal, false, 2, 1, false},
		{"aad-broken.json", manifest.FormatAADGraph, flow.SingleTenant, true, 1, 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			m := mustParseFile(t, tt.file)
			if m.Format != tt.format {
				t.Errorf("Format = %v, want %v", m.Format, tt.format)
			}
			if m.Audience != tt.audience || m.AudienceDerived != tt.derived {
				t.Errorf("Audience = %v (derived %v), want %v (%v)", m.Audience, m.AudienceDerived, tt.audience, tt.derived)
			}
			if got := len(m.RedirectsOn(manifest.Web)); got != tt.web {
				t.Errorf("Web redirects = %d, want %d", got, tt.web)
			}
			if len(m.Passwords) != tt.secrets {
				t.Errorf("Passwords = %d, want %d", len(m.Passwords), tt.secrets)
			}
			if m.FallbackPublicClient != tt.public {
				t.Errorf("FallbackPublicClient = %v, want %v", m.FallbackPublicClient, tt.public)
			}
			if m.DisplayName != "Acme Hiveku" {
				t.Errorf("DisplayName = %q", m.DisplayName)
			}
			if m.Passwords[0].End.IsZero() {
				t.Errorf("secret end date not parsed")
			}
		})
	}
}

func TestParseRejects(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", " \n", "empty"},
		{"not json", "appId: 123", "not valid JSON (line 1"},
		{"array", `[{"appId":"x"}]`, "not an app manifest object"},
		{"null", `null`, "null"},
		{"other json", `{"hello":"world"}`, "none of the fields"},
		{"truncated", `{"appId":"11111111-2222-3333-4444-555555555555","web":{"redirectUris":[`, "ends in the middle"},
		{"wrong type", `{"appId":"x","web":{"redirectUris":"https://a"}}`, "web.redirectUris"},
		{"bad date", `{"appId":"x","displayName":"a","passwordCredentials":[{"endDateTime":"next year"}]}`, "endDateTime"},
		{"bad legacy date", `{"appId":"x","name":"a","passwordCredentials":[{"endDate":"soon"}]}`, "endDate"},
		{"huge", `{"appId":"` + strings.Repeat("a", manifest.MaxSize) + `"}`, "bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := manifest.Parse([]byte(tt.in))
			var fe *flow.Error
			if !errors.As(err, &fe) || fe.Code != flow.EINVALID || fe.Field != "manifest" {
				t.Fatalf("Parse() error = %v, want EINVALID on field manifest", err)
			}
			if !strings.Contains(fe.Message, tt.want) {
				t.Errorf("message = %q, want it to contain %q", fe.Message, tt.want)
			}
			if fe.Fix == "" {
				t.Errorf("no fix")
			}
		})
	}
}

func TestParseBOM(t *testing.T) {
	m, err := manifest.Parse([]byte("\xef\xbb\xbf{\"appId\":\"11111111-2222-3333-4444-555555555555\",\"replyUrls\":[\"https://x\"]}"))
	if err != nil {
		t.Fatal(err)
	}
	if m.Format != manifest.FormatAADGraph || len(m.RedirectsOn(manifest.Web)) != 1 {
		t.Errorf("got %+v", m)
	}
}

func byID(r manifest.Report) map[string]flow.Check {
	out := map[string]flow.Check{}
	for _, c := range r.Checks {
		out[c.ID] = c
	}
	return out
}

func TestAuditGood(t *testing.T) {
	for _, file := range []string{"graph-good.json", "aad-good.json"} {
		t.Run(file, func(t *testing.T) {
			cfg := testConfig()
			r := manifest.Audit(mustParseFile(t, file), manifest.Options{Config: &cfg, Catalog: catalog, Now: now})
			if len(r.Checks) != 6 {
				t.Fatalf("got %d checks, want 6", len(r.Checks))
			}
			for _, c := range r.Checks {
				if c.Status != flow.Pass {
					t.Errorf("%s = %s (%s), want pass", c.ID, c.Status, c.Detail)
				}
			}
			if r.Failed() || len(r.Problems()) != 0 {
				t.Errorf("Failed() = %v, Problems() = %v", r.Failed(), r.Problems())
			}
		})
	}
}

func TestAuditBroken(t *testing.T) {
	type want struct {
		status flow.Status
		code   int
		detail string
	}
	tests := []struct {
		file   string
		checks map[string]want
	}{
		{"graph-broken.json", map[string]want{
			manifest.CheckAppID:        {flow.Pass, 0, "matches"},
			manifest.CheckRedirect:     {flow.Fail, 9002327, "Single-page application"},
			manifest.CheckAudience:     {flow.Fail, 0, "the app accepts single"},
			manifest.CheckPermissions:  {flow.Fail, 0, "offline_access is missing"},
			manifest.CheckSecrets:      {flow.Fail, 7000222, "expired 2026-05-20"},
			manifest.CheckPublicClient: {flow.Warn, 0, "Allow public client flows"},
		}},
		{"aad-broken.json", map[string]want{
			manifest.CheckAppID:        {flow.Fail, 700016, "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"},
			manifest.CheckRedirect:     {flow.Fail, 700025, "Mobile and desktop"},
			manifest.CheckAudience:     {flow.Fail, 0, "derived from availableToOtherTenants"},
			manifest.CheckPermissions:  {flow.Fail, 0, "missing delegated permissions: Mail.ReadWrite, Mail.Send, Calendars.ReadWrite"},
			manifest.CheckSecrets:      {flow.Warn, 0, "(12 days)"},
			manifest.CheckPublicClient: {flow.Pass, 0, ""},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			cfg := testConfig()
			r := manifest.Audit(mustParseFile(t, tt.file), manifest.Options{Config: &cfg, Catalog: catalog, Now: now})
			got := byID(r)
			for id, w := range tt.checks {
				c := got[id]
				if c.Status != w.status || c.Code != w.code || !strings.Contains(c.Detail, w.detail) {
					t.Errorf("%s = %s %d %q, want %s %d containing %q", id, c.Status, c.Code, c.Detail, w.status, w.code, w.detail)
				}
				if (c.Status == flow.Fail || c.Status == flow.Warn) && c.Fix == "" {
					t.Errorf("%s has no fix", id)
				}
			}
			if !r.Failed() {
				t.Error("Failed() = false")
			}
		})
	}
}

// mutate parses graph-good.json, applies f and audits the result.
func mutate(t *testing.T, f func(m *manifest.Manifest), cfgf func(c *flow.Config)) map[string]flow.Check {
	t.Helper()
	m := mustParseFile(t, "graph-good.json")
	f(m)
	cfg := testConfig()
	if cfgf != nil {
		cfgf(&cfg)
	}
	return byID(manifest.Audit(m, manifest.Options{Config: &cfg, Catalog: catalog, Now: now}))
}

func TestAuditCases(t *testing.T) {
	tests := []struct {
		name   string
		m      func(m *manifest.Manifest)
		cfg    func(c *flow.Config)
		id     string
		status flow.Status
		code   int
		detail string
	}{
		{"typo in redirect", func(m *manifest.Manifest) {
			m.Redirects = []manifest.Redirect{{URL: "https://app.hiveku.com/api/oauth/microsoft/calback", Platform: manifest.Web}}
		}, nil, manifest.CheckRedirect, flow.Fail, 50011, "closest is https://app.hiveku.com/api/oauth/microsoft/calback on Web"},
		{"also on SPA", func(m *manifest.Manifest) {
			m.Redirects = append(m.Redirects, manifest.Redirect{URL: flow.HivekuRedirectURI, Platform: manifest.SPA})
		}, nil, manifest.CheckRedirect, flow.Warn, 0, "also on another platform"},
		{"no redirect", func(m *manifest.Manifest) { m.Redirects = nil }, nil, manifest.CheckRedirect, flow.Fail, 500113, "no redirect URI"},
		{"unrelated redirect", func(m *manifest.Manifest) {
			m.Redirects = []manifest.Redirect{{URL: "https://example.org/", Platform: manifest.Web}}
		}, nil, manifest.CheckRedirect, flow.Fail, 50011, "is not registered"},
		{"loopback missing", func(m *manifest.Manifest) { m.Redirects = m.Redirects[:1] }, nil, manifest.CheckRedirect, flow.Warn, 0, "http://localhost is not"},
		{"loopback with port", func(m *manifest.Manifest) { m.Redirects[1].URL = "http://localhost:8400/" }, nil, manifest.CheckRedirect, flow.Pass, 0, ""},
		{"loopback not wanted", func(m *manifest.Manifest) { m.Redirects = m.Redirects[:1] }, func(c *flow.Config) { c.Loopback = false }, manifest.CheckRedirect, flow.Pass, 0, ""},
		{"custom redirect", func(m *manifest.Manifest) { m.Redirects[0].URL = "https://staging.hiveku.com/cb" }, func(c *flow.Config) {
			c.RedirectURI, c.CustomRedirect = "https://staging.hiveku.com/cb", true
		}, manifest.CheckRedirect, flow.Pass, 0, "staging"},
		{"no audience", func(m *manifest.Manifest) { m.Audience = "" }, nil, manifest.CheckAudience, flow.Fail, 0, "no signInAudience"},
		{"bogus audience", func(m *manifest.Manifest) { m.Audience = "AzureADAndMicrosoftAccounts" }, nil, manifest.CheckAudience, flow.Fail, 0, "not one of"},
		{"token version", func(m *manifest.Manifest) { m.TokenVersion = 0 }, nil, manifest.CheckAudience, flow.Warn, 0, "requestedAccessTokenVersion"},
		{"no graph", func(m *manifest.Manifest) { m.Resources = nil }, nil, manifest.CheckPermissions, flow.Fail, 0, "no Microsoft Graph"},
		{"role is not scope", func(m *manifest.Manifest) {
			m.Resources[0].Access[2].Type = "Role"
		}, nil, manifest.CheckPermissions, flow.Fail, 0, "Mail.Send"},
		{"unknown scope", nil, func(c *flow.Config) { c.Scopes = append(c.Scopes, "Tasks.ReadWrite") }, manifest.CheckPermissions, flow.Warn, 0, "Tasks.ReadWrite"},
		{"no secret", func(m *manifest.Manifest) { m.Passwords = nil }, nil, manifest.CheckSecrets, flow.Fail, 7000218, "no client secret"},
		{"secret deleted", func(m *manifest.Manifest) { m.Passwords[0].Hint = "zzz" }, nil, manifest.CheckSecrets, flow.Fail, 7000215, "starts with Fx7"},
		{"old expired one too", func(m *manifest.Manifest) {
			m.Passwords = append(m.Passwords, manifest.Credential{Hint: "old", End: now.AddDate(0, -1, 0)})
		}, nil, manifest.CheckSecrets, flow.Pass, 0, "1 expired secret(s) can be deleted"},
		{"three secrets personal", func(m *manifest.Manifest) {
			m.Passwords = append(m.Passwords, manifest.Credential{Hint: "a"}, manifest.Credential{Hint: "b"})
		}, nil, manifest.CheckSecrets, flow.Warn, 0, "at most 2"},
		{"no hint in manifest", func(m *manifest.Manifest) {
			m.Passwords = []manifest.Credential{{DisplayName: "x", End: now.AddDate(0, 0, 10)}, {DisplayName: "y", End: now.AddDate(1, 0, 0)}}
		}, nil, manifest.CheckSecrets, flow.Pass, 0, "y, expires"},
		{"no appId", func(m *manifest.Manifest) { m.AppID = "" }, nil, manifest.CheckAppID, flow.Fail, 0, "no appId"},
		{"app id case", func(m *manifest.Manifest) { m.AppID = strings.ToUpper(m.AppID) }, nil, manifest.CheckAppID, flow.Pass, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mf := tt.m
			if mf == nil {
				mf = func(*manifest.Manifest) {}
			}
			c := mutate(t, mf, tt.cfg)[tt.id]
			if c.Status != tt.status || c.Code != tt.code || !strings.Contains(c.Detail, tt.detail) {
				t.Errorf("%s = %s %d %q, want %s %d containing %q", tt.id, c.Status, c.Code, c.Detail, tt.status, tt.code, tt.detail)
			}
		})
	}
}

func TestAuditTenantMismatch(t *testing.T) {
	if _, err := flow.ValidateTenant("common", flow.SingleTenant, "66666666-7777-8888-9999-000000000000"); err == nil {
		t.Skip("flow.ValidateTenant does not reject single tenant + common yet")
	}
	c := mutate(t, func(m *manifest.Manifest) { m.Audience = flow.SingleTenant }, func(c *flow.Config) { c.AccountType = flow.SingleTenant })[manifest.CheckAudience]
	if c.Status != flow.Fail || !strings.Contains(c.Detail, `tenant "common"`) {
		t.Errorf("audience = %s %q, want fail naming the tenant", c.Status, c.Detail)
	}
}

func TestAuditWithoutConfig(t *testing.T) {
	r := manifest.Audit(mustParseFile(t, "graph-good.json"), manifest.Options{Catalog: catalog, Now: now})
	got := byID(r)
	if got[manifest.CheckAppID].Status != flow.Skip {
		t.Errorf("app-id = %v, want skip", got[manifest.CheckAppID])
	}
	if r.Failed() {
		t.Errorf("Failed() with a good manifest: %+v", r.Problems())
	}
	// Without a config the mail requirement still applies.
	m := mustParseFile(t, "graph-good.json")
	m.Resources[0].Access = m.Resources[0].Access[:1]
	if c := byID(manifest.Audit(m, manifest.Options{Catalog: catalog, Now: now}))[manifest.CheckPermissions]; c.Status != flow.Fail || !strings.Contains(c.Detail, "no mail permission") {
		t.Errorf("permissions = %+v, want fail for no mail permission", c)
	}
	// Without a catalog the permission check is skipped, not passed.
	if c := byID(manifest.Audit(m, manifest.Options{Now: now}))[manifest.CheckPermissions]; c.Status != flow.Skip {
		t.Errorf("permissions without catalog = %v, want skip", c.Status)
	}
}

func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.json")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{"", "{}", "null", "[]", `{"appId":1}`, `{"replyUrlsWithType":[{"url":null}]}`, `{"web":{"redirectUris":[null]}}`, `{"passwordCredentials":[{"endDateTime":"2026-13-40"}]}`} {
		f.Add([]byte(s))
	}
	cfg := testConfig()
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := manifest.Parse(data)
		if err != nil {
			var fe *flow.Error
			if !errors.As(err, &fe) || fe.Code != flow.EINVALID {
				t.Fatalf("Parse() error %v is not EINVALID", err)
			}
			return
		}
		r := manifest.Audit(m, manifest.Options{Config: &cfg, Catalog: catalog, Now: now})
		if len(r.Checks) != 6 {
			t.Fatalf("Audit returned %d checks", len(r.Checks))
		}
		for _, c := range r.Checks {
			if c.Status != flow.Pass && c.Status != flow.Fail && c.Status != flow.Warn && c.Status != flow.Skip {
				t.Fatalf("check %s has status %q", c.ID, c.Status)
			}
		}
	})
}
