package flow

import (
	"strings"
	"testing"
	"time"
)

const (
	testClient = "11111111-2222-3333-4444-555555555555"
	testDir    = "66666666-7777-8888-9999-000000000000"
	testSecret = "abC8Q~0123456789abcdefghijklmnopqrstuvwx"
)

var stepNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func goodAnswers() Answers {
	a := DefaultAnswers()
	a.Name = "Acme Hiveku"
	a.SecretValue = Secret(testSecret)
	a.ClientID = testClient
	a.DirectoryID = testDir
	return a
}

func TestDefaultAnswersAreValid(t *testing.T) {
	c, warns, err := SubmitAll(goodAnswers(), StepEnv{Now: stepNow})
	if err != nil {
		t.Fatalf("SubmitAll: %v", err)
	}
	if len(warns) != 0 {
		t.Errorf("warnings = %v", warns)
	}
	want := Config{
		Name: "Acme Hiveku", AccountType: MultiTenantPersonal, RedirectURI: HivekuRedirectURI,
		ClientID: testClient, DirectoryID: testDir, Tenant: "common",
	}
	if c.Name != want.Name || c.AccountType != want.AccountType || c.RedirectURI != want.RedirectURI ||
		c.ClientID != want.ClientID || c.DirectoryID != want.DirectoryID || c.Tenant != want.Tenant {
		t.Errorf("config = %+v", c)
	}
	if got := strings.Join(c.Scopes, ","); got != strings.Join(ScopePresets[DefaultScopePreset], ",") {
		t.Errorf("scopes = %s", got)
	}
	if c.SecretInfo.Description != DefaultSecretDescription || c.SecretInfo.Hint != "abC…" || !c.SecretInfo.Created.Equal(stepNow) {
		t.Errorf("secret info = %+v", c.SecretInfo)
	}
	if got := c.SecretInfo.Expires.Format(time.DateOnly); got != "2028-03-01" {
		t.Errorf("expires = %s, want 24 months after now", got)
	}
	if c.Secret.Reveal() != testSecret {
		t.Error("secret value not kept")
	}
}

