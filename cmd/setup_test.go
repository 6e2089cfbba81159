package cmd

import (
	"bytes"
	"context"
	"errors"
	"github.com/hiveku/byok/ui"
	"os"
	"strings"
	"testing"

	"github.com/hiveku/byok/flow"
)

// setupFixtureSecret is the client secret value of the setup fixtures. No
// output, error or database byte may contain it.
const setupFixtureSecret = "abC8Q~fixtureSECRETvalue0123456789abcdefgh"

const (
	setupClientID    = "11111111-2222-3333-4444-555555555555"
	setupDirectoryID = "66666666-7777-8888-9999-000000000000"
)

// setupArgs are the minimal valid non-interactive flags, plus extra.
func setupArgs(extra ...string) []string {
	args := []string{"setup", "--no-input", "--name", "Acme Hiveku",
		"--client-id", setupClientID, "--directory-id", setupDirectoryID, "--secret-stdin"}
	return append(args, extra...)
}

// setupStdin puts s on the factory's standard input.
func setupStdin(f *Factory, s string) { f.IO.In = strings.NewReader(s) }

// setupAssertNothingStored fails unless the store holds no config and no
// draft.
func setupAssertNothingStored(t *testing.T, f *Factory) {
	t.Helper()
	st := testStore(t, f)
	ctx := context.Background()
	if ls, err := st.ListConfigs(ctx); err != nil || len(ls) != 0 {
		t.Errorf("ListConfigs() = %d configs, %v; want none", len(ls), err)
	}
	if ds, err := st.ListDrafts(ctx); err != nil || len(ds) != 0 {
		t.Errorf("ListDrafts() = %d drafts, %v; want none", len(ds), err)
	}
}

