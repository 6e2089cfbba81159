package script_test

import (
	"errors"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/manifest"
	"github.com/hiveku/byok/flow/script"
)

var now = time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC)

const fixtureSecret = "Fx7~Q.abcdefghijklmnopqrstuvwxyz0123456789"

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
		Name:        "Acme's Hiveku",
		AccountType: flow.MultiTenantPersonal,
		RedirectURI: flow.HivekuRedirectURI,
		Loopback:    true,
		Scopes:      []string{"offline_access", "Mail.ReadWrite", "Mail.Send", "Calendars.ReadWrite"},
		ClientID:    "11111111-2222-3333-4444-555555555555",
		DirectoryID: "66666666-7777-8888-9999-000000000000",
		Tenant:      "common",
		Secret:      flow.Secret(fixtureSecret),
		SecretInfo:  flow.SecretInfo{Description: "Hiveku prod", Hint: "Fx7…", Expires: time.Date(2028, 11, 27, 0, 0, 0, 0, time.UTC)},
	}
}

func opts() script.Options { return script.Options{Catalog: catalog, Now: now, Version: "1.2.3"} }

func TestParseFormat(t *testing.T) {
	tests := []struct {
		in   string
		want script.Format
		ok   bool
	}{
		{"az", script.AzureCLI, true},
		{"AZ", script.AzureCLI, true},
		{"pwsh", script.PowerShell, true},
		{"powershell", script.PowerShell, true},
		{" manifest ", script.Manifest, true},
		{"", "", false},
		{"terraform", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := script.ParseFormat(tt.in)
			if got != tt.want || (err == nil) != tt.ok {
				t.Fatalf("ParseFormat(%q) = %q, %v; want %q, ok=%v", tt.in, got, err, tt.want, tt.ok)
			}
			if err != nil {
				var fe *flow.Error
				if !errors.As(err, &fe) || fe.Field != "format" || fe.Fix == "" {
					t.Errorf("error %v does not name the format field with a fix", err)
				}
			}
		})
	}
}

func mustGenerate(t *testing.T, c flow.Config, f script.Format) string {
	t.Helper()
	out, err := script.Generate(c, f, opts())
	if err != nil {
		t.Fatalf("Generate(%s) = %v", f, err)
	}
	if strings.Contains(out, fixtureSecret) {
		t.Fatalf("Generate(%s) output contains the secret value", f)
	}
	return out
}

func wantLines(t *testing.T, out string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q\n%s", w, out)
		}
	}
}

func TestAzure(t *testing.T) {
	out := mustGenerate(t, testConfig(), script.AzureCLI)
	wantLines(t, out,
		"set -euo pipefail",
		`--display-name 'Acme'\''s Hiveku'`,
		"--sign-in-audience AzureADMyOrg",
		"--web-redirect-uris https://app.hiveku.com/api/oauth/microsoft/callback http://localhost",
		`az ad app update --id "$app_id" --set api.requestedAccessTokenVersion=2`,
		`az ad app update --id "$app_id" --sign-in-audience AzureADandPersonalMicrosoftAccount`,
		"--api 00000003-0000-0000-c000-000000000000",
		"--api-permissions 7427e0e9-2fba-42fe-b0c0-848c9e6a8182=Scope 024d486e-b451-40bb-833d-3e66d98c5c73=Scope e383f46e-2787-4529-855e-0e479a3ffac0=Scope 1ec239c2-d7c9-4623-a91a-a9775856bb36=Scope e1fe6dd8-ba31-4d61-89e7-88639da4683d=Scope",
		`az ad sp create --id "$app_id"`,
		`az ad app credential reset --id "$app_id" --append`,
		"--display-name 'Hiveku prod'",
		"--end-date 2028-11-27",
		"byok 1.2.3 on 2026-11-27",
	)
	// User.Read is added as the portal does (verify reads /me with it);
	// nothing else beyond the config's scopes.
	if strings.Count(out, "=Scope") != 5 {
		t.Errorf("az output requests %d permissions, want the config's 4 plus User.Read", strings.Count(out, "=Scope"))
	}
	if _, err := exec.LookPath("bash"); err == nil {
		cmd := exec.Command("bash", "-n")
		cmd.Stdin = strings.NewReader(out)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("bash -n: %v\n%s", err, b)
		}
	}
}

func TestAzureAudiences(t *testing.T) {
	tests := []struct {
		at      flow.AccountType
		create  string
		updates bool
	}{
		{flow.SingleTenant, "AzureADMyOrg", false},
		{flow.MultiTenant, "AzureADMultipleOrgs", false},
		{flow.MultiTenantPersonal, "AzureADMyOrg", true},
		{flow.PersonalOnly, "AzureADMyOrg", true},
	}
	for _, tt := range tests {
		t.Run(string(tt.at), func(t *testing.T) {
			c := testConfig()
			c.AccountType = tt.at
			c.Loopback = false
			out := mustGenerate(t, c, script.AzureCLI)
			wantLines(t, out, "--sign-in-audience "+tt.create+" \\", "--web-redirect-uris https://app.hiveku.com/api/oauth/microsoft/callback \\")
			if got := strings.Contains(out, "requestedAccessTokenVersion=2"); got != tt.updates {
				t.Errorf("token version update = %v, want %v", got, tt.updates)
			}
			if tt.updates && !strings.Contains(out, "--sign-in-audience "+string(tt.at)+"\n") {
				t.Errorf("audience %s not set after creation", tt.at)
			}
		})
	}
}