// TestStepSubmit runs each step's Submit on one bad or noteworthy answer:
// the field of the error, a word of its message, or the warning.
func TestStepSubmit(t *testing.T) {
	tests := []struct {
		name    string
		step    StepID
		edit    func(*Answers)
		env     StepEnv
		field   string // of the error; "" for none
		message string // in the error, or the warning when field is ""
	}{
		{"name empty", StepName, func(a *Answers) { a.Name = "  " }, StepEnv{}, FieldName, "empty"},
		{"name trimmed", StepName, func(a *Answers) { a.Name = "  Acme  " }, StepEnv{}, "", ""},
		{"account bogus", StepAccountType, func(a *Answers) { a.AccountType = "everyone" }, StepEnv{}, FieldAccountType, "not an account type"},
		{"account manifest value", StepAccountType, func(a *Answers) { a.AccountType = "AzureADMyOrg" }, StepEnv{}, "", ""},
		{"redirect trailing slash", StepRedirect, func(a *Answers) { a.RedirectURI = HivekuRedirectURI + "/" }, StepEnv{}, FieldRedirectURI, "does not match"},
		{"redirect custom unconfirmed", StepRedirect, func(a *Answers) { a.RedirectURI = "https://staging.example.com/cb" }, StepEnv{AllowCustomRedirect: true}, FieldRedirectURI, ""},
		{"redirect custom not allowed", StepRedirect, func(a *Answers) {
			a.RedirectURI, a.CustomRedirect = "https://staging.example.com/cb", true
		}, StepEnv{}, FieldRedirectURI, ""},
		{"redirect custom", StepRedirect, func(a *Answers) {
			a.RedirectURI, a.CustomRedirect = "https://staging.example.com/cb", true
		}, StepEnv{AllowCustomRedirect: true}, "", ""},
		{"redirect custom http", StepRedirect, func(a *Answers) {
			a.RedirectURI, a.CustomRedirect = "http://staging.example.com/cb", true
		}, StepEnv{AllowCustomRedirect: true}, FieldRedirectURI, "https"},
		{"scopes without offline_access", StepPermissions, func(a *Answers) { a.Scopes = "Mail.Read" }, StepEnv{}, FieldScopes, "offline_access"},
		{"scopes typo", StepPermissions, func(a *Answers) { a.Scopes = "offline_access,Mail.Raed" }, StepEnv{}, FieldScopes, "Mail.Read"},
		{"scopes preset", StepPermissions, func(a *Answers) { a.Scopes = "send-only" }, StepEnv{}, "", ""},
		{"secret id", StepSecret, func(a *Answers) { a.SecretValue = Secret(testClient) }, StepEnv{Now: stepNow}, FieldSecretValue, "Secret ID"},
		{"secret empty", StepSecret, func(a *Answers) { a.SecretValue = "" }, StepEnv{Now: stepNow}, FieldSecretValue, "empty"},
		{"expiry past", StepSecret, func(a *Answers) { a.SecretExpires = "2020-01-01" }, StepEnv{Now: stepNow}, FieldSecretExpiry, "past"},
		{"expiry soon warns", StepSecret, func(a *Answers) { a.SecretExpires = "10d" }, StepEnv{Now: stepNow}, "", "expires in 10 days"},
		{"expiry long warns", StepSecret, func(a *Answers) { a.SecretExpires = "36m" }, StepEnv{Now: stepNow}, "", "more than 24 months"},
		{"description too long", StepSecret, func(a *Answers) { a.SecretDescription = strings.Repeat("x", 101) }, StepEnv{Now: stepNow}, FieldSecretDescription, "101"},
		{"client id bad", StepTenant, func(a *Answers) { a.ClientID = "nope" }, StepEnv{}, FieldClientID, ""},
		{"directory equals client", StepTenant, func(a *Answers) { a.DirectoryID = testClient }, StepEnv{}, FieldDirectoryID, ""},
		{"single tenant with common", StepTenant, func(a *Answers) { a.AccountType, a.Tenant = "single", "common" }, StepEnv{}, FieldTenant, "AADSTS50194"},
		{"multi with common warns", StepTenant, func(a *Answers) { a.AccountType, a.Tenant = "multi", "common" }, StepEnv{}, "", "organizations matches"},
		{"personal needs consumers", StepTenant, func(a *Answers) { a.AccountType, a.Tenant = "personal", "organizations" }, StepEnv{}, FieldTenant, "AADSTS9002331"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := goodAnswers()
			tt.edit(&a)
			_, warns, err := tt.step.Def().Submit(a, Config{}, tt.env)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("error %v, want none", err)
				}
				var got []string
				for _, w := range warns {
					got = append(got, w.String())
				}
				if !strings.Contains(strings.Join(got, "\n"), tt.message) || (tt.message == "") != (len(warns) == 0) {
					t.Errorf("warnings %q, want one with %q", got, tt.message)
				}
				return
			}
			e := asError(err)
			if e == nil || e.Field != tt.field || e.Code != EINVALID {
				t.Fatalf("error %#v, want EINVALID on %q", err, tt.field)
			}
			if !strings.Contains(e.Error(), tt.message) {
				t.Errorf("error %q does not mention %q", e.Error(), tt.message)
			}
			if strings.Contains(e.Error(), testSecret) {
				t.Error("the error shows the secret")
			}
			// Every checked field belongs to the step that reports it.
			if StepForField(e.Field) != tt.step {
				t.Errorf("field %q maps to step %q", e.Field, StepForField(e.Field))
			}
		})
	}
}