func TestNewCmdSetupFlags(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		stdin     string
		tty       bool
		env       map[string]string
		wantCode  int
		check     func(t *testing.T, o *SetupOptions)
		wantError string
	}{
		{
			name: "defaults",
			args: []string{"setup"},
			check: func(t *testing.T, o *SetupOptions) {
				if o.Interactive {
					t.Error("Interactive = true without a terminal")
				}
				if o.AccountType != "multi-personal" || o.RedirectURI != flow.HivekuRedirectURI || o.Scopes != "full" ||
					o.SecretDescription != "Hiveku prod" || o.SecretExpires != "24m" || o.Tenant != "" {
					t.Errorf("defaults = %q %q %q %q %q %q", o.AccountType, o.RedirectURI, o.Scopes, o.SecretDescription, o.SecretExpires, o.Tenant)
				}
			},
		},
		{
			name: "every flag",
			args: []string{"setup", "--no-input", "--name", "N", "--account-type", "single", "--redirect-uri", "https://x.example/cb",
				"--allow-custom-redirect", "--scopes", "read", "--client-id", "C", "--directory-id", "D", "--tenant", "contoso.com",
				"--secret-description", "desc", "--secret-expires", "2027-01-01", "--add-loopback", "--replace", "--accessible"},
			check: func(t *testing.T, o *SetupOptions) {
				got := []string{o.Name, o.AccountType, o.RedirectURI, o.Scopes, o.ClientID, o.DirectoryID, o.Tenant, o.SecretDescription, o.SecretExpires}
				want := []string{"N", "single", "https://x.example/cb", "read", "C", "D", "contoso.com", "desc", "2027-01-01"}
				if strings.Join(got, "|") != strings.Join(want, "|") {
					t.Errorf("strings = %q, want %q", got, want)
				}
				if !o.NoInput || !o.AllowCustomRedirect || !o.AddLoopback || !o.Replace || !o.Accessible {
					t.Errorf("bools = %v %v %v %v %v, want all true", o.NoInput, o.AllowCustomRedirect, o.AddLoopback, o.Replace, o.Accessible)
				}
			},
		},
		{
			name:  "secret from stdin is trimmed",
			args:  []string{"setup", "--secret-stdin"},
			stdin: "  " + setupFixtureSecret + "\r\n",
			check: func(t *testing.T, o *SetupOptions) {
				if o.Secret.Reveal() != setupFixtureSecret {
					t.Errorf("Secret has %d bytes, want the trimmed fixture", len(o.Secret.Reveal()))
				}
			},
		},
		{
			name: "terminal runs the wizard",
			args: []string{"setup"},
			tty:  true,
			check: func(t *testing.T, o *SetupOptions) {
				if !o.Interactive {
					t.Error("Interactive = false on a terminal")
				}
			},
		},
		{
			name: "no-input on a terminal",
			args: []string{"setup", "--no-input"},
			tty:  true,
			check: func(t *testing.T, o *SetupOptions) {
				if o.Interactive {
					t.Error("Interactive = true with --no-input")
				}
			},
		},
		{
			name:  "secret-stdin on a terminal is not interactive",
			args:  []string{"setup", "--secret-stdin"},
			stdin: "x",
			tty:   true,
			check: func(t *testing.T, o *SetupOptions) {
				if o.Interactive {
					t.Error("Interactive = true with --secret-stdin")
				}
			},
		},
		{
			name: "BYOK_ACCESSIBLE",
			args: []string{"setup"},
			env:  map[string]string{"BYOK_ACCESSIBLE": "1"},
			check: func(t *testing.T, o *SetupOptions) {
				if !o.Accessible {
					t.Error("Accessible = false with BYOK_ACCESSIBLE=1")
				}
			},
		},
		{
			name:      "resume without a terminal",
			args:      []string{"setup", "--resume", "Acme"},
			wantCode:  2,
			wantError: "byok: --resume: resuming a draft needs the wizard on a terminal",
		},
		{
			name:      "positional argument",
			args:      []string{"setup", "Acme"},
			wantCode:  2,
			wantError: "byok: setup takes no arguments; pass the app name with --name\nRun 'byok setup --help' for usage.",
		},
		{
			name:      "unknown account flag",
			args:      []string{"setup", "--acount-type", "single"},
			wantCode:  2,
			wantError: "byok: unknown flag: --acount-type\nRun 'byok setup --help' for usage.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _, stderr := newTestFactory(t)
			f.IO.SetStdinTTY(tt.tty)
			f.IO.SetStderrTTY(tt.tty)
			if tt.env != nil {
				f.Getenv = func(k string) string { return tt.env[k] }
			}
			setupStdin(f, tt.stdin)
			var got *SetupOptions
			root := NewCmdRoot(f)
			// Swap setup for one whose runF captures the options.
			for _, c := range root.Commands() {
				if c.Name() == "setup" {
					root.RemoveCommand(c)
				}
			}
			root.AddCommand(NewCmdSetup(f, func(o *SetupOptions) error { got = o; return nil }))
			root.SetArgs(tt.args)
			root.SetIn(f.IO.In)
			root.SetOut(f.IO.Out)
			root.SetErr(f.IO.ErrOut)
			code := reportError(f, root.ExecuteContext(context.Background()))
			if code != tt.wantCode {
				t.Fatalf("exit = %d, want %d (stderr %q)", code, tt.wantCode, stderr)
			}
			if tt.wantError != "" {
				if !strings.HasPrefix(stderr.String(), tt.wantError) {
					t.Errorf("stderr = %q, want prefix %q", stderr, tt.wantError)
				}
				return
			}
			if got == nil {
				t.Fatal("runF not called")
			}
			tt.check(t, got)
		})
	}
}

