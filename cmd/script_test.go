package cmd

import (
	"strings"
	"testing"
)

func TestScriptFormats(t *testing.T) {
	tests := []struct {
		format string
		want   []string
	}{
		{"az", []string{
			"az ad app create",
			"--display-name 'Acme Hiveku'",
			"--web-redirect-uris https://app.hiveku.com/api/oauth/microsoft/callback http://localhost",
			"--set api.requestedAccessTokenVersion=2",
			"--sign-in-audience AzureADandPersonalMicrosoftAccount",
			"--api 00000003-0000-0000-c000-000000000000",
			"7427e0e9-2fba-42fe-b0c0-848c9e6a8182=Scope",
			"024d486e-b451-40bb-833d-3e66d98c5c73=Scope",
			"e383f46e-2787-4529-855e-0e479a3ffac0=Scope",
			"1ec239c2-d7c9-4623-a91a-a9775856bb36=Scope",
			"--append",
			"--end-date 2026-12-17",
		}},
		{"pwsh", []string{
			"New-MgApplication -DisplayName 'Acme Hiveku'",
			"-SignInAudience 'AzureADandPersonalMicrosoftAccount'",
			"@{ Id = '7427e0e9-2fba-42fe-b0c0-848c9e6a8182'; Type = 'Scope' } # offline_access",
			"Add-MgApplicationPassword",
		}},
		{"manifest", []string{
			`"signInAudience": "AzureADandPersonalMicrosoftAccount"`,
			`"id": "e383f46e-2787-4529-855e-0e479a3ffac0"`,
			`"endDateTime": "2026-12-17T09:00:00Z"`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			f, stdout, stderr := newTestFactory(t)
			rotateSave(t, f, rotateFixture())
			if code := runCmd(t, f, "script", "Acme Hiveku", "--format", tt.format); code != 0 {
				t.Fatalf("exit %d\n%s", code, stderr)
			}
			out := stdout.String()
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			if strings.Contains(out, rotateOldSecret) {
				t.Fatal("script output holds the secret value")
			}
		})
	}
}

func TestScriptRejects(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no format", []string{"Acme Hiveku"}, 2, "format: no format given"},
		{"bad format", []string{"Acme Hiveku", "--format", "terraform"}, 2, `"terraform" is not a script format`},
		{"unknown config", []string{"Nope", "--format", "az"}, 1, `no config named "Nope"`},
		{"no name", []string{"--format", "az"}, 2, "missing NAME"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, stdout, stderr := newTestFactory(t)
			rotateSave(t, f, rotateFixture())
			if code := runCmd(t, f, append([]string{"script"}, tt.args...)...); code != tt.code {
				t.Fatalf("exit %d, want %d\n%s", code, tt.code, stderr)
			}
			if !strings.Contains(stderr.String(), tt.want) || stdout.Len() != 0 {
				t.Errorf("stderr lacks %q or stdout not empty:\n%s\n%s", tt.want, stderr, stdout)
			}
		})
	}
}