func TestPowerShell(t *testing.T) {
	out := mustGenerate(t, testConfig(), script.PowerShell)
	wantLines(t, out,
		"Connect-MgGraph -Scopes 'Application.ReadWrite.All'",
		"New-MgApplication -DisplayName 'Acme''s Hiveku' `",
		"-SignInAudience 'AzureADandPersonalMicrosoftAccount' `",
		"-Api @{ RequestedAccessTokenVersion = 2 } `",
		"-Web @{ RedirectUris = @('https://app.hiveku.com/api/oauth/microsoft/callback', 'http://localhost') } `",
		"ResourceAppId  = '00000003-0000-0000-c000-000000000000'",
		"@{ Id = '7427e0e9-2fba-42fe-b0c0-848c9e6a8182'; Type = 'Scope' } # offline_access",
		"@{ Id = '024d486e-b451-40bb-833d-3e66d98c5c73'; Type = 'Scope' } # Mail.ReadWrite",
		"@{ Id = 'e383f46e-2787-4529-855e-0e479a3ffac0'; Type = 'Scope' } # Mail.Send",
		"@{ Id = '1ec239c2-d7c9-4623-a91a-a9775856bb36'; Type = 'Scope' } # Calendars.ReadWrite",
		"New-MgServicePrincipal -AppId $app.AppId",
		"Add-MgApplicationPassword -ApplicationId $app.Id",
		"DisplayName = 'Hiveku prod'",
		"EndDateTime = [datetime]::Parse('2028-11-27T00:00:00Z')",
	)
}

func TestDefaultExpiry(t *testing.T) {
	c := testConfig()
	c.SecretInfo.Expires = now.AddDate(0, -1, 0) // already expired: a new secret gets the default
	out := mustGenerate(t, c, script.AzureCLI)
	wantLines(t, out, "--end-date 2028-11-27")
	c.SecretInfo.Expires = time.Time{}
	c.SecretInfo.Description = ""
	out = mustGenerate(t, c, script.PowerShell)
	wantLines(t, out, "EndDateTime = [datetime]::Parse('2028-11-27T06:00:00Z')", "DisplayName = 'Hiveku prod'")
}

// TestManifestAuditsClean is the acceptance test: auditing the
// generated manifest against the config reports no problem.
func TestManifestAuditsClean(t *testing.T) {
	for _, at := range flow.AccountTypes {
		for _, loopback := range []bool{false, true} {
			name := string(at)
			if loopback {
				name += "+loopback"
			}
			t.Run(name, func(t *testing.T) {
				c := testConfig()
				c.AccountType, c.Loopback = at, loopback
				switch at {
				case flow.SingleTenant:
					c.Tenant = c.DirectoryID
				case flow.MultiTenant:
					c.Tenant = "organizations"
				case flow.PersonalOnly:
					c.Tenant = "consumers"
				}
				out := mustGenerate(t, c, script.Manifest)
				m, err := manifest.Parse([]byte(out))
				if err != nil {
					t.Fatalf("Parse(generated) = %v\n%s", err, out)
				}
				if m.Format != manifest.FormatGraph {
					t.Errorf("format = %s, want Microsoft Graph", m.Format)
				}
				r := manifest.Audit(m, manifest.Options{Config: &c, Catalog: catalog, Now: now})
				for _, ch := range r.Checks {
					if ch.Status != flow.Pass {
						t.Errorf("%s = %s: %s", ch.ID, ch.Status, ch.Detail)
					}
				}
			})
		}
	}
}

func TestGenerateRejects(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(c *flow.Config)
		f     script.Format
		field string
	}{
		{"unknown scope", func(c *flow.Config) { c.Scopes = append(c.Scopes, "Tasks.Fly") }, script.AzureCLI, "scopes"},
		{"no scopes", func(c *flow.Config) { c.Scopes = nil }, script.PowerShell, "scopes"},
		{"no name", func(c *flow.Config) { c.Name = " " }, script.Manifest, "name"},
		{"bad audience", func(c *flow.Config) { c.AccountType = "Everyone" }, script.AzureCLI, "account type"},
		{"bad format", func(c *flow.Config) {}, script.Format("yaml"), "format"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := testConfig()
			tt.edit(&c)
			_, err := script.Generate(c, tt.f, opts())
			var fe *flow.Error
			if !errors.As(err, &fe) || fe.Code != flow.EINVALID || fe.Field != tt.field {
				t.Fatalf("Generate() = %v, want EINVALID on %q", err, tt.field)
			}
		})
	}
}

func TestQuotingHostileNames(t *testing.T) {
	c := testConfig()
	c.Name = `-x $(rm -rf ~) "q" 'a' ‘b’`
	c.SecretInfo.Description = "it's; `whoami`"
	az := mustGenerate(t, c, script.AzureCLI)
	wantLines(t, az, `--display-name '-x $(rm -rf ~) "q" '\''a'\'' ‘b’'`, `--display-name 'it'\''s; `+"`whoami`'")
	if _, err := exec.LookPath("bash"); err == nil {
		cmd := exec.Command("bash", "-n")
		cmd.Stdin = strings.NewReader(az)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("bash -n: %v\n%s", err, b)
		}
	}
	pw := mustGenerate(t, c, script.PowerShell)
	wantLines(t, pw, `-DisplayName '-x $(rm -rf ~) "q" ''a'' ‘‘b’’' `+"`")
}