func TestSetupNonInteractiveOK(t *testing.T) {
	f, stdout, stderr := newTestFactory(t)
	setupStdin(f, setupFixtureSecret+"\n")
	if code := runCmd(t, f, setupArgs("--add-loopback")...); code != 0 {
		t.Fatalf("exit = %d, want 0; stderr %q", code, stderr)
	}
	want := `✓ Saved "Acme Hiveku"
  account type   multi-personal (AzureADandPersonalMicrosoftAccount)
  redirect URI   https://app.hiveku.com/api/oauth/microsoft/callback
                 http://localhost (loopback, for byok verify)
  permissions    offline_access, Mail.ReadWrite, Mail.Send, Calendars.ReadWrite
  client ID      11111111-2222-3333-4444-555555555555
  directory ID   66666666-7777-8888-9999-000000000000
  tenant         common
  secret         abC… "Hiveku prod", expires 2028-11-27 (in 731 days)

Next: check it with a live consent test:
  byok verify 'Acme Hiveku'

` + ui.InHiveku + "\n"
	if got := stdout.String(); got != want {
		t.Errorf("stdout =\n%s\nwant\n%s", got, want)
	}
	if stderr.Len() != 0 {
		t.Errorf("stderr = %q, want empty", stderr)
	}
	c, err := testStore(t, f).FindConfig(context.Background(), "acme hiveku")
	if err != nil {
		t.Fatalf("FindConfig: %v", err)
	}
	if c.Secret.Reveal() != setupFixtureSecret {
		t.Error("stored secret differs from the one piped in")
	}
	if c.AccountType != flow.MultiTenantPersonal || c.Tenant != "common" || !c.Loopback || c.CustomRedirect ||
		strings.Join(c.Scopes, " ") != "offline_access Mail.ReadWrite Mail.Send Calendars.ReadWrite" ||
		c.SecretInfo.Hint != "abC…" || c.SecretInfo.Description != "Hiveku prod" || !c.SecretInfo.Created.Equal(testNow) {
		t.Errorf("stored config = %+v", c)
	}
}

func TestSetupDefaultTenant(t *testing.T) {
	tests := []struct{ accountType, want string }{
		{"single", setupDirectoryID},
		{"multi", "organizations"},
		{"multi-personal", "common"},
		{"personal", "consumers"},
	}
	for _, tt := range tests {
		t.Run(tt.accountType, func(t *testing.T) {
			f, _, stderr := newTestFactory(t)
			setupStdin(f, setupFixtureSecret)
			if code := runCmd(t, f, setupArgs("--account-type", tt.accountType)...); code != 0 {
				t.Fatalf("exit = %d; stderr %q", code, stderr)
			}
			c, err := testStore(t, f).FindConfig(context.Background(), "Acme Hiveku")
			if err != nil {
				t.Fatal(err)
			}
			if c.Tenant != tt.want {
				t.Errorf("tenant = %q, want %q", c.Tenant, tt.want)
			}
		})
	}
}