// TestFieldCheckMatchesSubmit: the as-you-type check of a field gives
// the same error as the step's Submit for the same answer.
func TestFieldCheckMatchesSubmit(t *testing.T) {
	bad := map[string]string{
		FieldName:              "",
		FieldAccountType:       "everyone",
		FieldRedirectURI:       "http://app.hiveku.com/api/oauth/microsoft/callback",
		FieldScopes:            "Mail.Read",
		FieldSecretDescription: "a\x07b",
		FieldSecretExpiry:      "soon",
		FieldSecretValue:       testClient,
		FieldClientID:          "x",
		FieldDirectoryID:       testClient,
		FieldTenant:            "someone@contoso.com",
	}
	env := StepEnv{Now: stepNow}
	for _, id := range Steps {
		for _, f := range id.Def().Fields {
			v, ok := bad[f.Key]
			if !ok {
				continue
			}
			t.Run(f.Key, func(t *testing.T) {
				a := goodAnswers()
				a.Set(f.Key, v)
				if f.Check == nil {
					t.Fatal("no Check")
				}
				checkErr := f.Check(v, a, env)
				_, _, subErr := id.Def().Submit(a, Config{}, env)
				if checkErr == nil || subErr == nil || checkErr.Error() != subErr.Error() {
					t.Errorf("Check: %v\nSubmit: %v", checkErr, subErr)
				}
			})
		}
	}
}

func TestSecretStepKeepsAndRotates(t *testing.T) {
	prev, _, err := StepSecret.Def().Submit(goodAnswers(), Config{}, StepEnv{Now: stepNow})
	if err != nil {
		t.Fatal(err)
	}
	// Wizard: an empty value keeps the secret entered before.
	a := goodAnswers()
	a.SecretValue = ""
	a.SecretDescription = "renamed"
	c, _, err := StepSecret.Def().Submit(a, prev, StepEnv{Now: stepNow.Add(time.Hour)})
	if err != nil || c.Secret.Reveal() != testSecret || c.SecretInfo.Description != "renamed" || !c.SecretInfo.Created.Equal(stepNow) {
		t.Errorf("keep: %v %+v", err, c.SecretInfo)
	}
	// Rotate: a value is required and must be new.
	rot := StepEnv{Now: stepNow, NewSecret: true}
	if _, _, err := StepSecret.Def().Submit(a, prev, rot); asError(err) == nil || asError(err).Field != FieldSecretValue {
		t.Errorf("rotate with no value: %v", err)
	}
	a.SecretValue = Secret(testSecret)
	if _, _, err := StepSecret.Def().Submit(a, prev, rot); err == nil || !strings.Contains(err.Error(), "already has") {
		t.Errorf("rotate to the same value: %v", err)
	}
	a.SecretValue = "xyZ8Q~9876543210abcdefghijklmnopqrstuvwx"
	c, _, err = StepSecret.Def().Submit(a, prev, rot)
	if err != nil || c.SecretInfo.Hint != "xyZ…" {
		t.Errorf("rotate: %v %+v", err, c.SecretInfo)
	}
}

func TestRecommendedTenant(t *testing.T) {
	tests := []struct {
		a    AccountType
		want string
	}{
		{SingleTenant, testDir},
		{MultiTenant, "organizations"},
		{MultiTenantPersonal, "common"},
		{PersonalOnly, "consumers"},
	}
	for _, tt := range tests {
		if got := RecommendedTenant(tt.a, " "+strings.ToUpper(testDir)+" "); got != tt.want {
			t.Errorf("RecommendedTenant(%s) = %q, want %q", tt.a.Short(), got, tt.want)
		}
		a := goodAnswers()
		a.AccountType = tt.a.Short()
		f, _ := StepTenant.Def().Field(FieldTenant)
		if got := f.Default(a); got != tt.want {
			t.Errorf("tenant default for %s = %q", tt.a.Short(), got)
		}
		rec := 0
		for _, o := range f.Options(a) {
			if o.Recommended {
				rec++
				if o.Value != tt.want {
					t.Errorf("recommended option %q, want %q", o.Value, tt.want)
				}
			}
		}
		if rec != 1 {
			t.Errorf("%d recommended tenant options for %s", rec, tt.a.Short())
		}
		// An empty tenant takes the recommendation.
		c, _, err := StepTenant.Def().Submit(a, Config{}, StepEnv{})
		if err != nil || c.Tenant != tt.want {
			t.Errorf("empty tenant for %s: %q, %v", tt.a.Short(), c.Tenant, err)
		}
	}
}

