package sim

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hiveku/byok/flow"
)

func TestParseOptions(t *testing.T) {
	const tenant = `"tenants":[{"id":"11111111-2222-4333-8444-555555555555"}]`
	const app = `{"displayName":"X","appId":"99999999-8888-4777-8666-555555555555","homeTenantId":"11111111-2222-4333-8444-555555555555","signInAudience":"AzureADMyOrg"}`
	tests := []struct {
		name, json, field string
	}{
		{"ok", `{` + tenant + `,"apps":[` + app + `],"users":[{"id":"u","userPrincipalName":"a@b.c","tenantId":"11111111-2222-4333-8444-555555555555"},{"id":"p","userPrincipalName":"p@outlook.com","personal":true}]}`, ""},
		{"syntax", `{"apps":[`, "config"},
		{"unknown key", `{"app":[]}`, "config"},
		{"no apps", `{` + tenant + `}`, "apps"},
		{"bad tenant id", `{"tenants":[{"id":"contoso"}],"apps":[` + app + `]}`, "tenants[0].id"},
		{"no name", `{` + tenant + `,"apps":[{"appId":"99999999-8888-4777-8666-555555555555"}]}`, "apps[0].displayName"},
		{"bad audience", `{` + tenant + `,"apps":[` + strings.Replace(app, "AzureADMyOrg", "Everyone", 1) + `]}`, "apps[0].signInAudience"},
		{"unknown home", `{"apps":[` + app + `]}`, "apps[0].homeTenantId"},
		{"empty secret", `{` + tenant + `,"apps":[` + strings.Replace(app, `}`, `,"passwordCredentials":[{"keyId":"k"}]}`, 1) + `]}`, "apps[0].passwordCredentials[0].secretText"},
		{"user without upn", `{` + tenant + `,"apps":[` + app + `],"users":[{"id":"u"}]}`, "users[0].userPrincipalName"},
		{"user without id", `{` + tenant + `,"apps":[` + app + `],"users":[{"userPrincipalName":"a@b.c"}]}`, "users[0].id"},
		{"user in unknown tenant", `{` + tenant + `,"apps":[` + app + `],"users":[{"id":"u","userPrincipalName":"a@b.c","tenantId":"x"}]}`, "users[0].tenantId"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := ParseOptions(strings.NewReader(tt.json))
			if tt.field == "" {
				if err != nil || len(o.Apps) != 1 || len(o.Users) != 2 {
					t.Fatalf("ParseOptions = %+v, %v", o, err)
				}
				return
			}
			var fe *flow.Error
			if !errors.As(err, &fe) || fe.Code != flow.EINVALID || fe.Field != tt.field || fe.Fix == "" {
				t.Fatalf("err = %#v, want EINVALID on %s with a fix", err, tt.field)
			}
		})
	}
}

func TestTenantAdminOnlyScopes(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.Tenants[0].AdminOnlyScopes = []string{"Mail.Send"} })
	_, err := e.sim.Consent(context.Background(), nil, e.authURL("common"), "alex@contoso.com", true)
	var page *ErrorPage
	if !errors.As(err, &page) || page.Code != 90094 {
		t.Fatalf("err = %v, want 90094 for an admin-only scope", err)
	}
	// a scope Microsoft restricts everywhere (User.Read.All) needs an admin too
	e = newEnv(t, nil)
	if _, err := e.sim.Consent(context.Background(), nil, e.authURL("common", "scope", "openid User.Read.All"), "alex@contoso.com", true); !errors.As(err, &page) {
		t.Errorf("User.Read.All consented by a user: %v", err)
	}
	// the admin may consent, for everyone
	loc, err := e.sim.Consent(context.Background(), nil, e.authURL("common", "scope", "openid User.Read.All"), "megan@contoso.com", true)
	if err != nil || !strings.Contains(loc, "code=") {
		t.Errorf("admin = %q, %v", loc, err)
	}
}

func TestUserInfoAndAccessors(t *testing.T) {
	e := newEnv(t, nil)
	at := e.tokenFor("alex@contoso.com", "openid profile email User.Read")
	st, ui := e.get("/oidc/userinfo", at)
	if st != 200 || ui["email"] != "alex@contoso.com" || ui["given_name"] != "Alex" || ui["sub"] == "" {
		t.Errorf("userinfo = %d %v", st, ui)
	}
	if len(e.sim.Apps()) != 1 || e.sim.Apps()[0].ClientID != DemoClientID {
		t.Errorf("Apps = %v", e.sim.Apps())
	}
	if _, ok := e.sim.App("nope"); ok {
		t.Errorf("App(nope) found")
	}
	if e.sim.PublicKey().N.BitLen() != 2048 {
		t.Errorf("signing key is not RSA-2048")
	}
	if !strings.Contains(PageText("<html><body><p>a &amp; b</p><p>c</p></body></html>"), "a & b\nc") {
		t.Errorf("PageText")
	}
	if got := ScenarioNames(); len(got) != 11 || got[0] != "happy" {
		t.Errorf("ScenarioNames = %v", got)
	}
}

func TestRefreshTokenRules(t *testing.T) {
	e := newEnv(t, func(o *Options) {
		worldWithExtras(o)
		o.Apps[1].SignInAudience = flow.MultiTenantPersonal
		o.Apps[1].SPARedirectURIs = []string{"https://spa.example.com/cb"}
	})
	_, tok := e.post("common", codeForm(e.code("common")))
	rt := tok["refresh_token"].(string)
	form := url.Values{"client_id": {otherClientID}, "client_secret": {"other~secret"}, "grant_type": {"refresh_token"}, "refresh_token": {rt}}
	st, body := e.post("common", form)
	assertSTS(t, st, body, 400, "invalid_grant", 70000)

	form = url.Values{"client_id": {DemoClientID}, "client_secret": {DemoSecretValue}, "grant_type": {"refresh_token"}}
	st, body = e.post("common", form)
	assertSTS(t, st, body, 400, "invalid_request", 900144)

	// SPA refresh tokens live 24 hours
	q, err := e.consent(e.authURL("common", "redirect_uri", "https://spa.example.com/cb"), "alex@contoso.com", true)
	if err != nil {
		t.Fatal(err)
	}
	f := codeForm(q.Get("code"))
	f.Set("redirect_uri", "https://spa.example.com/cb")
	f.Del("client_secret")
	st, tok = e.post("common", f, "Origin", "https://spa.example.com")
	if st != 200 {
		t.Fatalf("SPA redemption = %d %v", st, tok)
	}
	e.clock.Advance(25 * time.Hour)
	st, body = e.post("common", url.Values{"client_id": {DemoClientID}, "grant_type": {"refresh_token"}, "refresh_token": {tok["refresh_token"].(string)}}, "Origin", "https://spa.example.com")
	assertSTS(t, st, body, 400, "invalid_grant", 700084)
}