func TestSetupInvalidValues(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		stdin string
		// field is what the message must start with after "byok: ".
		field string
	}{
		{"missing name", []string{"setup", "--no-input", "--client-id", setupClientID, "--directory-id", setupDirectoryID, "--secret-stdin"}, setupFixtureSecret, "--name: "},
		{"blank name", setupArgs("--name", "   "), setupFixtureSecret, "--name: "},
		{"name with a tab", setupArgs("--name", "Acme\tHiveku"), setupFixtureSecret, "name: "},
		{"name too long", setupArgs("--name", strings.Repeat("n", 121)), setupFixtureSecret, "name: "},
		{"name too long for personal accounts", setupArgs("--name", strings.Repeat("n", 95)), setupFixtureSecret, "name: "},
		{"account type", setupArgs("--account-type", "everyone"), setupFixtureSecret, "account type: "},
		{"redirect http", setupArgs("--redirect-uri", "http://app.hiveku.com/api/oauth/microsoft/callback"), setupFixtureSecret, "redirect URI: "},
		{"redirect trailing slash", setupArgs("--redirect-uri", flow.HivekuRedirectURI+"/"), setupFixtureSecret, "redirect URI: "},
		{"redirect missing callback", setupArgs("--redirect-uri", "https://app.hiveku.com/api/oauth/microsoft"), setupFixtureSecret, "redirect URI: "},
		{"custom redirect not confirmed", setupArgs("--redirect-uri", "https://staging.example.com/cb"), setupFixtureSecret, "redirect URI: "},
		{"custom redirect with fragment", setupArgs("--allow-custom-redirect", "--redirect-uri", "https://staging.example.com/cb#x"), setupFixtureSecret, "redirect URI: "},
		{"custom redirect http", setupArgs("--allow-custom-redirect", "--redirect-uri", "http://staging.example.com/cb"), setupFixtureSecret, "redirect URI: "},
		{"scopes without offline_access", setupArgs("--scopes", "Mail.Read"), setupFixtureSecret, "scopes: "},
		{"scopes typo", setupArgs("--scopes", "offline_access,Mail.Raed"), setupFixtureSecret, "scopes: "},
		{"scopes without mail", setupArgs("--scopes", "offline_access,User.Read"), setupFixtureSecret, "scopes: "},
		{"secret description too long", setupArgs("--secret-description", strings.Repeat("d", 300)), setupFixtureSecret, "secret description: "},
		{"secret expiry in the past", setupArgs("--secret-expires", "2020-01-01"), setupFixtureSecret, "secret expiry: "},
		{"secret expiry garbage", setupArgs("--secret-expires", "soon"), setupFixtureSecret, "secret expiry: "},
		{"no --secret-stdin", []string{"setup", "--no-input", "--name", "Acme", "--client-id", setupClientID, "--directory-id", setupDirectoryID}, "", "--secret-stdin: "},
		{"empty secret", setupArgs(), "\n", "secret value: "},
		{"secret is the secret ID", setupArgs(), "12345678-1234-1234-1234-123456789012\n", "secret value: "},
		{"secret with inner space", setupArgs(), "abc8Q~ def\n", "secret value: "},
		{"missing client ID", []string{"setup", "--no-input", "--name", "Acme", "--directory-id", setupDirectoryID, "--secret-stdin"}, setupFixtureSecret, "--client-id: "},
		{"client ID not a GUID", setupArgs("--client-id", "acme"), setupFixtureSecret, "client ID: "},
		{"client ID is Graph", setupArgs("--client-id", flow.GraphAppID), setupFixtureSecret, "client ID: "},
		{"missing directory ID", []string{"setup", "--no-input", "--name", "Acme", "--client-id", setupClientID, "--secret-stdin"}, setupFixtureSecret, "--directory-id: "},
		{"directory ID equals client ID", setupArgs("--directory-id", setupClientID), setupFixtureSecret, "directory ID: "},
		{"directory ID not a GUID", setupArgs("--directory-id", "contoso"), setupFixtureSecret, "directory ID: "},
		{"single tenant with common", setupArgs("--account-type", "single", "--tenant", "common"), setupFixtureSecret, "tenant: "},
		{"multi with consumers", setupArgs("--account-type", "multi", "--tenant", "consumers"), setupFixtureSecret, "tenant: "},
		{"personal with organizations", setupArgs("--account-type", "personal", "--tenant", "organizations"), setupFixtureSecret, "tenant: "},
		{"tenant garbage", setupArgs("--tenant", "not a tenant!"), setupFixtureSecret, "tenant: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, stdout, stderr := newTestFactory(t)
			setupStdin(f, tt.stdin)
			code := runCmd(t, f, tt.args...)
			if code != 2 {
				t.Fatalf("exit = %d, want 2; stderr %q", code, stderr)
			}
			if got := stderr.String(); !strings.HasPrefix(got, "byok: "+tt.field) {
				t.Errorf("stderr = %q, want it to start with %q", got, "byok: "+tt.field)
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
			if strings.Contains(stderr.String(), setupFixtureSecret) {
				t.Error("stderr contains the secret")
			}
			if _, err := os.Stat(testDBPath(t, f)); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("invalid input created the database (stat: %v)", err)
			}
			setupAssertNothingStored(t, f)
		})
	}
}

