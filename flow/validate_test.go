package flow

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestValidateName(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want *valWant
	}{
		{"ok", "Acme Hiveku", nil},
		{"unicode", "Ünïcødé Hiveku ✓", nil},
		{"surrounding spaces trimmed", "  Acme  ", nil},
		{"120 runes", strings.Repeat("é", 120), nil},
		{"empty", "", &valWant{"name", []string{"is empty"}, []string{"Acme Hiveku"}}},
		{"blank", " \t ", &valWant{"name", []string{"is empty"}, nil}},
		{"control", "Acme\x1b[31m", &valWant{"name", []string{"control character"}, nil}},
		{"tab inside", "Acme\tHiveku", &valWant{"name", []string{"control character"}, nil}},
		{"newline inside", "Acme\nHiveku", &valWant{"name", []string{"control character"}, nil}},
		{"121 runes", strings.Repeat("é", 121), &valWant{"name", []string{"121 characters", "at most 120"}, []string{"90"}}},
		{"invalid utf8", "Acme\xff", &valWant{"name", []string{"UTF-8"}, nil}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { valCheck(t, ValidateName(tt.in), tt.want) })
	}
}

func TestValidateNameAudience(t *testing.T) {
	n91 := strings.Repeat("n", 91)
	tests := []struct {
		name string
		in   string
		a    AccountType
		want *valWant
	}{
		{"single 91", n91, SingleTenant, nil},
		{"multi 91", n91, MultiTenant, nil},
		{"mtp 90", strings.Repeat("n", 90), MultiTenantPersonal, nil},
		{"mtp 91", n91, MultiTenantPersonal, &valWant{"name", []string{"91 characters", "personal Microsoft accounts", "at most 90"}, []string{"90"}}},
		{"personal 91", n91, PersonalOnly, &valWant{"name", []string{"at most 90"}, nil}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { valCheck(t, ValidateNameAudience(tt.in, tt.a), tt.want) })
	}
}

// valConfig returns a config that passes Validate.
func valConfig() Config {
	return Config{
		Name:        "Acme Hiveku",
		AccountType: MultiTenantPersonal,
		RedirectURI: HivekuRedirectURI,
		Scopes:      []string{"offline_access", "Mail.ReadWrite", "Mail.Send", "Calendars.ReadWrite"},
		ClientID:    valClient,
		DirectoryID: valDir,
		Tenant:      "common",
		Secret:      Secret(valSecret),
		SecretInfo:  SecretInfo{Description: "Hiveku prod", Hint: "abC…"},
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(c *Config)
		fields []string // fields of the problems, in order; nil = valid
	}{
		{"valid", func(c *Config) {}, nil},
		{"single tenant", func(c *Config) { c.AccountType, c.Tenant = SingleTenant, valDir }, nil},
		{"warning only", func(c *Config) { c.Tenant = "organizations" }, nil},
		{"custom redirect", func(c *Config) {
			c.CustomRedirect, c.RedirectURI = true, "https://staging.example.com/cb"
		}, nil},
		{"missing secret allowed", func(c *Config) { c.Secret, c.SecretInfo.Missing = "", true }, nil},
		{"name spaces", func(c *Config) { c.Name = " Acme " }, []string{"name"}},
		{"name too long for personal", func(c *Config) { c.Name = strings.Repeat("n", 100) }, []string{"name"}},
		{"bad account type", func(c *Config) { c.AccountType = "everyone" }, []string{"account type"}},
		{"redirect slash", func(c *Config) { c.RedirectURI += "/" }, []string{"redirect URI"}},
		{"custom redirect bad", func(c *Config) {
			c.CustomRedirect, c.RedirectURI = true, "https://staging.example.com/cb?x=1"
		}, []string{"redirect URI"}},
		{"no offline_access", func(c *Config) { c.Scopes = []string{"Mail.Read"} }, []string{"scopes"}},
		{"secret id", func(c *Config) { c.Secret = Secret(valOther) }, []string{"secret value"}},
		{"secret missing but not flagged", func(c *Config) { c.Secret = "" }, []string{"secret value"}},
		{"secret with newline", func(c *Config) { c.Secret += "\n" }, []string{"secret value"}},
		{"description", func(c *Config) { c.SecretInfo.Description = strings.Repeat("d", 101) }, []string{"secret description"}},
		{"client", func(c *Config) { c.ClientID = "nope" }, []string{"client ID"}},
		{"directory twice", func(c *Config) { c.DirectoryID = valClient }, []string{"directory ID"}},
		{"tenant", func(c *Config) { c.AccountType, c.Tenant = SingleTenant, "common" }, []string{"tenant"}},
		{"everything", func(c *Config) { *c = Config{} }, []string{"name", "account type", "redirect URI", "scopes", "secret value", "client ID", "directory ID", "tenant"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := valConfig()
			tt.edit(&c)
			err := c.Validate()
			ps := Problems(err)
			var got []string
			for _, p := range ps {
				got = append(got, p.Field)
			}
			if strings.Join(got, ",") != strings.Join(tt.fields, ",") {
				t.Fatalf("Validate() problems = %q, want %q (err %v)", got, tt.fields, err)
			}
			if err == nil {
				return
			}
			valCheck(t, err, &valWant{field: tt.fields[0]})
			if ExitCode(err) != 2 {
				t.Errorf("ExitCode = %d, want 2", ExitCode(err))
			}
			if s := fmt.Sprintf("%v %+v", err, c); strings.Contains(s, valSecret) {
				t.Error("error or config prints the secret")
			}
		})
	}
}