func TestAnswersRoundTrip(t *testing.T) {
	a := goodAnswers()
	a.AccountType, a.Scopes, a.Tenant, a.Loopback = "multi", "offline_access,Mail.Read,Calendars.Read", "organizations", true
	c, _, err := SubmitAll(a, StepEnv{Now: stepNow})
	if err != nil {
		t.Fatal(err)
	}
	b := AnswersFrom(c)
	b.SecretValue = ""
	c2 := c
	for _, id := range Steps[:7] {
		if c2, _, err = id.Def().Submit(b, c2, StepEnv{Now: stepNow}); err != nil {
			t.Fatalf("%s: %v", id, err)
		}
	}
	if c2.Secret != c.Secret || c2.Tenant != c.Tenant || strings.Join(c2.Scopes, ",") != strings.Join(c.Scopes, ",") ||
		!c2.SecretInfo.Expires.Equal(c.SecretInfo.Expires) || c2.Loopback != c.Loopback || c2.AccountType != c.AccountType {
		t.Errorf("resubmitted %+v\nfrom %+v", c2, c)
	}
	if got := AnswersFrom(Config{SecretInfo: SecretInfo{}, Scopes: ScopePresets["read"]}).Scopes; got != "read" {
		t.Errorf("preset not recognised: %q", got)
	}
	for _, id := range Steps {
		for _, f := range id.Def().Fields {
			if f.Kind == KindSecret {
				continue
			}
			var x Answers
			want := "true"
			if f.Kind != KindConfirm {
				want = "v-" + f.Key
			}
			x.Set(f.Key, want)
			if got := x.Get(f.Key); got != want {
				t.Errorf("Set/Get %q = %q", f.Key, got)
			}
		}
	}
	var x Answers
	x.Set(FieldSecretValue, testSecret)
	if x.Get(FieldSecretValue) != "" || x.SecretValue.Reveal() != testSecret {
		t.Error("Get must never return the secret value")
	}
}

func TestSecretTooShortSaysCharacterOnce(t *testing.T) {
	err := ValidateSecretValue("x")
	if err == nil || !strings.Contains(err.Error(), "is only 1 character;") {
		t.Errorf("ValidateSecretValue(x) = %v", err)
	}
	if err := ValidateSecretValue("xy"); err == nil || !strings.Contains(err.Error(), "is only 2 characters;") {
		t.Errorf("ValidateSecretValue(xy) = %v", err)
	}
}

// Every choice field that takes typed text says how to offer and ask it,
// and the value that stands for "type it" is not itself a valid answer,
// so a list can never confuse it with a real choice.
func TestChoiceOther(t *testing.T) {
	env := StepEnv{Now: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}
	a := goodAnswers()
	for _, id := range Steps {
		for _, f := range id.Def().Fields {
			if f.Other == nil {
				continue
			}
			if f.Kind != KindChoice {
				t.Errorf("%s: Other on a non-choice field", f.Key)
			}
			o := f.Other
			if o.Value == "" || o.Label == "" || o.Title == "" {
				t.Errorf("%s: Other incomplete: %+v", f.Key, *o)
			}
			for _, opt := range f.Options(a) {
				if opt.Value == o.Value {
					t.Errorf("%s: Other.Value %q is also an option", f.Key, o.Value)
				}
			}
			if f.Check != nil && f.Check(o.Value, a, env) == nil {
				t.Errorf("%s: Other.Value %q passes the field's check", f.Key, o.Value)
			}
		}
	}
	if f, _ := StepTenant.Def().Field(FieldTenant); f.Other == nil || f.Other.Catalog {
		t.Error("the tenant takes a typed domain")
	}
	if f, _ := StepPermissions.Def().Field(FieldScopes); f.Other == nil || !f.Other.Catalog {
		t.Error("the permissions take a pick from the catalog")
	}
}