func TestSetupReplace(t *testing.T) {
	f, stdout, stderr := newTestFactory(t)
	setupStdin(f, setupFixtureSecret)
	if code := runCmd(t, f, setupArgs()...); code != 0 {
		t.Fatalf("first setup exit = %d; stderr %q", code, stderr)
	}

	t.Run("same name without --replace", func(t *testing.T) {
		stdout.Reset()
		stderr.Reset()
		setupStdin(f, "XyZ8Q~anotherSecretValue0123456789abcdef")
		if code := runCmd(t, f, setupArgs("--name", "ACME HIVEKU", "--account-type", "multi")...); code != 2 {
			t.Fatalf("exit = %d, want 2", code)
		}
		want := "byok: name: a config named \"ACME HIVEKU\" exists; pass --replace to overwrite it or choose another --name\n"
		if stderr.String() != want {
			t.Errorf("stderr = %q, want %q", stderr, want)
		}
		c, err := testStore(t, f).FindConfig(context.Background(), "Acme Hiveku")
		if err != nil || c.AccountType != flow.MultiTenantPersonal || c.Secret.Reveal() != setupFixtureSecret {
			t.Errorf("config changed without --replace: %v %v", c.AccountType, err)
		}
	})

	t.Run("with --replace", func(t *testing.T) {
		stderr.Reset()
		setupStdin(f, "XyZ8Q~anotherSecretValue0123456789abcdef")
		if code := runCmd(t, f, setupArgs("--account-type", "multi", "--replace")...); code != 0 {
			t.Fatalf("exit = %d; stderr %q", code, stderr)
		}
		c, err := testStore(t, f).FindConfig(context.Background(), "Acme Hiveku")
		if err != nil {
			t.Fatal(err)
		}
		if c.AccountType != flow.MultiTenant || c.Tenant != "organizations" || c.SecretInfo.Hint != "XyZ…" {
			t.Errorf("replaced config = %v %q %q", c.AccountType, c.Tenant, c.SecretInfo.Hint)
		}
	})
}

func TestSetupWarnings(t *testing.T) {
	f, _, stderr := newTestFactory(t)
	setupStdin(f, setupFixtureSecret)
	if code := runCmd(t, f, setupArgs("--secret-expires", "36m")...); code != 0 {
		t.Fatalf("exit = %d; stderr %q", code, stderr)
	}
	if !strings.HasPrefix(stderr.String(), "warning: secret expiry: ") {
		t.Errorf("stderr = %q, want a secret expiry warning", stderr)
	}
}

// setupFakeWizard records how the wizard was started.
type setupFakeWizard struct {
	called bool
	draft  *flow.Draft
}

func (w *setupFakeWizard) run(ctx context.Context, opts *SetupOptions, d *flow.Draft) error {
	w.called, w.draft = true, d
	return nil
}

func TestSetupInteractiveResume(t *testing.T) {
	draft := flow.Draft{Config: flow.Config{Name: "Half Done"}, Step: flow.StepRedirect, UpdatedAt: testNow}
	tests := []struct {
		name       string
		drafts     bool
		resume     string
		answer     bool
		wantAsked  bool
		wantDraft  bool
		wantCalled bool
		wantCode   int
	}{
		{name: "no drafts", wantCalled: true},
		{name: "draft accepted", drafts: true, answer: true, wantAsked: true, wantDraft: true, wantCalled: true},
		{name: "draft declined", drafts: true, answer: false, wantAsked: true, wantCalled: true},
		{name: "--resume NAME", drafts: true, resume: "half done", wantDraft: true, wantCalled: true},
		{name: "--resume unknown", drafts: true, resume: "nope", wantCode: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _, stderr := newTestFactory(t)
			if tt.drafts {
				if err := testStore(t, f).SaveDraft(context.Background(), draft); err != nil {
					t.Fatal(err)
				}
			}
			wiz := &setupFakeWizard{}
			asked := ""
			opts := newSetupOptions(f)
			opts.Interactive = true
			opts.Resume = tt.resume
			opts.Wizard = wiz.run
			opts.Confirm = func(ctx context.Context, title string, def bool) (bool, error) {
				asked = title
				return tt.answer, nil
			}
			err := setupRun(context.Background(), opts)
			if code := reportError(f, err); code != tt.wantCode {
				t.Fatalf("exit = %d, want %d; stderr %q", code, tt.wantCode, stderr)
			}
			if tt.wantCode == 2 {
				want := "byok: --resume: no draft named \"nope\"; drafts: \"Half Done\"\n"
				if stderr.String() != want {
					t.Errorf("stderr = %q, want %q", stderr, want)
				}
			}
			if (asked != "") != tt.wantAsked {
				t.Errorf("asked %q, want asked = %v", asked, tt.wantAsked)
			}
			if tt.wantAsked && asked != `Resume "Half Done" (stopped after step 3, Redirect URI)?` {
				t.Errorf("question = %q", asked)
			}
			if wiz.called != tt.wantCalled || (wiz.draft != nil) != tt.wantDraft {
				t.Errorf("wizard called=%v draft=%v, want %v %v", wiz.called, wiz.draft != nil, tt.wantCalled, tt.wantDraft)
			}
			if wiz.draft != nil && wiz.draft.Config.Name != "Half Done" {
				t.Errorf("draft = %q", wiz.draft.Config.Name)
			}
		})
	}
}