func TestProblems(t *testing.T) {
	a, b := Invalid("a", "x"), Invalid("b", "y")
	tests := []struct {
		name string
		err  error
		want int
	}{
		{"nil", nil, 0},
		{"single", a, 1},
		{"wrapped", fmt.Errorf("save: %w", a), 1},
		{"joined", errors.Join(a, b), 2},
		{"nested join", errors.Join(errors.Join(a, b), errors.New("plain")), 2},
		{"plain", errors.New("plain"), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := len(Problems(tt.err)); got != tt.want {
				t.Errorf("len(Problems()) = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestConfigNormalize(t *testing.T) {
	in := Config{
		Name:        "  Acme Hiveku \n",
		RedirectURI: " " + HivekuRedirectURI + "\n",
		ClientID:    "{" + strings.ToUpper(valClient) + "}",
		DirectoryID: " " + strings.ToUpper(valDir),
		Tenant:      " Common ",
		Scopes:      []string{" offline_access", "Mail.Read", "", "mail.read"},
		Secret:      Secret(valSecret + "\r\n"),
		SecretInfo:  SecretInfo{Description: " Hiveku prod "},
	}
	got := in.Normalize()
	switch {
	case got.Name != "Acme Hiveku":
		t.Errorf("Name = %q", got.Name)
	case got.RedirectURI != HivekuRedirectURI:
		t.Errorf("RedirectURI = %q", got.RedirectURI)
	case got.ClientID != valClient:
		t.Errorf("ClientID = %q", got.ClientID)
	case got.DirectoryID != valDir:
		t.Errorf("DirectoryID = %q", got.DirectoryID)
	case got.Tenant != "common":
		t.Errorf("Tenant = %q", got.Tenant)
	case strings.Join(got.Scopes, ",") != "offline_access,Mail.Read":
		t.Errorf("Scopes = %q", got.Scopes)
	case got.Secret.Reveal() != valSecret:
		t.Error("Secret not trimmed")
	case got.SecretInfo.Description != "Hiveku prod":
		t.Errorf("Description = %q", got.SecretInfo.Description)
	}
	if in.Scopes[0] != " offline_access" {
		t.Error("Normalize changed the caller's scopes")
	}
	if err := in.Validate(); err == nil {
		t.Error("Validate() accepted the raw input")
	}
	in.AccountType = MultiTenantPersonal
	if err := in.Normalize().Validate(); err != nil {
		t.Errorf("Normalize().Validate() = %v", err)
	}
	bad := Config{ClientID: " nope ", DirectoryID: " x "}.Normalize()
	if bad.ClientID != "nope" || bad.DirectoryID != "x" || bad.Scopes != nil {
		t.Errorf("Normalize(bad) = %+v", bad)
	}
}

func TestRuneName(t *testing.T) {
	tests := []struct {
		r    rune
		want string
	}{
		{' ', "a space"},
		{'x', "“x”"},
		{'\x00', "a control character (U+0000)"},
		{'\ufffd', "a control character (U+FFFD)"},
		{'\u200b', "an invisible character (U+200B)"},
		{'\u00a0', "an invisible character (U+00A0)"},
		{'é', "“é” (U+00E9, not a plain ASCII character)"},
	}
	for _, tt := range tests {
		if got := runeName(tt.r); got != tt.want {
			t.Errorf("runeName(%U) = %q, want %q", tt.r, got, tt.want)
		}
	}
	if in, ok := unquote("«x»"); !ok || in != "x" {
		t.Errorf("unquote(«x») = %q, %v", in, ok)
	}
	if _, ok := unquote("\""); ok {
		t.Error("unquote of a lone quote succeeded")
	}
}
