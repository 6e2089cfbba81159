package cmd

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/hiveku/byok/flow"
)

const importAppFixture = "testdata/az-ad-app-show.json"

func TestImportAppFromAzAdAppShow(t *testing.T) {
	f, stdout, stderr := newTestFactory(t)
	f.IO.In = strings.NewReader("Fx7~abcdefghijklmnopqrstuvwxyz0123456\n")
	code := runCmd(t, f, "import", "--app", importAppFixture, "--directory-id", setupDirectoryID, "--secret-stdin")
	if code != 0 {
		t.Fatalf("exit = %d, stderr %s", code, stderr)
	}
	c, err := testStore(t, f).FindConfig(context.Background(), "Acme Hiveku")
	if err != nil {
		t.Fatal(err)
	}
	if c.AccountType != flow.MultiTenantPersonal || c.Tenant != "common" || c.ClientID != "11111111-2222-3333-4444-555555555555" ||
		c.DirectoryID != setupDirectoryID || c.RedirectURI != flow.HivekuRedirectURI || !c.Loopback {
		t.Errorf("config = %+v", c)
	}
	if strings.Join(c.Scopes, " ") != "offline_access Mail.ReadWrite Mail.Send Calendars.ReadWrite User.Read" {
		t.Errorf("scopes = %v", c.Scopes)
	}
	// The secret's metadata comes from the credential its hint matches,
	// not from the older one.
	if c.SecretInfo.Description != "Hiveku prod" || c.SecretInfo.Hint != "Fx7…" || c.SecretInfo.Expires.Format("2006-01-02") != "2028-11-27" || c.SecretInfo.Missing {
		t.Errorf("secret info = %+v", c.SecretInfo)
	}
	out := stdout.String()
	for _, want := range []string{"Imported \"Acme Hiveku\"", "application permission (app roles) left out", "✓ redirect-uri", "No problems found."} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out+stderr.String(), "abcdefghijklmnop") {
		t.Error("the secret value reached the output")
	}
}

func TestImportAppWithoutSecretNeedsOne(t *testing.T) {
	f, stdout, stderr := newTestFactory(t)
	data, _ := os.ReadFile(importAppFixture)
	f.IO.In = strings.NewReader(string(data))
	if code := runCmd(t, f, "import", "--app", "-", "--name", "From Stdin", "--directory-id", setupDirectoryID); code != 0 {
		t.Fatalf("exit = %d, stderr %s", code, stderr)
	}
	c, err := testStore(t, f).FindConfig(context.Background(), "From Stdin")
	if err != nil || !c.SecretInfo.Missing || c.SecretInfo.Hint != "Fx7…" {
		t.Errorf("config %+v, %v: want a config needing a secret, described by the newest one", c.SecretInfo, err)
	}
	if !strings.Contains(stdout.String(), "byok rotate 'From Stdin'") {
		t.Errorf("no rotate hint:\n%s", stdout)
	}
}

func TestImportAppRefusesAndStoresNothing(t *testing.T) {
	good, err := os.ReadFile(importAppFixture)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, json, secret, field string
		args                      []string
	}{
		{"wrong secret", string(good), "Zzz~abcdefghijklmnopqrstuvwxyz0123456", "secret value", nil},
		{"no directory", string(good), "", "--directory-id", []string{"--directory-id", ""}},
		{"bad app id", strings.Replace(string(good), `"appId": "11111111-2222-3333-4444-555555555555"`, `"appId": "1111-not-a-guid"`, 1), "", "client ID", nil},
		{"escape in name", strings.Replace(string(good), `"displayName": "Acme Hiveku"`, `"displayName": "Acme\u001b[2J Hiveku"`, 1), "", "name", nil},
		{"unknown audience", strings.Replace(string(good), `"AzureADandPersonalMicrosoftAccount"`, `"AzureADEverything"`, 1), "", "", nil},
		{"not json", "{nope", "", "app", nil},
		{"a bundle, not an app", `{"format":"byok-bundle","version":1}`, "", "app", nil},
		{"directory equals app id", string(good), "", "directory ID", []string{"--directory-id", "11111111-2222-3333-4444-555555555555"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, stdout, stderr := newTestFactory(t)
			path := t.TempDir() + "/app.json"
			if err := os.WriteFile(path, []byte(tt.json), 0o600); err != nil {
				t.Fatal(err)
			}
			args := []string{"import", "--app", path, "--directory-id", setupDirectoryID}
			args = append(args, tt.args...)
			if tt.secret != "" {
				f.IO.In = strings.NewReader(tt.secret)
				args = append(args, "--secret-stdin")
			}
			if code := runCmd(t, f, args...); code != 2 {
				t.Fatalf("exit = %d, want 2; stderr %s", code, stderr)
			}
			if tt.field != "" && !strings.Contains(stderr.String(), "byok: "+tt.field+":") {
				t.Errorf("stderr %q does not name field %q", stderr, tt.field)
			}
			if strings.ContainsRune(stderr.String(), 0x1b) || stdout.Len() != 0 {
				t.Errorf("stdout %q, stderr %q", stdout, stderr)
			}
			if _, err := os.Stat(testDBPath(t, f)); err == nil {
				if all, _ := testStore(t, f).ListConfigs(context.Background()); len(all) != 0 {
					t.Errorf("stored %d configs after a refusal", len(all))
				}
			}
		})
	}
}

func TestImportAppUsage(t *testing.T) {
	f, _, stderr := newTestFactory(t)
	if code := runCmd(t, f, "import", "bundle.json", "--app", importAppFixture); code != 2 || !strings.Contains(stderr.String(), "give no bundle FILE") {
		t.Errorf("exit = %d, stderr %q", code, stderr)
	}
	stderr.Reset()
	if code := runCmd(t, f, "import", "--app", "-", "--secret-stdin", "--directory-id", setupDirectoryID); code != 2 || !strings.Contains(stderr.String(), "--secret-stdin") {
		t.Errorf("exit = %d, stderr %q", code, stderr)
	}
}