func TestReadSecret(t *testing.T) {
	tests := []struct {
		name, in, want string
		wantErr        bool
	}{
		{"newline", "abc\n", "abc", false},
		{"crlf and spaces", "  abc \r\n", "abc", false},
		{"empty", "", "", false},
		{"too big", strings.Repeat("a", maxSecretInput+1), "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readSecret(bytes.NewBufferString(tt.in))
			if (err != nil) != tt.wantErr {
				t.Fatalf("readSecret() error = %v, want error %v", err, tt.wantErr)
			}
			if got.Reveal() != tt.want {
				t.Errorf("readSecret() = %d bytes, want %q", len(got.Reveal()), tt.want)
			}
		})
	}
}

func TestSetupInteractivePrefillsFlags(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		check func(t *testing.T, d *flow.Draft)
	}{
		{"no flags", []string{"setup"}, func(t *testing.T, d *flow.Draft) {
			if d != nil {
				t.Errorf("draft = %+v, want none", d.Config)
			}
		}},
		{"some flags", []string{"setup", "--name", "Acme", "--account-type", "single", "--client-id", setupClientID, "--scopes", "read"},
			func(t *testing.T, d *flow.Draft) {
				if d == nil {
					t.Fatal("no draft")
				}
				c := d.Config
				if d.Step != "" || c.Name != "Acme" || c.AccountType != flow.SingleTenant || c.ClientID != setupClientID ||
					strings.Join(c.Scopes, " ") != "offline_access Mail.Read" || c.DirectoryID != "" || c.RedirectURI != "" {
					t.Errorf("draft = step %q %+v", d.Step, c)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _, stderr := newTestFactory(t)
			f.IO.SetStdinTTY(true)
			f.IO.SetStderrTTY(true)
			var opts *SetupOptions
			root := NewCmdRoot(f)
			for _, c := range root.Commands() {
				if c.Name() == "setup" {
					root.RemoveCommand(c)
				}
			}
			root.AddCommand(NewCmdSetup(f, func(o *SetupOptions) error { opts = o; return nil }))
			root.SetArgs(tt.args)
			if err := root.Execute(); err != nil {
				t.Fatal(err)
			}
			wiz := &setupFakeWizard{}
			opts.Wizard = wiz.run
			opts.Confirm = func(context.Context, string, bool) (bool, error) {
				t.Error("asked to resume without drafts")
				return false, nil
			}
			if err := setupRun(context.Background(), opts); err != nil {
				t.Fatalf("setupRun: %v (stderr %q)", err, stderr)
			}
			if !wiz.called {
				t.Fatal("wizard not run")
			}
			tt.check(t, wiz.draft)
		})
	}
}

func TestSetupWizardDoctor(t *testing.T) {
	explain := wizardDoctor()
	c := flow.Config{RedirectURI: flow.HivekuRedirectURI}
	got := explain("AADSTS50011: The redirect URI 'https://app.hiveku.com/callback' specified in the request does not match", c, 80)
	if !strings.Contains(got, "50011") {
		t.Errorf("explanation lacks the code:\n%s", got)
	}
	if got := explain("nothing to see here", c, 80); got != "" {
		t.Errorf("explanation of plain text = %q, want empty", got)
	}
}
